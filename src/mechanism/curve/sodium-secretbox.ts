// crypto_secretbox from libsodium's WebAssembly build, called through its raw Emscripten module
// rather than libsodium-wrappers' functions: plaintext and key go straight into a scratch area of
// the WebAssembly heap kept between calls, and the result is copied once, into its final place. The
// wrappers would allocate, copy and free on both sides of every call, which costs more than the
// cipher for small frames. libsodium-wrappers is pinned (package.json) because this leans on its
// `libsodium` export. Imports only secretbox.ts.

import type { SecretBox } from "./secretbox.ts";

/** The part of libsodium's Emscripten module used here (C functions take pointers into HEAPU8). */
export interface RawLibsodium {
  readonly HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(pointer: number): void;
  /** (c, m, mlen low, mlen high, n, k) → 0 */
  _crypto_secretbox_easy(c: number, m: number, mlenLow: number, mlenHigh: number, n: number, k: number): number;
  /** (m, c, clen low, clen high, n, k) → 0, or -1 when the tag does not verify */
  _crypto_secretbox_open_easy(m: number, c: number, clenLow: number, clenHigh: number, n: number, k: number): number;
}

const TAG_BYTES = 16;
/** Scratch kept between calls; a larger frame gets a scratch area of its own, freed after the call. */
const KEPT_SCRATCH_BYTES = 256 * 1024;

export class SodiumSecretBox implements SecretBox {
  readonly #raw: RawLibsodium;
  readonly #opened: { flags: number };
  /** Key (32) and nonce (24), rewritten per call. */
  readonly #keyAt: number;
  readonly #nonceAt: number;
  #scratchAt = 0;
  #scratchBytes = 0;
  /** Where `#prepare` placed this call's plaintext (m) and box (c) areas. */
  #m = 0;
  #c = 0;

  constructor(raw: RawLibsodium, opened: { flags: number }) {
    this.#raw = raw;
    this.#opened = opened;
    this.#keyAt = raw._malloc(64);
    this.#nonceAt = this.#keyAt + 32;
  }

  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array {
    const length = plaintext.length;
    this.#prepare(key, nonce, length + TAG_BYTES);
    const m = this.#m;
    const c = this.#c;
    this.#raw.HEAPU8.set(plaintext, m);
    this.#raw._crypto_secretbox_easy(c, m, length, 0, this.#nonceAt, this.#keyAt);
    const sealed = this.#raw.HEAPU8.slice(c, c + length + TAG_BYTES);
    this.#release();
    return sealed;
  }

  open(key: Uint8Array, nonce: Uint8Array, box: Uint8Array): Uint8Array | null {
    this.#prepare(key, nonce, box.length);
    const m = this.#m;
    const c = this.#c;
    this.#raw.HEAPU8.set(box, c);
    const ok = this.#raw._crypto_secretbox_open_easy(m, c, box.length, 0, this.#nonceAt, this.#keyAt) === 0;
    const plaintext = ok ? this.#raw.HEAPU8.slice(m, m + box.length - TAG_BYTES) : null;
    this.#release();
    return plaintext;
  }

  sealFrame(key: Uint8Array, nonce: Uint8Array, flags: number, frame: Uint8Array, out: Uint8Array, at: number): void {
    const length = 1 + frame.length;
    this.#prepare(key, nonce, length + TAG_BYTES);
    const m = this.#m;
    const c = this.#c;
    const heap = this.#raw.HEAPU8;
    heap[m] = flags;
    heap.set(frame, m + 1);
    this.#raw._crypto_secretbox_easy(c, m, length, 0, this.#nonceAt, this.#keyAt);
    out.set(heap.subarray(c, c + length + TAG_BYTES), at);
    this.#release();
  }

  openFrame(key: Uint8Array, nonce: Uint8Array, box: Uint8Array): Buffer | null {
    this.#prepare(key, nonce, box.length);
    const m = this.#m;
    const c = this.#c;
    const heap = this.#raw.HEAPU8;
    heap.set(box, c);
    let frame: Buffer | null = null;
    if (this.#raw._crypto_secretbox_open_easy(m, c, box.length, 0, this.#nonceAt, this.#keyAt) === 0) {
      this.#opened.flags = heap[m]!;
      frame = Buffer.copyBytesFrom(heap, m + 1, box.length - TAG_BYTES - 1);
    }
    this.#release();
    return frame;
  }

  /** Writes key and nonce, and sets `#m` and `#c` to two scratch areas of `bytes` each. */
  #prepare(key: Uint8Array, nonce: Uint8Array, bytes: number): void {
    if (bytes > this.#scratchBytes) {
      if (this.#scratchBytes > 0) this.#raw._free(this.#scratchAt);
      this.#scratchBytes = Math.max(bytes, 4096);
      // Each area starts 16-byte aligned: libsodium is faster on aligned buffers.
      this.#scratchAt = this.#raw._malloc(2 * this.#scratchBytes + 32);
    }
    // Read HEAPU8 only now: _malloc may have grown the WebAssembly memory and replaced it.
    const heap = this.#raw.HEAPU8;
    heap.set(key, this.#keyAt);
    heap.set(nonce, this.#nonceAt);
    this.#m = (this.#scratchAt + 15) & ~15;
    this.#c = this.#m + ((this.#scratchBytes + 15) & ~15);
  }

  /** Gives back a scratch area grown beyond what is kept between calls. */
  #release(): void {
    if (this.#scratchBytes <= KEPT_SCRATCH_BYTES) return;
    this.#raw._free(this.#scratchAt);
    this.#scratchBytes = 0;
  }
}
