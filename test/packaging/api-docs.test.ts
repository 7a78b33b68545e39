// The API reference stays true to the sources: every export and member has TSDoc, docs/api.md is what
// `bun run docs:api` writes from them, every option of the option tables carries its libzmq number
// and a default that a new socket (or context) really reads, numeric options name their unit, every
// protocol error code the sources raise is documented, and the comments survive into the shipped
// declarations (the hover text). One compiler program, read once, serves every test (about 3 s).

import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import ts from "typescript";
import type { ApiMember, ApiModel } from "../../scripts/api-model.ts";
import { REFERENCE_PATH, buildReference } from "../../scripts/api-reference.ts";
import { listFiles } from "../../scripts/source-files.ts";
import { CONNECTION_OPTIONS } from "../../src/api/connection-options.ts";
import { defaultContextSettings } from "../../src/api/context-options.ts";
import type { OptionSpec } from "../../src/api/option-spec.ts";
import { SECURITY_OPTIONS } from "../../src/api/security-options.ts";
import { SOCKET_OPTIONS } from "../../src/api/socket-option-table.ts";
import { TYPE_OPTIONS } from "../../src/api/type-option-table.ts";
import * as bunzmq from "../../src/index.ts";

const ROOT = resolve(import.meta.dir, "../..");
const { markdown, problems, model } = buildReference(ROOT);

/** The files in src/api/ that declare option properties. */
const OPTION_FILES = [
  "option-properties.ts",
  "connection-options.ts",
  "wss-options.ts",
  "security-options.ts",
  "context-options.ts",
  "context.ts",
  "pipeline.ts",
  "request-reply.ts",
  "publish-subscribe.ts",
  "stream.ts",
  "radio-dish.ts",
  "scatter-gather.ts",
  "swap-options.ts",
];

/** Numeric options that are settings, not quantities, so they have no unit. */
const UNITLESS: ReadonlySet<string> = new Set(["tcpKeepalive", "typeOfService", "threadPriority", "threadSchedulingPolicy"]);

/** The owners of a Context's options; every other owner's options are sockets'. */
const CONTEXT_OWNERS: ReadonlySet<string> = new Set(["Context", "ContextSettings"]);

/**
 * Every documented option (a member with an `@libzmq` tag) of sockets or of contexts, by name; one
 * name may be documented on several classes (`conflate`).
 */
function documentedOptions(apiModel: ApiModel, ofContext: boolean): Map<string, ApiMember[]> {
  const owners = [...apiModel.groups, ...apiModel.entries.flatMap((entry) => entry.exports.flatMap((item) => item.owner ?? []))];
  const options = new Map<string, ApiMember[]>();
  for (const owner of owners) {
    if (CONTEXT_OWNERS.has(owner.name) !== ofContext) continue;
    for (const member of owner.members) {
      if (member.kind !== "property" || !("libzmq" in member.doc.tags)) continue;
      const list = options.get(member.name) ?? [];
      if (!list.includes(member)) list.push(member);
      options.set(member.name, list);
    }
  }
  return options;
}

/** The value a `@defaultValue` tag starts with (`1000`, `-1 (0 in …)`, `"atomics"`, `{}`), or undefined for prose. */
function documentedDefault(tag: string): unknown {
  const literal = /^(-?\d+|true|false|null|"[^"]*"|\{\})(?=\s|$)/.exec(tag);
  return literal === null ? undefined : JSON.parse(literal[1]!);
}

const options = documentedOptions(model, false);
const contextOptions = documentedOptions(model, true);
const SOCKET_CLASSES = [
  bunzmq.Pair,
  bunzmq.Publisher,
  bunzmq.Subscriber,
  bunzmq.Request,
  bunzmq.Reply,
  bunzmq.Dealer,
  bunzmq.Router,
  bunzmq.Pull,
  bunzmq.Push,
  bunzmq.XPublisher,
  bunzmq.XSubscriber,
  bunzmq.Stream,
];
const sockets = SOCKET_CLASSES.map((SocketClass) => new SocketClass());
afterAll(() => {
  for (const socket of sockets) socket.close();
});

