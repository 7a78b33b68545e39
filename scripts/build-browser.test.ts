// scripts/build-browser.ts: the bundle built from the sources is a browser module (no bun: or node:
// import, no Bun or process global), carries none of the pieces the twins replace, and the check
// that guards it catches each thing it names.

import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { BROWSER_TWINS, buildBrowserBundle, checkBrowserBundle } from "./build-browser.ts";

const ROOT = join(import.meta.dir, "..");

describe("the browser bundle", () => {
  test("built from the sources, it passes the check and leaves the Bun-bound modules out", async () => {
    const bundle = await buildBrowserBundle(ROOT);
    expect(checkBrowserBundle(bundle)).toEqual([]);
    // The Bun transports, the I/O threads' Worker script and CURVE's crypto stay out of a page.
    for (const absent of ["Bun.listen", "Bun.serve", "io-worker.bundle", "libsodium", "getEnvironmentData"]) {
      expect(bundle).not.toContain(absent);
    }
    expect(bundle).toContain('"ZWS2.0"');
    expect(bundle.length).toBeLessThan(400_000);
  }, 30_000);

  test("every twin stands in for a module that exists, in the same layer", async () => {
    for (const [module, twin] of Object.entries(BROWSER_TWINS)) {
      expect(await Bun.file(join(ROOT, "src", module)).exists()).toBe(true);
      expect(twin.split("/").slice(0, -1)).toEqual(module.split("/").slice(0, -1));
    }
  });

  test("the check names each thing a page cannot run", () => {
    expect(checkBrowserBundle('import { dlopen } from "bun:ffi";')).toEqual(['imports a bun: or node: module: from "bun:']);
    expect(checkBrowserBundle('const fs = await import("node:fs");')).toEqual(['imports a bun: or node: module: import("node:']);
    expect(checkBrowserBundle("Bun.serve({})")).toEqual(["uses the Bun global: Bun.s"]);
    expect(checkBrowserBundle("x = process.env.HOME")).toEqual(["uses Node's process global: process.e"]);
    // Names that merely contain the words are fine.
    expect(checkBrowserBundle("const a = ws.process.x; myBun.serve(); const processed = 1;")).toEqual([]);
  });
});
