// crypto_secretbox from the system's libsodium (Debian's libsodium23, installed wherever libzmq5
// is), called through bun:ffi: the same native, vectorised code libzmq seals with. Every call hands
// libsodium pointers into our own arrays, so a MESSAGE is sealed where it will be written (the
// engine's batch) and opened straight into the Buffer the application receives. Chosen by
// crypto-backend.ts. Imports only mechanism/curve/secretbox-source.ts and bun:ffi.
//
// Whole arrays (key, nonce, outputs) are passed as they are: bun:ffi reads their address at the
// call, which costs less than `ptr()` (about 25 ns each here). An address inside an array comes
// from `ptr()` at the call, except the batch's: the engine seals into the same batch many times,
// and a batch owns its ArrayBuffer, whose bytes never move, so its address is kept while it stays
// the same array. A pointer into a small array without an ArrayBuffer of its own can go stale once
// taken (bun-notes §7, oven-sh/bun#32054), so only the batch's is kept.

import { dlopen, FFIType, type Pointer, ptr } from "bun:ffi";
import { BOX_OVERHEAD, type SecretBox } from "../mechanism/curve/secretbox-source.ts";

/** The soname Debian's libsodium23 installs (libzmq5 depends on it). */
export const LIBSODIUM_SONAME = "libsodium.so.23";

const SYMBOLS = {
  sodium_init: { args: [], returns: FFIType.i32 },
  // (c, m, mlen, n, k) → 0; c and m may be the same memory shifted by the tag (sealFrame relies on it).
  crypto_secretbox_easy: { args: [FFIType.ptr, FFIType.ptr, FFIType.u64, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
  // (m, c, clen, n, k) → 0, or -1 when the tag does not verify.
  crypto_secretbox_open_easy: { args: [FFIType.ptr, FFIType.ptr, FFIType.u64, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
} as const;

/** Frames up to this size (with their flags byte) open into scratch and are copied out (bench/micro/curve-crypto.bench.ts). */
const SCRATCH_BYTES = 4096;
/** Up to this many bytes a loop copies out of scratch faster than Buffer.copyBytesFrom. */
const COPY_LOOP_BYTES = 64;

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
  readonly #opened: { flags: number };
  /** Stands in for an empty plaintext, which has no memory of its own to point at. */
  readonly #empty = new Uint8Array(new ArrayBuffer(16));
  /** Where small frames open (openFrame), kept for the thread's life. */
  readonly #scratch = new Uint8Array(new ArrayBuffer(SCRATCH_BYTES));
  /** The array sealFrame wrote into last (the engine's batch) and its address. */
  #out: Uint8Array | null = null;
  #outAddress = 0 as Pointer;

  constructor(sodium: Symbols, opened: { flags: number }) {
    this.#sodium = sodium;
    this.#opened = opened;
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

  /**
   * Places `flags ‖ frame` where its ciphertext belongs (after the tag) and encrypts it there: the
   * frame's one copy is into `out`, which is the engine's batch, and libsodium works in place.
   */
  sealFrame(key: Uint8Array, nonce: Uint8Array, flags: number, frame: Uint8Array, out: Uint8Array, at: number): void {
    const length = frame.length;
    const m = at + BOX_OVERHEAD;
    out[m] = flags;
    if (length <= 16) {
      for (let i = 0; i < length; i++) out[m + 1 + i] = frame[i]!;
    } else {
      out.set(frame, m + 1);
    }
    if (out !== this.#out) {
      this.#out = out;
      this.#outAddress = ptr(out);
    }
    const address = this.#outAddress;
    this.#sodium.crypto_secretbox_easy((address + at) as Pointer, (address + m) as Pointer, length + 1, nonce, key);
  }

  /**
   * Small frames open into a scratch area and are copied out (a copy of a few bytes costs less than
   * a view that drops the flags byte); large ones open straight into the Buffer handed on, the
   * frame a view after the flags byte.
   */
  openFrame(key: Uint8Array, nonce: Uint8Array, source: Uint8Array, at: number): Buffer | null {
    const boxBytes = source.length - at;
    const length = boxBytes - BOX_OVERHEAD;
    if (length > SCRATCH_BYTES) {
      const plaintext = Buffer.allocUnsafe(length);
      if (this.#sodium.crypto_secretbox_open_easy(plaintext, ptr(source, at), boxBytes, nonce, key) !== 0) return null;
      this.#opened.flags = plaintext[0]!;
      return plaintext.subarray(1);
    }
    const scratch = this.#scratch;
    if (this.#sodium.crypto_secretbox_open_easy(scratch, ptr(source, at), boxBytes, nonce, key) !== 0) return null;
    this.#opened.flags = scratch[0]!;
    if (length > COPY_LOOP_BYTES) return Buffer.copyBytesFrom(scratch, 1, length - 1);
    const frame = Buffer.allocUnsafe(length - 1);
    for (let i = 1; i < length; i++) frame[i - 1] = scratch[i]!;
    return frame;
  }
}