describe("the API reference", () => {
  test("every export of bunzmq, bunzmq/extras and bunzmq/draft, and every public member, has TSDoc", () => {
    expect(problems).toEqual([]);
  });

  test(`${REFERENCE_PATH} is what \`bun run docs:api\` writes from the sources`, () => {
    const committed = readFileSync(join(ROOT, REFERENCE_PATH), "utf8");
    // Compared as a whole; the message says how to fix a difference.
    expect(committed === markdown, `${REFERENCE_PATH} is stale: run bun run docs:api and commit it`).toBe(true);
  });

  test("every option of the option tables is documented with its libzmq number and its default", () => {
    const specs: OptionSpec[] = [...SOCKET_OPTIONS, ...TYPE_OPTIONS, ...CONNECTION_OPTIONS, ...SECURITY_OPTIONS];
    const missing: string[] = [];
    for (const spec of specs) {
      // ZMQ_XPUB_VERBOSE and _VERBOSER are numbered only: their property is `verbosity`.
      if (!sockets.some((socket) => spec.name in socket)) continue;
      const documented = options.get(spec.name);
      if (documented === undefined) {
        missing.push(`${spec.name}: no @libzmq tag`);
        continue;
      }
      for (const member of documented) {
        const { libzmq, defaultValue } = member.doc.tags;
        if (spec.id !== null && !libzmq!.includes(`(${spec.id})`)) missing.push(`${spec.name}: @libzmq ${libzmq} lacks (${spec.id})`);
        if (spec.id === null && !libzmq!.includes("bunzmq addition") && !libzmq!.includes("ZMQ_"))
          missing.push(`${spec.name}: @libzmq says neither`);
        if (spec.access !== "r" && defaultValue === undefined) missing.push(`${spec.name}: no @defaultValue`);
      }
    }
    expect(missing).toEqual([]);
  });

  test("each documented default is what a new socket or context reads", () => {
    const wrong: string[] = [];
    // The write-only context options are read from the defaults themselves.
    const context = { ...defaultContextSettings(), maxSocketsLimit: new bunzmq.Context().maxSocketsLimit };
    const checks = [
      ...[...options].map(([name, members]) => ({ name, members, readers: sockets.filter((socket) => name in socket) })),
      ...[...contextOptions].map(([name, members]) => ({ name, members, readers: [context] })),
    ];
    expect(contextOptions.size).toBe(Object.keys(context).length);
    for (const { name, members, readers } of checks) {
      for (const member of members) {
        const expected = documentedDefault(member.doc.tags.defaultValue ?? "");
        if (expected === undefined) continue;
        for (const reader of readers) {
          const value = (reader as unknown as Record<string, unknown>)[name];
          // Write-only options read as undefined, as in zeromq.js; there is nothing to compare.
          if (value !== undefined && !Bun.deepEquals(value, expected))
            wrong.push(`${name}: documented ${JSON.stringify(expected)}, reads ${JSON.stringify(value)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  test("every numeric option names its unit", () => {
    const unitless = [...options.values(), ...contextOptions.values()]
      .flat()
      .filter((m) => /:\s*number$/.test(m.signature) && !("unit" in m.doc.tags) && !UNITLESS.has(m.name))
      .map((m) => m.name);
    expect(unitless).toEqual([]);
  });

  test("every protocol error code the sources raise is a documented ZmqErrorCode", () => {
    const documented = new Set(model.entries[0]!.exports.find((item) => item.name === "ZmqErrorCode")!.keys.map((key) => key.name));
    const raised = new Set<string>();
    for (const file of listFiles(join(ROOT, "src"), (path) => path.endsWith(".ts") && !path.endsWith(".test.ts"))) {
      for (const match of readFileSync(file, "utf8").matchAll(/"(ERR_(?:ZMTP|ZAP)_[A-Z_]+)"/g)) raised.add(match[1]!);
    }
    expect(raised.size).toBeGreaterThan(10);
    expect([...raised].filter((code) => !documented.has(code))).toEqual([]);
  });

  test("the option comments survive into the declarations the package ships, tags included", () => {
    // Each file's declarations as scripts/build-types.ts emits them (stripInternal), without a type check.
    const declarations = OPTION_FILES.map((file) => {
      const text = readFileSync(join(ROOT, "src/api", file), "utf8");
      return ts.transpileDeclaration(text, { compilerOptions: { stripInternal: true }, fileName: file }).outputText;
    }).join("\n");
    const lost: string[] = [];
    for (const [name, members] of [...options, ...contextOptions]) {
      for (const { doc } of members) {
        if (!declarations.includes(`@libzmq ${doc.tags.libzmq}`)) lost.push(`${name}: @libzmq`);
        if (doc.tags.defaultValue !== undefined && !declarations.includes(`@defaultValue ${doc.tags.defaultValue}`))
          lost.push(`${name}: @defaultValue`);
        if (!declarations.includes(doc.summary.split("\n")[0]!)) lost.push(`${name}: summary`);
      }
    }
    expect(lost).toEqual([]);
  });
});
