// Builds bunzmq/browser: src/browser.ts and everything it imports, for the browser, into one ES
// module, dist/browser/bunzmq.js (git ignores dist/). `prepack` runs it, so the published package
// carries a bundle built from the sources it ships; the browser tests build it afresh.
//
// The layers run unchanged in a page except for a few modules bound to Bun or Node, which the build
// swaps for browser twins in the same layer (BROWSER_TWINS): the transports (only the browser's
// WebSocket dial), the I/O threads, the default context's sharing across Workers and its exit hook,
// CURVE's crypto, the swap space and multicast. `process.env` and `process.emitWarning` are defined away (a page has no
// environment; warnings go to the console). checkBrowserBundle refuses a result that still imports
// a `bun:` or `node:` module or uses `Bun.` or `process.`, so a new Bun-bound import in a shared
// module fails the build instead of a page.
// Usage: bun scripts/build-browser.ts [--root <dir>] [--out <file>]   exit 0 = built, 1 = failed.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseCommandLine } from "../common/command-line.ts";

/** Where the package's `./browser` export points, relative to the repository. */
export const BROWSER_BUNDLE = "dist/browser/bunzmq.js";
const BROWSER_ENTRY = "src/browser.ts";

/** Module (relative to src/) -> its browser twin, which exports the same names. */
export const BROWSER_TWINS: Readonly<Record<string, string>> = {
  "transport/transport.ts": "transport/browser-transport.ts",
  "io/io-pool.ts": "io/browser-io-pool.ts",
  "api/shared-context.ts": "api/browser-context.ts",
  "api/context-exit.ts": "api/browser-context.ts",
  "mechanism/curve/box.ts": "mechanism/curve/browser-crypto.ts",
  "mechanism/curve/secretbox.ts": "mechanism/curve/browser-crypto.ts",
  "engine/crypto-backend.ts": "engine/browser-crypto-backend.ts",
  "swap/swap-space.ts": "swap/browser-swap.ts",
  "swap/directory-lock.ts": "swap/browser-swap.ts",
  "session/pgm-session.ts": "session/browser-pgm-session.ts",
  "session/udp-session.ts": "session/browser-udp-session.ts",
};

const USAGE = `usage: bun scripts/build-browser.ts [options]

Bundles ${BROWSER_ENTRY} for the browser into ${BROWSER_BUNDLE}, the module
"bunzmq/browser" resolves to (the package's prepack runs it).

Options:
  --root <dir>   the repository (default: this script's parent folder)
  --out <file>   where to write the bundle (default: <root>/${BROWSER_BUNDLE})
  -h, --help     print this and exit
`;

/** What a browser bundle must not contain, each with why. */
const FORBIDDEN: ReadonlyArray<[RegExp, string]> = [
  [/\bfrom\s*["'](?:bun|node):|\bimport\s*\(\s*["'](?:bun|node):|\brequire\s*\(\s*["'](?:bun|node):/, "imports a bun: or node: module"],
  [/(?<![\w$.])Bun\s*\.\s*\w/, "uses the Bun global"],
  [/(?<![\w$.])process\s*\.\s*\w/, "uses Node's process global"],
];

/** The reasons `text` is not a browser bundle (empty when it is one). */
export function checkBrowserBundle(text: string): string[] {
  return FORBIDDEN.filter(([pattern]) => pattern.test(text)).map(([pattern, why]) => `${why}: ${text.match(pattern)![0]}`);
}

/** Bundles the browser entry; returns the module's text, or throws with Bun's messages or the check's. */
export async function buildBrowserBundle(root: string): Promise<string> {
  const src = join(root, "src");
  const twins = new Map(Object.entries(BROWSER_TWINS).map(([module, twin]) => [join(src, module), join(src, twin)]));
  const result = await Bun.build({
    entrypoints: [join(root, BROWSER_ENTRY)],
    target: "browser",
    format: "esm",
    minify: { whitespace: true, syntax: true, identifiers: false },
    define: { "process.env": "{}", "process.emitWarning": "console.warn" },
    plugins: [
      {
        name: "browser-twins",
        setup(build) {
          build.onResolve({ filter: /\.ts$/ }, (args) => {
            const twin = twins.get(resolve(dirname(args.importer), args.path));
            return twin === undefined ? undefined : { path: twin };
          });
        },
      },
    ],
  });
  const [output] = result.outputs;
  if (!result.success || output === undefined || result.outputs.length !== 1) {
    const messages = result.logs.map((log) => String(log)).join("\n");
    throw new Error(`bun build of ${BROWSER_ENTRY} failed${messages === "" ? "" : `:\n${messages}`}`);
  }
  const text = await output.text();
  const problems = checkBrowserBundle(text);
  if (problems.length > 0) throw new Error(`the browser bundle ${problems.join("; ")}`);
  return text;
}

if (import.meta.main) {
  const command = parseCommandLine({ usage: USAGE, options: { root: { type: "string" }, out: { type: "string" } } });
  const root = resolve(command.text("root", join(import.meta.dir, "..")));
  const out = resolve(command.text("out", join(root, BROWSER_BUNDLE)));
  try {
    const bundle = await buildBrowserBundle(root);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, bundle);
    console.log(`build-browser: ${out} (${(bundle.length / 1e6).toFixed(2)} MB)`);
  } catch (error) {
    console.error(`build-browser: ${(error as Error).message}`);
    process.exit(1);
  }
}
