// crypto_secretbox (XSalsa20-Poly1305), which seals every CurveZMQ box once the key is agreed, from
// the faster of two well-kept sources measured here (bun bench/micro/curve-crypto.bench.ts):
// libsodium's WebAssembly build (libsodium-wrappers, 2-3x faster) and @noble/ciphers (pure
// TypeScript; its Poly1305 runs near 55 MB/s). Bun's crypto has no XSalsa20 or Poly1305. The
// WebAssembly takes about 40 ms to compile, so it loads in the background once CURVE is first
// configured (`loadLibsodium`); noble serves until then, and for good where WebAssembly is missing.
// Both compute the same function, so switching between boxes of one connection is safe. Imports
// only its siblings in curve/ and libsodium-wrappers.
//
// Every box is NaCl's "easy" layout: a 16-byte Poly1305 tag, then the ciphertext. `sealFrame` and
// `openFrame` are the MESSAGE path: the inner flags byte travels with the frame without either
// being copied into a joined plaintext first.

import { NobleSecretBox } from "./noble-secretbox.ts";
import { type RawLibsodium, SodiumSecretBox } from "./sodium-secretbox.ts";

/** What a box adds to its plaintext: the Poly1305 tag. */
export const BOX_OVERHEAD = 16;

export interface SecretBox {
  /** tag ‖ ciphertext of `plaintext`, in a new array. */
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** The plaintext in a new array, or null if the tag does not verify. */
  open(key: Uint8Array, nonce: Uint8Array, box: Uint8Array): Uint8Array | null;
  /** Seals `flags ‖ frame` into `out[at..]` (frame.length + 17 bytes: tag ‖ ciphertext). */
  sealFrame(key: Uint8Array, nonce: Uint8Array, flags: number, frame: Uint8Array, out: Uint8Array, at: number): void;
  /** Opens a box of `flags ‖ frame`: the frame in a new Buffer, the flags in `opened.flags`; or null. */
  openFrame(key: Uint8Array, nonce: Uint8Array, box: Uint8Array): Buffer | null;
}

/** The inner flags of the frame `openFrame` returned last (a field, not a tuple: no allocation per MESSAGE). */
export const opened = { flags: 0 };

export const nobleSecretBox: SecretBox = new NobleSecretBox(opened);
let secretBox: SecretBox = nobleSecretBox;
let libsodium: Promise<SecretBox | null> | null = null;

/**
 * Starts loading libsodium (once; later calls return the same promise) and uses it from the moment
 * it is ready. Resolves with it, or with null where it cannot load (then noble stays).
 */
export function loadLibsodium(): Promise<SecretBox | null> {
  libsodium ??= import("libsodium-wrappers").then(
    async (module) => {
      await module.ready;
      // The raw Emscripten module, exported by libsodium-wrappers as `libsodium`: its heap and C
      // functions let a MESSAGE be sealed without the wrappers' per-call allocations.
      const raw = (module as unknown as { libsodium: RawLibsodium }).libsodium;
      const box = new SodiumSecretBox(raw, opened);
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

/** See SecretBox.sealFrame. */
export function sealFrame(key: Uint8Array, nonce: Uint8Array, flags: number, frame: Uint8Array, out: Uint8Array, at: number): void {
  secretBox.sealFrame(key, nonce, flags, frame, out, at);
}

/** See SecretBox.openFrame; a box shorter than tag plus flags byte is refused here. */
export function openFrame(key: Uint8Array, nonce: Uint8Array, box: Uint8Array): Buffer | null {
  if (box.length < BOX_OVERHEAD + 1) return null;
  return secretBox.openFrame(key, nonce, box);
}
