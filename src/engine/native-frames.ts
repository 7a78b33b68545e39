// The MESSAGE path of the native secretbox (native-secretbox.ts): crypto_secretbox of `flags ‖ frame`
// built from libsodium's parts, so that the per-message work is only what changes per message.
// Imports only bun:ffi (the library is opened by native-secretbox.ts).
//
// crypto_secretbox is XSalsa20-Poly1305, and XSalsa20 under (key, nonce) is Salsa20 under
// (HSalsa20(key, nonce[0, 16)), nonce[16, 24)). A CurveZMQ MESSAGE nonce is a fixed 16-byte prefix
// and an 8-byte counter (nonces.ts), so the HSalsa20 half is the same for every MESSAGE one side of
// a connection seals or opens: it is derived once per nonce array (MessageBox keeps one per
// direction) and kept beside it. Each MESSAGE then costs, as in libsodium's own crypto_secretbox:
// the first Salsa20 block gives the Poly1305 key (bytes 0-31) and encrypts up to 32 bytes of text
// (bytes 32-63), the rest of the text is encrypted from block 1, and Poly1305 tags the ciphertext.
// The bytes are crypto_secretbox's to the last one (src/engine/secretbox-sources.test.ts).

import { FFIType, type Pointer, ptr } from "bun:ffi";

