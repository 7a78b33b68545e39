// The pieces of scripts/build-types.ts that need no compiler run: specifier rewriting and pruning.
// The whole build is exercised by test/packaging/typecheck.test.ts.

import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { reachableDeclarations, rewriteSpecifiers } from "./build-types.ts";

describe("rewriteSpecifiers", () => {
  test("turns relative .ts specifiers into .js in imports, re-exports and import types", () => {
    const declarations = [
      'import type { A } from "./a.ts";',
      "export { B } from '../core/b.ts';",
      'export type C = import("./c.ts").C;',
      'export * from "./d.ts";',
    ].join("\n");
    expect(rewriteSpecifiers(declarations)).toBe(
      [
        'import type { A } from "./a.js";',
        "export { B } from '../core/b.js';",
        'export type C = import("./c.js").C;',
        'export * from "./d.js";',
      ].join("\n"),
    );
  });

  test("leaves package specifiers, other extensions and text that only mentions .ts alone", () => {
    const declarations = [
      'import type { X } from "some-package/file.ts";',
      'import "./styles.css";',
      "/** Written in src/api/socket.ts. */",
    ].join("\n");
    expect(rewriteSpecifiers(declarations)).toBe(declarations);
  });
});

describe("reachableDeclarations", () => {
  const dir = mkdtempSync(join(tmpdir(), "bunzmq-build-types-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  };

  test("follows relative imports from the entries and leaves out what they never reach", () => {
    write("index.d.ts", 'export { Socket } from "./api/socket.js";\n');
    write("draft.d.ts", "export {};\n");
    write("api/socket.d.ts", 'import type { Options } from "../core/options.js";\nexport type T = import("./types.js").T;\n');
    write("api/types.d.ts", "export type T = number;\n");
    write("core/options.d.ts", 'import type { Socket } from "../api/socket.js";\nexport type Options = Socket;\n');
    write("engine/engine.d.ts", 'import type { Options } from "../core/options.js";\n');
    const reachable = reachableDeclarations(dir, ["index.d.ts", "draft.d.ts"]);
    expect([...reachable].sort()).toEqual(["api/socket.d.ts", "api/types.d.ts", "core/options.d.ts", "draft.d.ts", "index.d.ts"]);
  });
});
