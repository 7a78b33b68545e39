// Tests for scripts/check-layers.ts: the real tree must be clean (this is the CI guard), and
// synthetic trees with known violations (src/ layers, top-level folders, bench/ parts, circles)
// must report exactly those.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { checkLayers, formatViolation } from "./check-layers.ts";

const REPO_ROOT = join(import.meta.dir, "..");

// Parses every TypeScript file in the repository: about 1 s alone, several under a loaded CI run.
const WHOLE_TREE_MS = 30_000;

test(
  "the real tree follows the layer and folder rules and has no new import circle (README Layout)",
  () => {
    // On failure the diff lists every `file:line imports X (layer A may not import layer B)`.
    expect(checkLayers(REPO_ROOT).map(formatViolation)).toEqual([]);
  },
  WHOLE_TREE_MS,
);

describe("a synthetic tree", () => {
  const root = mkdtempSync(join(tmpdir(), "check-layers-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };

  write("src/core/errors.ts", `export class ZmqError extends Error {}\n`);
  write("src/core/upward.ts", `// core imports nothing\nimport { frame } from "../wire/frame.ts";\nexport const x = frame;\n`);
  write(
    "src/wire/frame.ts",
    [
      `import { ZmqError } from "../core/errors.ts";`,
      `import * as core from "../core";`,
      `// import { bad } from "../session/nope.ts";  (a comment, not an import)`,
      `const s = 'import x from "../engine/nope.ts"';`,
      `export const frame = [ZmqError, core, s];`,
    ].join("\n"),
  );
  write(
    "src/wire/uses-bun.ts",
    `import { file } from "bun";\nimport { dlopen } from "bun:ffi";\nimport type { Socket } from "node:net";\nexport const f = Bun.file;\nexport type S = Socket | typeof file | typeof dlopen;\n`,
  );
  write(
    "src/wire/frame.test.ts",
    `import { test } from "bun:test";\nimport { frame } from "./frame.ts";\nimport { ZmqError } from "../core/errors.ts";\ntest("x", () => { void frame; void ZmqError; void Bun.file; });\n`,
  );
  write(
    "src/wire/frame-engine.test.ts",
    `import { test } from "bun:test";\nimport { e } from "../engine/zmtp-engine.ts";\ntest("x", () => void e);\n`,
  );
  write("src/pipe/pipe.ts", `import type { Engine } from "../engine/zmtp-engine.ts";\nexport type P = Engine;\n`);
  write("src/routing/load-balance.ts", `export * from "../socket/push.ts";\nexport { Pipe } from "../pipe/pipe.ts";\n`);
  write("src/socket/push.ts", `export type T = typeof import("../session/listener.ts");\n`);
  write("src/engine/zmtp-engine.ts", `export const e = 1;\nexport async function f() {\n  return import("../api/socket.ts");\n}\n`);
  write(
    "src/transport/tcp.ts",
    `import { connect } from "bun";\nimport net from "node:net";\nimport { Pipe } from "../pipe/pipe.ts";\nexport const t = [connect, net, Pipe, Bun.listen];\n`,
  );
  write(
    "src/session/listener.ts",
    `import { e } from "../engine/zmtp-engine.ts";\nimport { t } from "../transport/tcp.ts";\nconst r = require("../api/socket.ts");\nexport const l = [e, t, r];\n`,
  );
  write(
    "src/api/socket.ts",
    `import { l } from "../session/listener.ts";\nimport { root } from "../index.ts";\nexport const a = [l, root];\n`,
  );
  write(
    "src/index.ts",
    `export * from "./api/socket.ts";\nexport { ZmqError } from "./core/errors.ts";\nexport { l } from "./session/listener.ts";\nexport const root = 1;\n`,
  );
  write("src/core/outside.ts", `import { waitFor } from "../../test/helpers/wait.ts";\nexport const w = waitFor;\n`);
  write("src/misc/thing.ts", `export const thing = 1;\n`);

  const found = checkLayers(root).map(formatViolation);

  test("reports exactly the violations it contains, in file order", () => {
    expect(found).toEqual([
      `src/api/socket.ts:1 is in an import circle: src/api/socket.ts:1 → src/session/listener.ts:3 → src/api/socket.ts (6 files in all: src/api/socket.ts, src/engine/zmtp-engine.ts, src/index.ts, src/pipe/pipe.ts, src/session/listener.ts, src/transport/tcp.ts)`,
      `src/api/socket.ts:2 imports "../index.ts" (layer api may not import layer index)`,
      `src/core/outside.ts:1 imports "../../test/helpers/wait.ts" (layer core may not import outside src/)`,
      `src/core/upward.ts:2 imports "../wire/frame.ts" (layer core may not import layer wire)`,
      `src/engine/zmtp-engine.ts:3 imports "../api/socket.ts" (layer engine may not import layer api)`,
      `src/index.ts:3 imports "./session/listener.ts" (layer index may not import layer session)`,
      `src/misc/thing.ts:1 is in src/misc/, which is not a known layer (add it to ALLOWED in scripts/check-layers.ts and to the README)`,
      `src/pipe/pipe.ts:1 imports "../engine/zmtp-engine.ts" (layer pipe may not import layer engine)`,
      `src/routing/load-balance.ts:1 imports "../socket/push.ts" (layer routing may not import layer socket)`,
      `src/session/listener.ts:3 imports "../api/socket.ts" (layer session may not import layer api)`,
      `src/socket/push.ts:1 imports "../session/listener.ts" (layer socket may not import layer session)`,
      `src/wire/frame-engine.test.ts:2 imports "../engine/zmtp-engine.ts" (layer wire may not import layer engine)`,
      `src/wire/uses-bun.ts:1 imports "bun" (layer wire is pure and may not import bun, bun:* or node:net)`,
      `src/wire/uses-bun.ts:2 imports "bun:ffi" (layer wire is pure and may not import bun, bun:* or node:net)`,
      `src/wire/uses-bun.ts:3 imports "node:net" (layer wire is pure and may not import bun, bun:* or node:net)`,
      `src/wire/uses-bun.ts:4 uses the Bun global (layer wire is pure: no runtime APIs)`,
    ]);
  });

  test("an upward import names the file, line, specifier and both layers", () => {
    const v = checkLayers(root).find((x) => x.file === "src/core/upward.ts");
    expect(v).toMatchObject({ line: 2, specifier: "../wire/frame.ts", layer: "core", target: "wire" });
  });

  test("comments and string contents are not imports", () => {
    expect(found.filter((f) => f.startsWith("src/wire/frame.ts"))).toEqual([]);
  });

  test("tests may import bun:test plus their own layer and below, and use Bun", () => {
    expect(found.filter((f) => f.startsWith("src/wire/frame.test.ts"))).toEqual([]);
  });

  test("transport may use Bun APIs and node:net", () => {
    expect(found.filter((f) => f.startsWith("src/transport/"))).toEqual([]);
  });

  test("the CLI exits 1 and lists violations, or exits 0 with a one-line summary", () => {
    const bad = Bun.spawnSync([process.execPath, join(import.meta.dir, "check-layers.ts"), root]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr.toString()).toContain("src/core/upward.ts:2 imports");

    const clean = mkdtempSync(join(tmpdir(), "check-layers-clean-"));
    try {
      mkdirSync(join(clean, "src/core"), { recursive: true });
      writeFileSync(join(clean, "src/core/a.ts"), "export const a = 1;\n");
      const ok = Bun.spawnSync([process.execPath, join(import.meta.dir, "check-layers.ts"), clean]);
      expect(ok.exitCode).toBe(0);
      expect(ok.stdout.toString().trim()).toBe("check-layers: ok, 1 files, 0 references, 0 violations");
    } finally {
      rmSync(clean, { recursive: true, force: true });
    }
  });
});

/** A fresh tree under the temp dir with `files` written (path -> text); removed after the file. */
function syntheticTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "check-layers-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe("the top-level folders and bench/'s parts", () => {
  const root = syntheticTree({
    "src/index.ts": `export const api = 1;\n`,
    "src/api/socket.ts": `export const socket = 1;\n`,
    "common/lines.ts": `import { api } from "../src/index.ts";\nexport const lines = api;\n`,
    "scripts/tool.ts": `import ts from "typescript";\nimport { lines } from "../common/lines.ts";\nimport { p } from "../peers/libzmq/index.ts";\nexport const t = [ts, lines, p];\n`,
    "peers/libzmq/index.ts": `import { api } from "../../src/index.ts";\nimport { x } from "../../test/helpers/cleanup.ts";\nexport const p = [api, x];\n`,
    "examples/demo/main.ts": [
      `import { api } from "../../src/index.ts";`,
      `import { socket } from "../../src/api/socket.ts";`,
      `import { lines } from "../../common/lines.ts";`,
      `const helper = new URL("../../test/helpers/cleanup.ts", import.meta.url);`,
      `const self = new URL("./main.ts", import.meta.url);`,
      `export const d = [api, socket, lines, helper, self];`,
    ].join("\n"),
    "bench/scenarios/run.ts": [
      `import { table } from "../report/table.ts";`,
      `import { join } from "node:path";`,
      `const child = new URL("../fixtures/child.ts", import.meta.url);`,
      `const demo = join(import.meta.dir, "../../examples/demo/main.ts");`,
      `const root = join(import.meta.dir, "..", "..");`,
      `export const r = [table, child, demo, root];`,
    ].join("\n"),
    "bench/report/table.ts": `import { pairs } from "../peers/pairs.ts";\nexport const table = pairs;\n`,
    "bench/peers/pairs.ts": `import { child } from "../fixtures/child.ts";\nexport const pairs = child;\n`,
    "bench/fixtures/child.ts": `import { api } from "../../src/index.ts";\nexport const child = api;\n`,
    "bench/fixtures/node/fixture.mjs": `import zeromq from "zeromq";\nimport { lines } from "./lines.mjs";\nexport const f = [zeromq, lines];\n`,
    "bench/fixtures/node/lines.mjs": `export const lines = 1;\n`,
    "bench/loose.ts": `export const loose = 1;\n`,
    "test/x.test.ts": [
      `import { api } from "../src/index.ts";`,
      `import { t } from "../scripts/tool.ts";`,
      `import { d } from "../examples/demo/main.ts";`,
      `import { table } from "../bench/report/table.ts";`,
      `export const x = [api, t, d, table];`,
    ].join("\n"),
    "test/helpers/cleanup.ts": `export const x = 1;\n`,
    "stray.ts": `export const stray = 1;\n`,
    "node_modules/pkg/index.ts": `import "../../../outside.ts";\n`,
  });

  test("reports exactly the references that point the wrong way", () => {
    expect(checkLayers(root).map(formatViolation)).toEqual([
      `bench/loose.ts:1 is not in a known part of bench/ (scenarios, peers, fixtures, report, harness, micro; add it to BENCH_PARTS in scripts/homes.ts and to bench/README.md)`,
      `bench/report/table.ts:1 imports "../peers/pairs.ts" (bench/report/ may not use bench/peers/; it may use bench/harness/)`,
      `common/lines.ts:1 imports "../src/index.ts" (common/ may not use src/index.ts; it may use no other top-level folder)`,
      `examples/demo/main.ts:2 imports "../../src/api/socket.ts" (examples/ may not use src/api/socket.ts; it may use src/index.ts, src/extras.ts, src/draft.ts, peers/, common/)`,
      `examples/demo/main.ts:4 starts "../../test/helpers/cleanup.ts" (examples/ may not use test/helpers/cleanup.ts; it may use src/index.ts, src/extras.ts, src/draft.ts, peers/, common/)`,
      `peers/libzmq/index.ts:2 imports "../../test/helpers/cleanup.ts" (peers/ may not use test/helpers/cleanup.ts; it may use src/, common/)`,
      `scripts/tool.ts:3 imports "../peers/libzmq/index.ts" (scripts/ may not use peers/libzmq/index.ts; it may use src/, common/, bench/report/line-chart-model.ts, bench/report/line-chart-svg.ts)`,
      `stray.ts:1 is outside every known top-level folder (src, scripts, common, peers, examples, bench, test; add one to HOMES in scripts/homes.ts and to the README)`,
      `test/x.test.ts:4 imports "../bench/report/table.ts" (test/ may not use bench/report/table.ts; it may use src/, peers/, common/, examples/, scripts/)`,
    ]);
  });
});

