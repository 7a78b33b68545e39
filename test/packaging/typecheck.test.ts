// The package as a TypeScript program gets it: the packed tarball (test/helpers/packed.ts: `bun pm
// pack`, whose prepack builds dist/types) unpacked into a temporary project's node_modules (no
// network: its dependencies are not needed for types), and `tsc --noEmit` over consumer code twice:
// with the tsconfig `bun init` writes (Bun's types present, as @types/bun) and with a strict one that
// has no @types at all. Slow (about 10 s, most of it tsc), so it runs in the default CI run only:
// types do not depend on I/O threads.

import { afterAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkBrowserBundle } from "../../scripts/build-browser.ts";
import { ROOT, copyAsConsumer, installPacked, run } from "../helpers/packed.ts";

const FIXTURES = join(ROOT, "test/fixtures");
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
const THREADED_RUN = Number(process.env.BUNZMQ_IO_THREADS ?? 0) > 0;
const SLOW_TEST_MS = 120_000;

const work = mkdtempSync(join(tmpdir(), "bunzmq-types-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A project with `tsconfig` as its tsconfig.json, the consumer code and the package unpacked. */
async function consumerProject(name: string, tsconfig: string): Promise<string> {
  const dir = join(work, name);
  mkdirSync(dir);
  copyFileSync(join(FIXTURES, tsconfig), join(dir, "tsconfig.json"));
  copyAsConsumer(join(FIXTURES, "typescript-consumer.ts"), join(dir, "typescript-consumer.ts"));
  await installPacked(dir);
  return dir;
}

/** What `bun add -d @types/bun` gives a project: @types/bun pointing at bun-types (here the repository's copy). */
function addBunTypes(dir: string): void {
  const modules = join(dir, "node_modules");
  mkdirSync(join(modules, "@types/bun"), { recursive: true });
  writeFileSync(join(modules, "@types/bun/package.json"), JSON.stringify({ name: "@types/bun", types: "index.d.ts" }));
  writeFileSync(join(modules, "@types/bun/index.d.ts"), '/// <reference types="bun-types" />\n');
  for (const dependency of ["bun-types", "@types/node", "undici-types"]) {
    symlinkSync(join(ROOT, "node_modules", dependency), join(modules, dependency), "dir");
  }
}

describe.skipIf(THREADED_RUN)("the packed package's type declarations", () => {
  test(
    "compile with no errors under the tsconfig bun init writes and under a strict one with no @types",
    async () => {
      const [bunInit, strict] = await Promise.all([
        consumerProject("bun-init", "tsconfig.bun-init.json"),
        consumerProject("strict", "tsconfig.strict.json"),
      ]);
      addBunTypes(bunInit);
      copyAsConsumer(join(ROOT, "test/zeromqjs/typings.test.ts"), join(bunInit, "typings.test.ts"));

      const manifest = JSON.parse(readFileSync(join(bunInit, "node_modules/bunzmq/package.json"), "utf8"));
      expect(manifest.exports["."].types).toBe("./dist/types/index.d.ts");
      expect(manifest.exports["./draft"].types).toBe("./dist/types/draft.d.ts");
      // bunzmq/browser: its declarations and the browser bundle prepack built (scripts/build-browser.ts).
      expect(manifest.exports["./browser"].types).toBe("./dist/types/browser.d.ts");
      const browserBundle = readFileSync(join(bunInit, "node_modules/bunzmq", manifest.exports["./browser"].default), "utf8");
      expect(checkBrowserBundle(browserBundle)).toEqual([]);

      const [withBunInit, withStrict] = await Promise.all([
        run([process.execPath, TSC, "--noEmit", "-p", bunInit], bunInit),
        run([process.execPath, TSC, "--noEmit", "-p", strict], strict),
      ]);
      expect(withBunInit.output).toBe("");
      expect(withBunInit.code).toBe(0);
      expect(withStrict.output).toBe("");
      expect(withStrict.code).toBe(0);
    },
    SLOW_TEST_MS,
  );
});
