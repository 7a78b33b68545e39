// crypto_secretbox from libsodium's WebAssembly build, through libsodium-wrappers' documented
// functions (crypto_secretbox_easy, crypto_secretbox_open_easy): the fallback where the system's
// libsodium cannot be loaded (crypto-backend.ts). The wrappers copy into and out of the WebAssembly
// heap on every call; that is the price of a documented API, and it only applies where native code
// is missing. Imports only secretbox-source.ts (the module object is passed in).

import { CopyingSecretBox } from "./secretbox-source.ts";

/** The documented part of libsodium-wrappers used here (available once `ready` resolves). */
export interface SodiumWrappers {
  crypto_secretbox_easy(message: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array;
  /** Throws when the tag does not verify. */
  crypto_secretbox_open_easy(ciphertext: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array;
}

export class SodiumSecretBox extends CopyingSecretBox {
  readonly #sodium: SodiumWrappers;

  constructor(sodium: SodiumWrappers, opened: { flags: number }) {
    super(opened);
    this.#sodium = sodium;
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
}
