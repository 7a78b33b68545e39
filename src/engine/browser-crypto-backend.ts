// crypto-backend.ts for the browser build (scripts/build-browser.ts puts it in crypto-backend.ts's
// place): CURVE never runs in a page (a browser speaks bare ZWS2.0, NULL only; docs/browser.md), so
// no secretbox backend is ever chosen, and neither libsodium over bun:ffi nor its WebAssembly build
// is shipped. Exports the names crypto-backend.ts exports that the layers above use. Imports nothing.

export type CryptoBackendName = "native" | "wasm" | "noble";

/** Nothing to load: the options refuse CURVE first (api/browser-security.ts). */
export function loadCryptoBackend(): Promise<CryptoBackendName> {
  return Promise.resolve("noble");
}

/** What would serve, were CURVE possible here. */
export function cryptoBackend(): CryptoBackendName {
  return "noble";
}
