// crypto_secretbox from @noble/ciphers: pure TypeScript, always available; the fallback source of
// secretbox.ts. noble allocates its own output (handing it a Buffer to fill would make its Poly1305
// copy the input byte by byte through Bun's slow Uint8Array.from). Imports only @noble/ciphers and
// secretbox-source.ts.

import { xsalsa20poly1305 } from "@noble/ciphers/salsa.js";
import type { SecretBox } from "./secretbox-source.ts";

export class NobleSecretBox implements SecretBox {
  readonly #opened: { flags: number };

  /** `opened` receives the inner flags of each frame `openFrame` returns. */
  constructor(opened: { flags: number }) {
    this.#opened = opened;
  }

  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array {
    return xsalsa20poly1305(key, nonce).encrypt(plaintext);
  }

  open(key: Uint8Array, nonce: Uint8Array, box: Uint8Array): Uint8Array | null {
    try {
      return xsalsa20poly1305(key, nonce).decrypt(box);
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
    const plaintext = this.open(key, nonce, box);
    if (plaintext === null) return null;
    this.#opened.flags = plaintext[0]!;
    return Buffer.from(plaintext.buffer, plaintext.byteOffset + 1, plaintext.length - 1);
  }
}
