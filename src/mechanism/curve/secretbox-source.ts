// What every source of crypto_secretbox (XSalsa20-Poly1305) provides, and the size of the tag it
// adds: the common ground of secretbox.ts, which picks a source, and of the sources themselves
// (noble-secretbox.ts, sodium-secretbox.ts), with the frame layer those two share. Imports nothing.

/** What a box adds to its plaintext: the Poly1305 tag (NaCl's "easy" layout puts it first). */
export const BOX_OVERHEAD = 16;

/** One implementation of crypto_secretbox; every box is tag ‖ ciphertext. */
export interface SecretBox {
  /** tag ‖ ciphertext of `plaintext`, in a new array. */
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** The plaintext in a new array, or null if the tag does not verify. */
  open(key: Uint8Array, nonce: Uint8Array, box: Uint8Array): Uint8Array | null;
  /** Seals `flags ‖ frame` into `out[at..]` (frame.length + 17 bytes: tag ‖ ciphertext). */
  sealFrame(key: Uint8Array, nonce: Uint8Array, flags: number, frame: Uint8Array, out: Uint8Array, at: number): void;
  /**
   * Opens the box of `flags ‖ frame` that fills `source[at..]` (a MESSAGE body past its name and
   * nonce: no view is made for it): the frame in a new Buffer, or a large one decrypted in place as a
   * Buffer view of `source` (whose bytes are then plaintext), the flags in `opened.flags`; or null,
   * with `source` untouched.
   */
  openFrame(key: Uint8Array, nonce: Uint8Array, source: Uint8Array, at: number): Buffer | null;
}

/**
 * A source that only seals and opens whole arrays (noble, libsodium's WebAssembly build): frames go
 * through a copy of `flags ‖ frame` in, and a view past the flags byte of the opened copy out.
 */
export abstract class CopyingSecretBox implements SecretBox {
  readonly #opened: { flags: number };

  /** `opened` receives the inner flags of each frame `openFrame` returns. */
  constructor(opened: { flags: number }) {
    this.#opened = opened;
  }

  abstract seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array;
  abstract open(key: Uint8Array, nonce: Uint8Array, box: Uint8Array): Uint8Array | null;

  sealFrame(key: Uint8Array, nonce: Uint8Array, flags: number, frame: Uint8Array, out: Uint8Array, at: number): void {
    const plaintext = new Uint8Array(1 + frame.length);
    plaintext[0] = flags;
    plaintext.set(frame, 1);
    out.set(this.seal(key, nonce, plaintext), at);
  }

  openFrame(key: Uint8Array, nonce: Uint8Array, source: Uint8Array, at: number): Buffer | null {
    const box = source.subarray(at);
    if (box.length < BOX_OVERHEAD + 1) return null;
    const plaintext = this.open(key, nonce, box);
    if (plaintext === null) return null;
    this.#opened.flags = plaintext[0]!;
    return Buffer.from(plaintext.buffer, plaintext.byteOffset + 1, plaintext.length - 1);
  }
}
