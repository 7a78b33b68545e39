// The crypto backend's choice point: native libsodium by default, the WebAssembly fallback when
// BUNZMQ_CRYPTO_BACKEND=wasm asks for it or the library cannot be loaded (no error either way),
// and sealing through whichever serves gives the same bytes.

import { afterAll, describe, expect, test } from "bun:test";
import { chooseCryptoBackend, cryptoBackend, loadCryptoBackend } from "./crypto-backend.ts";
import { open, seal } from "../mechanism/curve/secretbox.ts";

const KEY = new Uint8Array(32).fill(7);
const NONCE = new Uint8Array(24).fill(9);
const PLAINTEXT = new TextEncoder().encode("the same bytes from every backend");

// Other files in this process expect the backend the environment chooses.
afterAll(() => chooseCryptoBackend({ prefer: process.env.BUNZMQ_CRYPTO_BACKEND }));

describe("the crypto backend", () => {
  test("prefers the system's libsodium", async () => {
    expect(await chooseCryptoBackend({})).toBe("native");
    expect(cryptoBackend()).toBe("native");
  });

  test("BUNZMQ_CRYPTO_BACKEND=wasm forces the WebAssembly fallback, which seals the same bytes", async () => {
    expect(await chooseCryptoBackend({})).toBe("native");
    const native = seal(KEY, NONCE, PLAINTEXT);
    expect(await chooseCryptoBackend({ prefer: "wasm" })).toBe("wasm");
    expect(cryptoBackend()).toBe("wasm");
    expect(Buffer.from(seal(KEY, NONCE, PLAINTEXT)).equals(Buffer.from(native))).toBe(true);
    expect(open(KEY, NONCE, native)).toEqual(PLAINTEXT);
  });

  test("a library that cannot be loaded leaves the WebAssembly fallback serving, with no error", async () => {
    expect(await chooseCryptoBackend({ library: "/nonexistent/libsodium.so.23" })).toBe("wasm");
    expect(open(KEY, NONCE, seal(KEY, NONCE, PLAINTEXT))).toEqual(PLAINTEXT);
  });

  test("noble seals while the WebAssembly compiles, and its boxes open once WebAssembly serves", async () => {
    const ready = chooseCryptoBackend({ prefer: "wasm" });
    const meanwhile = cryptoBackend();
    expect(["noble", "wasm"]).toContain(meanwhile);
    const early = seal(KEY, NONCE, PLAINTEXT);
    expect(await ready).toBe("wasm");
    expect(open(KEY, NONCE, early)).toEqual(PLAINTEXT);
  });

  test("loadCryptoBackend chooses once and returns the same promise", () => {
    expect(loadCryptoBackend()).toBe(loadCryptoBackend());
  });
});
