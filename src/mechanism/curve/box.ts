// NaCl's crypto_box family as CurveZMQ (RFC 26) uses it, each primitive from the fastest of the
// well-kept sources measured on this machine (bun bench/micro/curve-crypto.bench.ts):
// - X25519 from Bun's node:crypto, about 10x faster than @noble/curves or libsodium's WebAssembly.
// - XSalsa20-Poly1305 (crypto_secretbox) from libsodium's WebAssembly build (libsodium-wrappers),
//   2-3x faster than @noble/ciphers, whose Poly1305 runs near 55 MB/s; Bun's crypto has neither
//   cipher. The WebAssembly takes about 40 ms to compile, so it loads in the background once CURVE is
//   first configured (`loadLibsodium`), and @noble/ciphers serves until then, or for good where
//   WebAssembly is unavailable. Both compute the same function, so a switch mid-connection is safe.
// - HSalsa20, for crypto_box_beforenm, from @noble/ciphers (once per connection).
// Every box is NaCl's "easy" layout: a 16-byte Poly1305 tag, then the ciphertext.

import { hsalsa, xsalsa20poly1305 } from "@noble/ciphers/salsa.js";
import { createPrivateKey, createPublicKey, diffieHellman, randomBytes as nodeRandomBytes } from "node:crypto";

export const KEY_BYTES = 32;
/** What a box adds to its plaintext: the Poly1305 tag. */
export const BOX_OVERHEAD = 16;

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

/** crypto_secretbox with its open: what `seal` and `open` delegate to. */
export interface SecretBox {
  /** tag ‖ ciphertext of `plaintext`, in a new array. */
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** The plaintext in a new array, or null if the tag does not verify. */
  open(key: Uint8Array, nonce: Uint8Array, box: Uint8Array): Uint8Array | null;
}

/** @noble/ciphers' XSalsa20-Poly1305: always available, pure TypeScript. */
export const nobleSecretBox: SecretBox = {
  seal: (key, nonce, plaintext) => xsalsa20poly1305(key, nonce).encrypt(plaintext),
  open: (key, nonce, box) => {
    try {
      return xsalsa20poly1305(key, nonce).decrypt(box);
    } catch {
      return null;
    }
  },
};

let secretBox: SecretBox = nobleSecretBox;
let libsodium: Promise<SecretBox | null> | null = null;

/**
 * Starts loading libsodium's crypto_secretbox (once; later calls return the same promise) and uses it
 * from the moment it is ready. Resolves with it, or null where it cannot load (then noble stays).
 */
export function loadLibsodium(): Promise<SecretBox | null> {
  libsodium ??= import("libsodium-wrappers").then(
    async ({ default: sodium }) => {
      await sodium.ready;
      const box: SecretBox = {
        seal: (key, nonce, plaintext) => sodium.crypto_secretbox_easy(plaintext, nonce, key),
        open: (key, nonce, sealed) => {
          try {
            return sodium.crypto_secretbox_open_easy(sealed, nonce, key);
          } catch {
            return null;
          }
        },
      };
      secretBox = box;
      return box;
    },
    () => null,
  );
  return libsodium;
}

/** Which crypto_secretbox serves now: "libsodium" once loaded, else "noble". */
export function secretBoxSource(): "libsodium" | "noble" {
  return secretBox === nobleSecretBox ? "noble" : "libsodium";
}

/** crypto_box_afternm / crypto_secretbox: tag ‖ ciphertext of `plaintext`, in a new array. */
export function seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array {
  return secretBox.seal(key, nonce, plaintext);
}

/** crypto_box_open_afternm / crypto_secretbox_open: the plaintext, or null if the tag does not verify. */
export function open(key: Uint8Array, nonce: Uint8Array, box: Uint8Array): Uint8Array | null {
  if (box.length < BOX_OVERHEAD) return null;
  return secretBox.open(key, nonce, box);
}

function privateKeyObject(secretKey: Uint8Array) {
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, secretKey]), format: "der", type: "pkcs8" });
}

function publicKeyObject(publicKey: Uint8Array) {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: "der", type: "spki" });
}
