// Issue 15: an application that bundles bunzmq runs, I/O threads included, with no step beyond
// `bun build`. The packed package (test/helpers/packed.ts) is installed into a temporary project
// with its dependencies, test/fixtures/bundled-app.ts (tcp with CURVE and ipc through an I/O
// thread, inproc) is built with `bun build --target bun` and with `bun build --compile`, and each
// result is run from a folder with no node_modules above it, so it can only work if everything,
// the I/O thread's script too (src/io/worker-script.ts), is inside. Runs in the default CI run only:
// the app chooses its own ioThreads, so BUNZMQ_IO_THREADS changes nothing here.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ROOT, copyAsConsumer, installPacked, run } from "../helpers/packed.ts";

const THREADED_RUN = Number(process.env.BUNZMQ_IO_THREADS ?? 0) > 0;
/** Packing (tsc), then a build or a compile: generous for a loaded 2-core machine. */
const SLOW_TEST_MS = 150_000;
const RUN_TIMEOUT_MS = 30_000;
const EXPECTED_OUTPUT = "tcp+curve: 100 messages\nipc: 100 messages\ninproc: ping pong\ndone\n";

const work = mkdtempSync(join(tmpdir(), "bunzmq-bundle-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A new folder in this file's temporary one: the project, or a build's output away from it. */
function folder(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  return dir;
}

/** The app's environment: this suite's I/O-thread settings would not reach a user's program. */
const appEnv = { ...process.env, BUNZMQ_IO_THREADS: undefined, BUNZMQ_IO_SIGNALER: undefined };

/**
 * Links the package's dependencies, and theirs, from the repository's node_modules into the
 * project's, as `bun add` would install them (no network here).
 */
function linkDependencies(project: string): void {
  const pending = Object.keys(JSON.parse(readFileSync(join(project, "node_modules/bunzmq/package.json"), "utf8")).dependencies ?? {});
  const linked = new Set<string>();
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (linked.has(name)) continue;
    linked.add(name);
    const source = join(ROOT, "node_modules", name);
    const target = join(project, "node_modules", name);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(source, target, "dir");
    pending.push(...Object.keys(JSON.parse(readFileSync(join(source, "package.json"), "utf8")).dependencies ?? {}));
  }
}

describe.skipIf(THREADED_RUN)("an application bundled with bunzmq", () => {
  let project = "";

  beforeAll(async () => {
    project = folder("project");
    await installPacked(project);
    linkDependencies(project);
    copyAsConsumer(join(ROOT, "test/fixtures/bundled-app.ts"), join(project, "app.ts"));
  }, SLOW_TEST_MS);

  test("the package's bin, the command-line tool, runs from the installed package", async () => {
    const manifest = JSON.parse(readFileSync(join(project, "node_modules/bunzmq/package.json"), "utf8"));
    const bin = join(project, "node_modules/bunzmq", manifest.bin.bunzmq);
    expect(readFileSync(bin, "utf8")).toStartWith("#!/usr/bin/env bun\n");
    const keygen = await run([process.execPath, bin, "keygen"], project, RUN_TIMEOUT_MS, appEnv);
    expect(keygen.stdout).toMatch(/^public: \S{40}\nsecret: \S{40}\n$/);
    expect(keygen.code).toBe(0);
  });

  test(
    "bun build --target bun: one file that runs on its own, I/O thread, CURVE, ipc and inproc included",
    async () => {
      expect(existsSync(join(project, "node_modules/bunzmq/src/io/io-worker.bundle.txt"))).toBe(true);
      const out = folder("bundle-out");
      const built = await run([process.execPath, "build", "app.ts", "--target", "bun", "--outdir", out], project);
      expect(built.code, built.output).toBe(0);
      expect(readdirSync(out)).toEqual(["app.js"]);

      const ran = await run([process.execPath, join(out, "app.js")], out, RUN_TIMEOUT_MS, appEnv);
      expect(ran.stderr).toBe("");
      expect(ran.stdout).toBe(EXPECTED_OUTPUT);
      expect(ran.code).toBe(0);
    },
    SLOW_TEST_MS,
  );

  test(
    "bun build --compile: an executable that runs on its own, I/O thread, CURVE, ipc and inproc included",
    async () => {
      const out = folder("compile-out");
      const executable = join(out, "app");
      const built = await run([process.execPath, "build", "app.ts", "--compile", "--outfile", executable], project);
      expect(built.code, built.output).toBe(0);

      const ran = await run([executable], out, RUN_TIMEOUT_MS, appEnv);
      // The executable is Bun itself (~100 MB): gone as soon as it has run.
      rmSync(executable, { force: true });
      expect(ran.stderr).toBe("");
      expect(ran.stdout).toBe(EXPECTED_OUTPUT);
      expect(ran.code).toBe(0);
    },
    SLOW_TEST_MS,
  );
});
