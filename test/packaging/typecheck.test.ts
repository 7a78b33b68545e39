// The package as a TypeScript program gets it: `bun pm pack` (whose prepack builds dist/types),
// the tarball unpacked into a temporary project's node_modules (no network: its dependencies are
// not needed for types), and `tsc --noEmit` over consumer code twice: with the tsconfig `bun init`
// writes (Bun's types present, as @types/bun) and with a strict one that has no @types at all.
// Slow (about 10 s, most of it tsc), so it runs in the default CI run only: types do not depend on
// I/O threads.

import { afterAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../..");
const FIXTURES = join(ROOT, "test/fixtures");
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
const THREADED_RUN = Number(process.env.BUNZMQ_IO_THREADS ?? 0) > 0;
const SLOW_TEST_MS = 120_000;

const work = mkdtempSync(join(tmpdir(), "bunzmq-types-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Outcome {
  code: number | null;
  output: string;
}

async function run(cmd: string[], cwd: string, timeoutMs = 90_000): Promise<Outcome> {
  const child = Bun.spawn({ cmd, cwd, stdout: "pipe", stderr: "pipe", timeout: timeoutMs });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, output: `${stdout}${stderr}`.trim() };
}

/** Copies a source file into the consumer project with its imports of src/ turned into the package's. */
function copyAsConsumer(source: string, target: string): void {
  const text = readFileSync(source, "utf8");
  const rewritten = text
    .replaceAll('"../../src/index.ts"', '"bunzmq"')
    .replaceAll('"../../src/extras.ts"', '"bunzmq/extras"')
    .replaceAll('"../../src/draft.ts"', '"bunzmq/draft"');
  if (rewritten.includes("../../src/")) throw new Error(`${source} imports a src/ module the package does not export`);
  writeFileSync(target, rewritten);
}

/** A project with `tsconfig` as its tsconfig.json and the consumer code; the package is unpacked into it next. */
function consumerProject(name: string, tsconfig: string): string {
  const dir = join(work, name);
  const installed = join(dir, "node_modules/bunzmq");
  mkdirSync(installed, { recursive: true });
  copyFileSync(join(FIXTURES, tsconfig), join(dir, "tsconfig.json"));
  copyAsConsumer(join(FIXTURES, "typescript-consumer.ts"), join(dir, "typescript-consumer.ts"));
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
      const destination = join(work, "pack");
      const packed = await run([process.execPath, "pm", "pack", "--destination", destination, "--quiet"], ROOT);
      expect(packed.code, packed.output).toBe(0);
      const tarballs = readdirSync(destination).filter((name) => name.endsWith(".tgz"));
      expect(tarballs).toHaveLength(1);
      const tarball = join(destination, tarballs[0]!);

      const projects = [consumerProject("bun-init", "tsconfig.bun-init.json"), consumerProject("strict", "tsconfig.strict.json")];
      for (const dir of projects) {
        const unpacked = await run(["tar", "-xzf", tarball, "-C", join(dir, "node_modules/bunzmq"), "--strip-components=1"], dir);
        expect(unpacked.code, unpacked.output).toBe(0);
      }
      const [bunInit, strict] = projects as [string, string];
      addBunTypes(bunInit);
      copyAsConsumer(join(ROOT, "test/zeromqjs/typings.test.ts"), join(bunInit, "typings.test.ts"));

      const manifest = JSON.parse(readFileSync(join(bunInit, "node_modules/bunzmq/package.json"), "utf8"));
      expect(manifest.exports["."].types).toBe("./dist/types/index.d.ts");
      expect(manifest.exports["./draft"].types).toBe("./dist/types/draft.d.ts");

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
