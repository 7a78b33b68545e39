// crypto_secretbox (XSalsa20-Poly1305), which seals every CurveZMQ box once the key is agreed,
// through the source the engine's crypto backend chose (engine/crypto-backend.ts: native libsodium,
// or its WebAssembly fallback); @noble/ciphers serves until a choice is made. All sources compute
// the same function, so a switch in the middle of a connection is safe. Imports only its siblings
// in curve/.
//
// Every box is NaCl's "easy" layout: a 16-byte Poly1305 tag, then the ciphertext (the interface every
// source implements: secretbox-source.ts). `sealFrame` and `openFrame` are the MESSAGE path: the
// inner flags byte travels with the frame without either being copied into a joined plaintext first.

import { NobleSecretBox } from "./noble-secretbox.ts";
import { BOX_OVERHEAD, type SecretBox } from "./secretbox-source.ts";

/** The inner flags of the frame `openFrame` returned last (a field, not a tuple: no allocation per MESSAGE). */
export const opened = { flags: 0 };

/** Pure TypeScript, always available: what serves before the backend is chosen, or while WebAssembly compiles. */
export const nobleSecretBox: SecretBox = new NobleSecretBox(opened);

let active: SecretBox = nobleSecretBox;

/** Makes `box` the source of every seal and open from now on (the crypto backend's one lever). */
export function serveSecretBox(box: SecretBox): void {
  active = box;
}

/** crypto_box_afternm / crypto_secretbox: tag ‖ ciphertext of `plaintext`, in a new array. */
export function seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array {
  return active.seal(key, nonce, plaintext);
}

/** crypto_box_open_afternm / crypto_secretbox_open: the plaintext, or null if the tag does not verify. */
export function open(key: Uint8Array, nonce: Uint8Array, box: Uint8Array): Uint8Array | null {
  if (box.length < BOX_OVERHEAD) return null;
  return active.open(key, nonce, box);
}

/** See SecretBox.sealFrame. */
export function sealFrame(key: Uint8Array, nonce: Uint8Array, flags: number, frame: Uint8Array, out: Uint8Array, at: number): void {
  active.sealFrame(key, nonce, flags, frame, out, at);
}

/** See SecretBox.openFrame; a box shorter than tag plus flags byte is refused here. */
export function openFrame(key: Uint8Array, nonce: Uint8Array, source: Uint8Array, at: number): Buffer | null {
  if (source.length - at < BOX_OVERHEAD + 1) return null;
  return active.openFrame(key, nonce, source, at);
}
