// Where an I/O Worker's script comes from, whether bunzmq runs from its TypeScript sources or inside
// an application's bundle. Imports nothing but node:fs and node:url.
//
// Run from its sources (this repository, or the installed package run by `bun`), the script is
// io-worker.ts beside this file, and Bun transpiles it with its imports. In a bundle
// (`bun build --target bun`) or a compiled executable (`bun build --compile`) that file is not
// there: Bun's bundler does not follow `new Worker(url)`, so it neither bundles nor copies the
// Worker's module, and the URL points next to the bundle or into /$bunfs/root/, where nothing is
// (bun-notes §3.7). So the package carries the Worker's module graph prebuilt into one
// self-contained file, io-worker.bundle.txt (scripts/build-worker.ts, run by `prepack`: built from
// the very sources it ships with, and never in git, so no commit leaves a stale copy). Its `.txt`
// makes the bundler inline it as a string, with no step for the user, and the Worker starts from a
// Blob URL of that string.
//
// Which case applies is told by whether io-worker.ts exists beside this module, not by this
// module's own URL: a `--compile --bytecode` executable reports its source's path there. Such an
// executable, run on the machine that built it, finds the sources and uses them; anywhere else it
// uses the bundle, as every other bundle does.

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The Worker's module beside this file: what runs whenever bunzmq runs from its sources. */
const SOURCE_URL = new URL("./io-worker.ts", import.meta.url);

/** The Blob URL of the prebuilt script, made once per process (a Blob URL lives as long as the process). */
let bundleUrl: string | null = null;

/** What to hand `new Worker()` for an I/O thread. */
export function ioWorkerUrl(): string {
  if (runsFromSources()) return SOURCE_URL.href;
  if (bundleUrl === null) {
    // Reached only inside a bundle, where the bundler has turned this require into the string.
    const script = require("./io-worker.bundle.txt") as string;
    bundleUrl = URL.createObjectURL(new Blob([script], { type: "text/javascript" }));
  }
  return bundleUrl;
}

/** How `url` is named in messages: a Blob URL says nothing to a reader. */
export function describeWorkerScript(url: string): string {
  return url.startsWith("blob:") ? "the prebuilt I/O-thread script (io-worker.bundle.txt)" : url;
}

function runsFromSources(): boolean {
  try {
    return existsSync(fileURLToPath(SOURCE_URL));
  } catch {
    // Not a file: URL (a bundle loaded from elsewhere): no sources beside it either.
    return false;
  }
}
