// crypto_secretbox from @noble/ciphers: pure TypeScript, always available; the fallback source of
// secretbox.ts. noble allocates its own output (handing it a Buffer to fill would make its Poly1305
// copy the input byte by byte through Bun's slow Uint8Array.from). Imports only @noble/ciphers and
// secretbox-source.ts.

import { xsalsa20poly1305 } from "@noble/ciphers/salsa.js";
import { CopyingSecretBox } from "./secretbox-source.ts";

export class NobleSecretBox extends CopyingSecretBox {
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
}
