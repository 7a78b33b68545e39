// The key side of NaCl's crypto_box as CurveZMQ (RFC 26) uses it: X25519 key pairs and the shared
// key of two of them (crypto_box_beforenm), which secretbox.ts then seals with. X25519 comes from
// Bun's node:crypto, about 10x faster here than @noble/curves or libsodium's WebAssembly
// (bun bench/micro/curve-crypto.bench.ts); HSalsa20, once per shared key, from @noble/ciphers.
// Imports nothing from src/.

import { hsalsa } from "@noble/ciphers/salsa.js";
import { createPrivateKey, createPublicKey, diffieHellman, randomBytes as nodeRandomBytes } from "node:crypto";

export const KEY_BYTES = 32;

// DER wrappers that let node:crypto take raw X25519 keys (RFC 8410: PKCS#8 and SubjectPublicKeyInfo).
const PKCS8_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");
const SPKI_PREFIX = Buffer.from("302a300506032b656e032100", "hex");
const SIGMA = new Uint32Array(Uint8Array.from("expand 32-byte k", (char) => char.charCodeAt(0)).buffer);
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

function privateKeyObject(secretKey: Uint8Array) {
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, secretKey]), format: "der", type: "pkcs8" });
}

function publicKeyObject(publicKey: Uint8Array) {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: "der", type: "spki" });
}
