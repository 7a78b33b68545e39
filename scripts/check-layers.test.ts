// Tests for scripts/check-layers.ts: the real tree must be clean (this is the CI guard), and a
// synthetic tree with known violations must report exactly those.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { checkLayers, formatViolation } from "./check-layers.ts";

const REPO_ROOT = join(import.meta.dir, "..");

test("the real src/ tree follows the layer rules (README Architecture)", () => {
  // On failure the diff lists every `file:line imports X (layer A may not import layer B)`.
  expect(checkLayers(REPO_ROOT).map(formatViolation)).toEqual([]);
});

describe("a synthetic tree", () => {
  const root = mkdtempSync(join(tmpdir(), "check-layers-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };

  write("src/core/errors.ts", `export class ZmqError extends Error {}\n`);
  write("src/core/upward.ts", `// core imports nothing\nimport { frame } from "../wire/frame.ts";\nexport const x = frame;\n`);
  write("src/wire/frame.ts", [
    `import { ZmqError } from "../core/errors.ts";`,
    `import * as core from "../core";`,
    `// import { bad } from "../session/nope.ts";  (a comment, not an import)`,
    `const s = 'import x from "../engine/nope.ts"';`,
    `export const frame = [ZmqError, core, s];`,
  ].join("\n"));
  write("src/wire/uses-bun.ts", `import { file } from "bun";\nimport { dlopen } from "bun:ffi";\nimport type { Socket } from "node:net";\nexport const f = Bun.file;\nexport type S = Socket | typeof file | typeof dlopen;\n`);
  write("src/wire/frame.test.ts", `import { test } from "bun:test";\nimport { frame } from "./frame.ts";\nimport { ZmqError } from "../core/errors.ts";\ntest("x", () => { void frame; void ZmqError; void Bun.file; });\n`);
  write("src/wire/frame-engine.test.ts", `import { test } from "bun:test";\nimport { e } from "../engine/zmtp-engine.ts";\ntest("x", () => void e);\n`);
  write("src/pipe/pipe.ts", `import type { Engine } from "../engine/zmtp-engine.ts";\nexport type P = Engine;\n`);
  write("src/routing/load-balance.ts", `export * from "../socket/push.ts";\nexport { Pipe } from "../pipe/pipe.ts";\n`);
  write("src/socket/push.ts", `export type T = typeof import("../session/listener.ts");\n`);
  write("src/engine/zmtp-engine.ts", `export const e = 1;\nexport async function f() {\n  return import("../api/socket.ts");\n}\n`);
  write("src/transport/tcp.ts", `import { connect } from "bun";\nimport net from "node:net";\nimport { Pipe } from "../pipe/pipe.ts";\nexport const t = [connect, net, Pipe, Bun.listen];\n`);
  write("src/session/listener.ts", `import { e } from "../engine/zmtp-engine.ts";\nimport { t } from "../transport/tcp.ts";\nconst r = require("../api/socket.ts");\nexport const l = [e, t, r];\n`);
  write("src/api/socket.ts", `import { l } from "../session/listener.ts";\nimport { root } from "../index.ts";\nexport const a = [l, root];\n`);
  write("src/index.ts", `export * from "./api/socket.ts";\nexport { ZmqError } from "./core/errors.ts";\nexport { l } from "./session/listener.ts";\nexport const root = 1;\n`);
  write("src/core/outside.ts", `import { waitFor } from "../../test/helpers/wait.ts";\nexport const w = waitFor;\n`);
  write("src/misc/thing.ts", `export const thing = 1;\n`);

  const found = checkLayers(root).map(formatViolation);

  test("reports exactly the violations it contains, in file order", () => {
    expect(found).toEqual([
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
      expect(ok.stdout.toString().trim()).toBe("check-layers: ok, 1 files, 0 imports, 0 violations");
    } finally {
      rmSync(clean, { recursive: true, force: true });
    }
  });
});
