// The crypto backend: which crypto_secretbox (XSalsa20-Poly1305) seals and opens CurveZMQ boxes
// (mechanism/curve/secretbox.ts), chosen once per thread when CURVE is first configured (the API on
// the application thread, an I/O Worker for itself when it makes a CURVE mechanism). It only
// chooses; the sources live beside it (native) and in mechanism/curve (WebAssembly, noble).
// Imports mechanism, its sibling native-secretbox.ts and, lazily, libsodium-wrappers.
//
//   native  the system's libsodium through bun:ffi (native-secretbox.ts): what libzmq uses, and
//           the fastest measured (bun bench/micro/curve-crypto.bench.ts)
//   wasm    libsodium's WebAssembly build through libsodium-wrappers' documented functions: the
//           fallback where libsodium.so.23 cannot be loaded, or with BUNZMQ_CRYPTO_BACKEND=wasm.
//           It compiles for about 40 ms; @noble/ciphers (pure TypeScript) seals until then, and
//           for good where WebAssembly is missing.

import { nobleSecretBox, opened, serveSecretBox } from "../mechanism/curve/secretbox.ts";
import type { SecretBox } from "../mechanism/curve/secretbox-source.ts";
import { SodiumSecretBox, type SodiumWrappers } from "../mechanism/curve/sodium-secretbox.ts";
import { LIBSODIUM_SONAME, loadNativeSecretBox } from "./native-secretbox.ts";

/** Which source serves: "native", "wasm", or "noble" (before a choice, while WebAssembly compiles, or without it). */
export type CryptoBackendName = "native" | "wasm" | "noble";

/** What the choice honours: the environment's BUNZMQ_CRYPTO_BACKEND, or a test's seam. */
export interface CryptoBackendChoice {
  /** "wasm" skips the native library (BUNZMQ_CRYPTO_BACKEND=wasm); anything else prefers native. */
  prefer?: string | undefined;
  /** Where to load libsodium from (default the soname libsodium.so.23). */
  library?: string;
}

let activeName: CryptoBackendName = "noble";
/** Resolves once the chosen backend serves (at once for native; after compiling for wasm). */
let ready: Promise<CryptoBackendName> | null = null;
/** Each choice gets a number, so a WebAssembly load that a later choice superseded is ignored. */
let generation = 0;

/**
 * Chooses the backend from the environment (once per thread; later calls return the same promise):
 * native when libsodium loads and BUNZMQ_CRYPTO_BACKEND is not "wasm", otherwise WebAssembly.
 * Never rejects: whatever fails to load leaves the next source serving, with no error.
 */
export function loadCryptoBackend(): Promise<CryptoBackendName> {
  ready ??= choose({ prefer: process.env.BUNZMQ_CRYPTO_BACKEND });
  return ready;
}

/**
 * Chooses again, as if the thread had just started with `choice` (the seam tests use to force the
 * fallback or a library that is not there). Resolves when the chosen backend serves.
 */
export function chooseCryptoBackend(choice: CryptoBackendChoice): Promise<CryptoBackendName> {
  ready = choose(choice);
  return ready;
}

/** Which source serves now. */
export function cryptoBackend(): CryptoBackendName {
  return activeName;
}

function choose(choice: CryptoBackendChoice): Promise<CryptoBackendName> {
  const mine = ++generation;
  if (choice.prefer !== "wasm") {
    const native = loadNativeSecretBox(choice.library ?? LIBSODIUM_SONAME, opened);
    if (native !== null) return Promise.resolve(serve(native, "native"));
  }
  serve(nobleSecretBox, "noble");
  return import("libsodium-wrappers")
    .then(async (module) => {
      const sodium = module.default;
      await sodium.ready;
      if (mine !== generation) return activeName;
      return serve(new SodiumSecretBox(sodium as SodiumWrappers, opened), "wasm");
    })
    .catch(() => activeName);
}

function serve(box: SecretBox, name: CryptoBackendName): CryptoBackendName {
  serveSecretBox(box);
  activeName = name;
  return name;
}
