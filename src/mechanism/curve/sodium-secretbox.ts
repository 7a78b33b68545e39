// crypto_secretbox from libsodium's WebAssembly build, through libsodium-wrappers' documented
// functions (crypto_secretbox_easy, crypto_secretbox_open_easy): the fallback where the system's
// libsodium cannot be loaded (crypto-backend.ts). The wrappers copy into and out of the WebAssembly
// heap on every call; that is the price of a documented API, and it only applies where native code
// is missing. Imports only secretbox-source.ts (the module object is passed in).

import { BOX_OVERHEAD, type SecretBox } from "./secretbox-source.ts";

/** The documented part of libsodium-wrappers used here (available once `ready` resolves). */
export interface SodiumWrappers {
  crypto_secretbox_easy(message: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array;
  /** Throws when the tag does not verify. */
  crypto_secretbox_open_easy(ciphertext: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array;
}

export class SodiumSecretBox implements SecretBox {
  readonly #sodium: SodiumWrappers;
  readonly #opened: { flags: number };

  constructor(sodium: SodiumWrappers, opened: { flags: number }) {
    this.#sodium = sodium;
    this.#opened = opened;
  }

  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array {
    return this.#sodium.crypto_secretbox_easy(plaintext, nonce, key);
  }

  open(key: Uint8Array, nonce: Uint8Array, box: Uint8Array): Uint8Array | null {
    try {
      return this.#sodium.crypto_secretbox_open_easy(box, nonce, key);
    } catch {
      return null;
    }
  }

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
