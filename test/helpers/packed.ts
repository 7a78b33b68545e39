// The package as a user installs it, for the packaging tests: `bun pm pack` (whose prepack builds
// dist/types and the I/O thread's prebuilt script), run once per test process however many files
// ask, and unpacked into a consumer project's node_modules. Consumer code is the repository's own,
// its imports of src/ rewritten to the package's entry points.

import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dir, "../..");
/** Packing runs tsc over the library (the type build): allow for a slow machine. */
const PACK_TIMEOUT_MS = 90_000;

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, trimmed: what an assertion message shows. */
  output: string;
}

/** Runs `cmd` to completion (killed after `timeoutMs`), with its output. */
export async function run(
  cmd: string[],
  cwd: string,
  timeoutMs = 90_000,
  env: Record<string, string | undefined> = process.env,
): Promise<Outcome> {
  const child = Bun.spawn({ cmd, cwd, env, stdout: "pipe", stderr: "pipe", timeout: timeoutMs });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr, output: `${stdout}${stderr}`.trim() };
}

let tarball: Promise<string> | null = null;

/**
 * The path of the packed tarball, packed on the first call into dist/pack/ (beside dist/types, the
 * build output git ignores), so every test file of one run reads the same tarball and no
 * temporary folder outlives the run (bun test fires no process "exit" event to remove one).
 */
export function packedTarball(): Promise<string> {
  tarball ??= (async () => {
    const destination = join(ROOT, "dist/pack");
    rmSync(destination, { recursive: true, force: true });
    mkdirSync(destination, { recursive: true });
    // Packing is the publisher's step: scripts/check-engines.ts names its own Bun here, so that a
    // candidate Bun only builds and runs what a user would (an older one cannot read this lockfile).
    const bun = process.env.BUNZMQ_PACK_BUN ?? process.execPath;
    const packed = await run([bun, "pm", "pack", "--destination", destination, "--quiet"], ROOT, PACK_TIMEOUT_MS);
    if (packed.code !== 0) throw new Error(`bun pm pack failed (${packed.code}): ${packed.output}`);
    const tarballs = readdirSync(destination).filter((name) => name.endsWith(".tgz"));
    if (tarballs.length !== 1) throw new Error(`bun pm pack left ${tarballs.length} tarballs in ${destination}`);
    return join(destination, tarballs[0]!);
  })();
  return tarball;
}

/** Unpacks the package into `project`/node_modules/bunzmq, as `bun add` of the tarball would lay it out. */
export async function installPacked(project: string): Promise<void> {
  const installed = join(project, "node_modules/bunzmq");
  mkdirSync(installed, { recursive: true });
  const unpacked = await run(["tar", "-xzf", await packedTarball(), "-C", installed, "--strip-components=1"], project);
  if (unpacked.code !== 0) throw new Error(`unpacking the tarball failed: ${unpacked.output}`);
}

/** Copies a source file into a consumer project with its imports of src/ turned into the package's. */
export function copyAsConsumer(source: string, target: string): void {
  const text = readFileSync(source, "utf8");
  const rewritten = text
    .replaceAll('"../../src/index.ts"', '"bunzmq"')
    .replaceAll('"../../src/extras.ts"', '"bunzmq/extras"')
    .replaceAll('"../../src/draft.ts"', '"bunzmq/draft"');
  if (rewritten.includes("../../src/")) throw new Error(`${source} imports a src/ module the package does not export`);
  writeFileSync(target, rewritten);
}
