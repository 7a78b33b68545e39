// NaCl's crypto_box family as CurveZMQ (RFC 26) uses it, from two sources measured on this machine
// (bun bench/micro/curve-crypto.bench.ts): X25519 from Bun's node:crypto, about 10x faster than
// @noble/curves (41 µs against 387 µs per shared secret); XSalsa20-Poly1305 and HSalsa20 from
// @noble/ciphers, which Bun's crypto lacks. Every box is NaCl's "easy" layout: a 16-byte
// Poly1305 tag, then the ciphertext.

import { hsalsa, xsalsa20poly1305 } from "@noble/ciphers/salsa.js";
import { createPrivateKey, createPublicKey, diffieHellman, randomBytes as nodeRandomBytes } from "node:crypto";

export const KEY_BYTES = 32;
/** What a box adds to its plaintext: the Poly1305 tag. */
export const BOX_OVERHEAD = 16;
/** Room `sealInPlace` needs before the plaintext (noble's scratch area; the tag lands in its second half). */
export const SEAL_HEADROOM = 32;

// DER wrappers that let node:crypto take raw X25519 keys (RFC 8410: PKCS#8 and SubjectPublicKeyInfo).
const PKCS8_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");
const SPKI_PREFIX = Buffer.from("302a300506032b656e032100", "hex");
const SIGMA = new Uint32Array(Buffer.from("expand 32-byte k", "latin1").buffer.slice(0));
const ZERO_NONCE_WORDS = new Uint32Array(4);

export interface KeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

export function randomBytes(length: number): Uint8Array {
  return new Uint8Array(nodeRandomBytes(length));
}

/** The X25519 public key of a 32-byte secret key (zmq_curve_public). */
export function publicKeyOf(secretKey: Uint8Array): Uint8Array {
  const der = createPublicKey(privateKeyObject(secretKey)).export({ format: "der", type: "spki" });
  return new Uint8Array(der.subarray(SPKI_PREFIX.length));
}

/** A fresh key pair (crypto_box_keypair): a permanent key, or a connection's transient one. */
export function generateKeyPair(): KeyPair {
  const secretKey = randomBytes(KEY_BYTES);
  return { publicKey: publicKeyOf(secretKey), secretKey };
}

/**
 * crypto_box_beforenm: the symmetric key shared by `secretKey`'s owner and `publicKey`'s owner,
 * HSalsa20 over their X25519 secret. Null when the peer's key is of low order (the X25519 result is
 * all zeros), which libsodium refuses too.
 */
export function sharedKey(publicKey: Uint8Array, secretKey: Uint8Array): Uint8Array | null {
  let secret: Buffer;
  try {
    secret = diffieHellman({ privateKey: privateKeyObject(secretKey), publicKey: publicKeyObject(publicKey) });
  } catch {
    return null;
  }
  if (secret.every((byte) => byte === 0)) return null;
  const keyWords = new Uint32Array(secret.buffer.slice(secret.byteOffset, secret.byteOffset + KEY_BYTES));
  const out = new Uint32Array(8);
  hsalsa(SIGMA, keyWords, ZERO_NONCE_WORDS, out);
  return new Uint8Array(out.buffer);
}

/** crypto_box_afternm / crypto_secretbox: tag ‖ ciphertext of `plaintext`, in a new array. */
export function seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array {
  return xsalsa20poly1305(key, nonce).encrypt(plaintext);
}

/**
 * Seals `buffer[SEAL_HEADROOM..]` where it lies: afterwards `buffer[16..]` is tag ‖ ciphertext and
 * `buffer[0..16]` is zeroed for the caller's header. Saves the copy and allocation of `seal`.
 */
export function sealInPlace(key: Uint8Array, nonce: Uint8Array, buffer: Uint8Array): void {
  xsalsa20poly1305(key, nonce).encrypt(buffer.subarray(SEAL_HEADROOM), buffer);
}

/** crypto_box_open_afternm / crypto_secretbox_open: the plaintext, or null if the tag does not verify. */
export function open(key: Uint8Array, nonce: Uint8Array, box: Uint8Array): Uint8Array | null {
  if (box.length < BOX_OVERHEAD) return null;
  try {
    return xsalsa20poly1305(key, nonce).decrypt(box);
  } catch {
    return null;
  }
}

function privateKeyObject(secretKey: Uint8Array) {
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, secretKey]), format: "der", type: "pkcs8" });
}

function publicKeyObject(publicKey: Uint8Array) {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: "der", type: "spki" });
}