export const FRAME_SYMBOLS = {
  // (out 32, in 16, k 32, c 16 or null) → 0
  crypto_core_hsalsa20: { args: [FFIType.ptr, FFIType.ptr, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
  // (c, m, mlen, n 8, k 32) → 0; c may be m
  crypto_stream_salsa20_xor: { args: [FFIType.ptr, FFIType.ptr, FFIType.u64, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
  // (c, m, mlen, n 8, first block, k 32) → 0; c may be m
  crypto_stream_salsa20_xor_ic: {
    args: [FFIType.ptr, FFIType.ptr, FFIType.u64, FFIType.ptr, FFIType.u64, FFIType.ptr],
    returns: FFIType.i32,
  },
  // (tag 16, in, inlen, k 32) → 0
  crypto_onetimeauth_poly1305: { args: [FFIType.ptr, FFIType.ptr, FFIType.u64, FFIType.ptr], returns: FFIType.i32 },
  // (tag 16, in, inlen, k 32) → 0, or -1 when the tag does not match (compared in constant time)
  crypto_onetimeauth_poly1305_verify: { args: [FFIType.ptr, FFIType.ptr, FFIType.u64, FFIType.ptr], returns: FFIType.i32 },
} as const;

/** The symbols above, as bun:ffi binds them. */
export interface FrameSymbols {
  crypto_core_hsalsa20(out: Uint8Array, input: Uint8Array, key: Uint8Array, constant: null): number;
  crypto_stream_salsa20_xor(c: Uint8Array | Pointer, m: Uint8Array | Pointer, length: number, nonce: Uint8Array, key: Uint8Array): number;
  crypto_stream_salsa20_xor_ic(
    c: Pointer | Uint8Array,
    m: Pointer,
    length: number,
    nonce: Uint8Array,
    block: number,
    key: Uint8Array,
  ): number;
  crypto_onetimeauth_poly1305(tag: Pointer, input: Pointer, length: number, key: Uint8Array): number;
  crypto_onetimeauth_poly1305_verify(tag: Pointer, input: Pointer, length: number, key: Uint8Array): number;
}

const TAG_BYTES = 16;
/** Text bytes the first Salsa20 block encrypts after the 32 bytes of Poly1305 key. */
const HEAD_BYTES = 32;
/**
 * Frames this large are decrypted in the received bytes and handed on as views: a new Buffer for
 * each cost 9% of a 64 KiB CURVE receiver and 11% of a 1 KiB one (bun --cpu-prof; a view, 4%).
 * Below it a copy out of the Salsa20 block costs less than a view.
 */
const IN_PLACE_BYTES = 256;

/** One nonce array's derived key: valid while it is used with `key` and its prefix is unchanged. */
interface Subkey {
  key: Uint8Array;
  prefix: Uint8Array;
  subkey: Uint8Array;
}

export class NativeFrames {
  readonly #sodium: FrameSymbols;
  readonly #opened: { flags: number };
  readonly #subkeys = new WeakMap<Uint8Array, Subkey>();
  /** The first Salsa20 block: Poly1305 key (0-31), then up to 32 bytes of text (32-63). */
  readonly #block = new Uint8Array(new ArrayBuffer(64));
  readonly #polyKeyWords = new Uint32Array(this.#block.buffer, 0, 8);
  /** This MESSAGE's counter: the nonce's last 8 bytes, Salsa20's nonce. */
  readonly #counter = new Uint8Array(new ArrayBuffer(8));
  /** The array sealFrame wrote into last (the engine's batch: it owns its ArrayBuffer) and its address. */
  #out: Uint8Array | null = null;
  #outAddress = 0;

  constructor(sodium: FrameSymbols, opened: { flags: number }) {
    this.#sodium = sodium;
    this.#opened = opened;
  }

  /** See SecretBox.sealFrame: the box of `flags ‖ frame` into `out[at, at + frame.length + 17)`. */
  sealFrame(key: Uint8Array, nonce: Uint8Array, flags: number, frame: Uint8Array, out: Uint8Array, at: number): void {
    const subkey = this.#start(key, nonce);
    const length = frame.length + 1;
    const head = length < HEAD_BYTES ? length : HEAD_BYTES;
    const block = this.#block;
    block[HEAD_BYTES] = flags;
    for (let i = 1; i < head; i++) block[HEAD_BYTES + i] = frame[i - 1]!;
    this.#sodium.crypto_stream_salsa20_xor(block, block, HEAD_BYTES + head, this.#counter, subkey);
    if (out !== this.#out) {
      this.#out = out;
      this.#outAddress = ptr(out);
    }
    const text = at + TAG_BYTES;
    for (let i = 0; i < head; i++) out[text + i] = block[HEAD_BYTES + i]!;
    const address = this.#outAddress;
    if (length > HEAD_BYTES) {
      // The rest of the frame is read from the application's memory and its ciphertext written
      // straight into the batch: the frame is never copied as plaintext.
      const rest = length - HEAD_BYTES;
      this.#sodium.crypto_stream_salsa20_xor_ic(
        (address + text + HEAD_BYTES) as Pointer,
        ptr(frame, HEAD_BYTES - 1),
        rest,
        this.#counter,
        1,
        subkey,
      );
    }
    this.#sodium.crypto_onetimeauth_poly1305((address + at) as Pointer, (address + text) as Pointer, length, block);
  }

  /**
   * See SecretBox.openFrame: the tag is checked before anything is decrypted. A frame of
   * IN_PLACE_BYTES or more is decrypted where it lies and handed on as a view (the engine gives the
   * received bytes up, as with views of unencrypted frames); a smaller one into a new Buffer.
   */
  openFrame(key: Uint8Array, nonce: Uint8Array, source: Uint8Array, at: number): Buffer | null {
    const subkey = this.#start(key, nonce);
    const length = source.length - at - TAG_BYTES;
    const head = length < HEAD_BYTES ? length : HEAD_BYTES;
    const block = this.#block;
    const text = at + TAG_BYTES;
    for (let i = 0; i < head; i++) block[HEAD_BYTES + i] = source[text + i]!;
    this.#sodium.crypto_stream_salsa20_xor(block, block, HEAD_BYTES + head, this.#counter, subkey);
    const address = ptr(source, at);
    if (this.#sodium.crypto_onetimeauth_poly1305_verify(address, (address + TAG_BYTES) as Pointer, length, block) !== 0) return null;
    this.#opened.flags = block[HEAD_BYTES]!;
    const rest = (address + TAG_BYTES + HEAD_BYTES) as Pointer;
    if (length - 1 >= IN_PLACE_BYTES) {
      for (let i = 1; i < head; i++) source[text + i] = block[HEAD_BYTES + i]!;
      this.#sodium.crypto_stream_salsa20_xor_ic(rest, rest, length - HEAD_BYTES, this.#counter, 1, subkey);
      return Buffer.from(source.buffer, source.byteOffset + text + 1, length - 1);
    }
    const frame = Buffer.allocUnsafe(length - 1);
    for (let i = 1; i < head; i++) frame[i - 1] = block[HEAD_BYTES + i]!;
    if (length > HEAD_BYTES) {
      this.#sodium.crypto_stream_salsa20_xor_ic(ptr(frame, HEAD_BYTES - 1), rest, length - HEAD_BYTES, this.#counter, 1, subkey);
    }
    return frame;
  }

  /** Readies the block (Poly1305 key bytes zero) and the counter; returns the nonce's subkey. */
  #start(key: Uint8Array, nonce: Uint8Array): Uint8Array {
    let entry = this.#subkeys.get(nonce);
    if (entry === undefined || entry.key !== key || !startsWith(nonce, entry.prefix)) {
      const prefix = new Uint8Array(new ArrayBuffer(16));
      for (let i = 0; i < 16; i++) prefix[i] = nonce[i]!;
      const subkey = new Uint8Array(new ArrayBuffer(32));
      this.#sodium.crypto_core_hsalsa20(subkey, prefix, key, null);
      entry = { key, prefix, subkey };
      this.#subkeys.set(nonce, entry);
    }
    const words = this.#polyKeyWords;
    for (let i = 0; i < 8; i++) words[i] = 0;
    const counter = this.#counter;
    for (let i = 0; i < 8; i++) counter[i] = nonce[16 + i]!;
    return entry.subkey;
  }
}

function startsWith(nonce: Uint8Array, prefix: Uint8Array): boolean {
  for (let i = 0; i < 16; i++) if (nonce[i] !== prefix[i]) return false;
  return true;
}
