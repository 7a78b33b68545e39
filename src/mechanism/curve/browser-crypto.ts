// CURVE's crypto for the browser build, where CURVE cannot run (scripts/build-browser.ts puts this
// file in place of both box.ts and secretbox.ts). A browser offers only the bare "ZWS2.0"
// subprotocol, which has no handshake, so no mechanism but NULL ever runs there, and the options
// refuse CURVE's keys before anything here could be reached (api/browser-security.ts). Standing in
// for box.ts's X25519 (Bun's node:crypto) and secretbox.ts's XSalsa20-Poly1305 (@noble/ciphers)
// keeps both out of the page. Every function that would need them throws
// EINVAL, naming the reason. Imports core.

import { ZmqError } from "../../core/errors.ts";

export const KEY_BYTES = 32;

export interface KeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

/** What every entry point here throws: the browser build has no CURVE, by design. */
function noCurve(): never {
  throw new ZmqError(
    "EINVAL",
    "CURVE is not available in bunzmq/browser: a browser can offer only the bare ZWS2.0 subprotocol (NULL); use wss:// for security",
  );
}

/** crypto.getRandomValues is everywhere a browser runs, so random bytes still work. */
export function randomBytes(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}

export function publicKeyOf(_secretKey: Uint8Array): Uint8Array {
  return noCurve();
}

export function generateKeyPair(): KeyPair {
  return noCurve();
}

export function sharedKey(_publicKey: Uint8Array, _secretKey: Uint8Array): Uint8Array | null {
  return noCurve();
}

/** The flags byte of the last frame openFrame opened (secretbox.ts's shared out-parameter). */
export const opened = { flags: 0 };

export function seal(_key: Uint8Array, _nonce: Uint8Array, _plaintext: Uint8Array): Uint8Array {
  return noCurve();
}

export function open(_key: Uint8Array, _nonce: Uint8Array, _box: Uint8Array): Uint8Array | null {
  return noCurve();
}

export function sealFrame(_key: Uint8Array, _nonce: Uint8Array, _flags: number, _frame: Uint8Array, _out: Uint8Array, _at: number): void {
  noCurve();
}

export function openFrame(_key: Uint8Array, _nonce: Uint8Array, _source: Uint8Array, _at: number): Uint8Array | null {
  return noCurve();
}