describe("import circles", () => {
  const root = syntheticTree({
    "common/a.ts": `import { b } from "./b.ts";\nexport const a = b;\n`,
    "common/b.ts": `import type { C } from "./c.ts";\nexport const b = 1 as unknown as C;\n`,
    "common/c.ts": `import type { a } from "./a.ts";\nexport type C = typeof a;\n`,
    "common/self.ts": `export * from "./self.ts";\n`,
    "examples/demo/main.ts": `import { role } from "./role.ts";\nexport const m = role;\n`,
    "examples/demo/role.ts": `const main = new URL("./main.ts", import.meta.url);\nexport const role = main;\n`,
    "src/wire/one.ts": `import { two } from "./two.ts";\nexport const one = two;\n`,
    "src/wire/two.ts": `import { one } from "./one.ts";\nexport const two = one;\n`,
  });
  test("type-only imports and re-exports close a circle; a started file does not", () => {
    expect(checkLayers(root).map(formatViolation)).toEqual([
      `common/a.ts:1 is in an import circle: common/a.ts:1 → common/b.ts:1 → common/c.ts:1 → common/a.ts`,
      `common/self.ts:1 is in an import circle: common/self.ts:1 → common/self.ts`,
      `src/wire/one.ts:1 is in an import circle: src/wire/one.ts:1 → src/wire/two.ts:1 → src/wire/one.ts`,
    ]);
  });
});
