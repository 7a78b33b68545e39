// crypto_secretbox from the system's libsodium (Debian's libsodium23, installed wherever libzmq5
// is), called through bun:ffi: the same native, vectorised code libzmq seals with. The MESSAGE
// path (sealFrame, openFrame: native-frames.ts) seals where the frame will be written (the engine's
// batch) and opens straight into the Buffer the application receives. Chosen by crypto-backend.ts.
// Imports only mechanism/curve/secretbox-source.ts, native-frames.ts and bun:ffi.
//
// Arrays are passed to bun:ffi as they are: it reads their address at the call, which costs less
// than `ptr()` (about 25 ns each here). An address inside an array comes from `ptr()` at the call,
// except the batch's (native-frames.ts): a batch owns its ArrayBuffer, whose bytes never move. A
// pointer into a small array without an ArrayBuffer of its own can go stale once taken (bun-notes
// §7, oven-sh/bun#32054), so no other address is kept.

import { dlopen, FFIType } from "bun:ffi";
import { BOX_OVERHEAD, type SecretBox } from "../mechanism/curve/secretbox-source.ts";
import { FRAME_SYMBOLS, NativeFrames } from "./native-frames.ts";

/** The soname Debian's libsodium23 installs (libzmq5 depends on it). */
export const LIBSODIUM_SONAME = "libsodium.so.23";

const SYMBOLS = {
  sodium_init: { args: [], returns: FFIType.i32 },
  // (c, m, mlen, n, k) → 0
  crypto_secretbox_easy: { args: [FFIType.ptr, FFIType.ptr, FFIType.u64, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
  // (m, c, clen, n, k) → 0, or -1 when the tag does not verify.
  crypto_secretbox_open_easy: { args: [FFIType.ptr, FFIType.ptr, FFIType.u64, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
  ...FRAME_SYMBOLS,
} as const;

type Symbols = ReturnType<typeof dlopen<typeof SYMBOLS>>["symbols"];

/**
 * Loads libsodium from `library` (a soname or a path) and returns a SecretBox over it, or null
 * where it cannot be loaded or initialised (no libsodium23, a sandbox without FFI): the caller then
 * falls back to WebAssembly.
 */
export function loadNativeSecretBox(library: string, opened: { flags: number }): SecretBox | null {
  try {
    const { symbols } = dlopen(library, SYMBOLS);
    // sodium_init: 0 the first time, 1 when already initialised (libzmq in the same process), -1 on failure.
    if (symbols.sodium_init() < 0) return null;
    return new NativeSecretBox(symbols, opened);
  } catch {
    return null;
  }
}

class NativeSecretBox implements SecretBox {
  readonly #sodium: Symbols;
  /** Stands in for an empty plaintext, which has no memory of its own to point at. */
  readonly #empty = new Uint8Array(new ArrayBuffer(16));
  /** The MESSAGE path (sealFrame, openFrame). */
  readonly #frames: NativeFrames;

  constructor(sodium: Symbols, opened: { flags: number }) {
    this.#sodium = sodium;
    this.#frames = new NativeFrames(sodium, opened);
  }

  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array {
    const length = plaintext.length;
    const sealed = new Uint8Array(new ArrayBuffer(length + BOX_OVERHEAD));
    this.#sodium.crypto_secretbox_easy(sealed, length === 0 ? this.#empty : plaintext, length, nonce, key);
    return sealed;
  }

  open(key: Uint8Array, nonce: Uint8Array, box: Uint8Array): Uint8Array | null {
    const length = box.length - BOX_OVERHEAD;
    const plaintext = new Uint8Array(new ArrayBuffer(length));
    const m = length === 0 ? this.#empty : plaintext;
    return this.#sodium.crypto_secretbox_open_easy(m, box, box.length, nonce, key) === 0 ? plaintext : null;
  }

  sealFrame(key: Uint8Array, nonce: Uint8Array, flags: number, frame: Uint8Array, out: Uint8Array, at: number): void {
    this.#frames.sealFrame(key, nonce, flags, frame, out, at);
  }

  openFrame(key: Uint8Array, nonce: Uint8Array, source: Uint8Array, at: number): Buffer | null {
    return this.#frames.openFrame(key, nonce, source, at);
  }
}
