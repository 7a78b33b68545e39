// Builds the I/O thread's script for bundled applications: src/io/io-worker.ts and everything it
// imports (the engine, the mechanisms, libsodium's WebAssembly build, @noble/ciphers) into one
// self-contained file, src/io/io-worker.bundle.txt, which src/io/worker-script.ts starts from a
// Blob URL when bunzmq runs inside a `bun build` bundle or a `--compile` executable. `prepack`
// runs it, so the published package carries a script built from the sources it ships; git ignores
// the file, so no commit can leave a stale copy behind. Run from the repository's sources, bunzmq
// never reads it.
//
// Identifiers are kept (whitespace and syntax are minified): 0.54 MB against 0.51 MB fully
// minified, for readable stack traces from a Worker.
// Usage: bun scripts/build-worker.ts [--root <dir>] [--out <file>]   exit 0 = built, 1 = failed.

import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseCommandLine } from "../common/command-line.ts";

/** Where worker-script.ts looks for the prebuilt script, relative to the repository. */
export const WORKER_BUNDLE = "src/io/io-worker.bundle.txt";
const WORKER_ENTRY = "src/io/io-worker.ts";

const USAGE = `usage: bun scripts/build-worker.ts [options]

Bundles ${WORKER_ENTRY} and its imports into ${WORKER_BUNDLE}, the script a bundled
or compiled application's I/O threads start from (the package's prepack runs it).

Options:
  --root <dir>   the repository (default: this script's parent folder)
  --out <file>   where to write the bundle (default: <root>/${WORKER_BUNDLE})
  -h, --help     print this and exit
`;

/** Bundles the Worker's module graph; returns the script's text, or throws with Bun's build messages. */
export async function buildWorkerScript(root: string): Promise<string> {
  const result = await Bun.build({
    entrypoints: [join(root, WORKER_ENTRY)],
    target: "bun",
    minify: { whitespace: true, syntax: true, identifiers: false },
  });
  const [output] = result.outputs;
  if (!result.success || output === undefined || result.outputs.length !== 1) {
    const messages = result.logs.map((log) => String(log)).join("\n");
    throw new Error(`bun build of ${WORKER_ENTRY} failed${messages === "" ? "" : `:\n${messages}`}`);
  }
  return output.text();
}

if (import.meta.main) {
  const command = parseCommandLine({ usage: USAGE, options: { root: { type: "string" }, out: { type: "string" } } });
  const root = resolve(command.text("root", join(import.meta.dir, "..")));
  const out = resolve(command.text("out", join(root, WORKER_BUNDLE)));
  try {
    const script = await buildWorkerScript(root);
    writeFileSync(out, script);
    console.log(`build-worker: ${out} (${(script.length / 1e6).toFixed(2)} MB)`);
  } catch (error) {
    console.error(`build-worker: ${(error as Error).message}`);
    process.exit(1);
  }
}
