// NaCl's secretbox vector (NaCl's own tests: the Alice-Bob shared key, its nonce and 131-byte
// message) through each crypto_secretbox source secretbox.ts may use, so either is known to be the
// real function; and the MESSAGE path (sealFrame / openFrame) of each, across sources.

import { describe, expect, test } from "bun:test";
import { loadLibsodium, nobleSecretBox, open, opened, seal, secretBoxSource } from "./secretbox.ts";
import type { SecretBox } from "./secretbox-source.ts";

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, "hex"));
const SHARED = hex("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389");
const NONCE = hex("69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37");
const MESSAGE = hex(
  "be075fc53c81f2d5cf141316ebeb0c7b5228c52a4c62cbd44b66849b64244ffce5ecbaaf33bd751a1ac728d45e6c61296cdc3c01233561f41db66cce314adb310e3be8250c46f06dceea3a7fa1348057e2f6556ad6b1318a024a838f21af1fde048977eb48f59ffd4924ca1c60902e52f0a089bc76897040e082f937763848645e0705",
);
const BOX = hex(
  "f3ffc7703f9400e52a7dfb4b3d3305d98e993b9f48681273c29650ba32fc76ce48332ea7164d96a4476fb8c531a1186ac0dfc17c98dce87b4da7f011ec48c97271d2c20f9b928fe2270d6fb863d51738b48eeee314a7cc8ab932164548e526ae90224368517acfeabd6bb3732bc0e9da99832b61ca01b6de56244a9e88d5f9b37973f622a43d14a6599b1f654cb45a74e355a5",
);

async function sources(): Promise<Array<[string, SecretBox]>> {
  const libsodium = await loadLibsodium();
  if (libsodium === null) throw new Error("libsodium-wrappers did not load");
  return [
    ["noble", nobleSecretBox],
    ["libsodium", libsodium],
  ];
}

describe("crypto_secretbox from each source", () => {
  test("seals NaCl's message to NaCl's box (tag first) and opens it back", async () => {
    for (const [name, box] of await sources()) {
      expect([name, Buffer.from(box.seal(SHARED, NONCE, MESSAGE)).toString("hex")]).toEqual([name, Buffer.from(BOX).toString("hex")]);
      expect([name, box.open(SHARED, NONCE, BOX)]).toEqual([name, MESSAGE]);
    }
  });

  test("refuses a box with one bit changed, a wrong nonce, or a truncated tag", async () => {
    for (const [name, box] of await sources()) {
      const altered = Uint8Array.from(BOX);
      altered[40]! ^= 0x01;
      expect([name, box.open(SHARED, NONCE, altered)]).toEqual([name, null]);
      expect([name, box.open(SHARED, new Uint8Array(24), BOX)]).toEqual([name, null]);
    }
    expect(open(SHARED, NONCE, BOX.subarray(0, 15))).toBeNull();
  });

  test("libsodium serves once loaded, and what one source seals the other opens", async () => {
    await loadLibsodium();
    expect(secretBoxSource()).toBe("libsodium");
    const plaintext = new TextEncoder().encode("across sources");
    expect(nobleSecretBox.open(SHARED, NONCE, seal(SHARED, NONCE, plaintext))).toEqual(plaintext);
  });

  test("sealFrame boxes flags ‖ frame in place and openFrame gives back the frame and its flags, across sources", async () => {
    const [[, noble], [, sodium]] = await sources();
    for (const size of [0, 1, 1024, 300_000]) {
      const frame = Uint8Array.from({ length: size }, (_, i) => i & 0xff);
      for (const [sealer, opener] of [
        [noble, sodium],
        [sodium, noble],
        [sodium, sodium],
      ] as const) {
        const out = new Uint8Array(7 + size + 17);
        sealer.sealFrame(SHARED, NONCE, 0x03, frame, out, 7);
        const boxed = out.subarray(7);
        expect(opener.open(SHARED, NONCE, boxed)![0]).toBe(0x03);
        const opened_ = opener.openFrame(SHARED, NONCE, boxed)!;
        expect(Buffer.isBuffer(opened_)).toBe(true);
        expect(opened_.equals(frame)).toBe(true);
        expect(opened.flags).toBe(0x03);
        boxed[boxed.length - 1]! ^= 1;
        expect(opener.openFrame(SHARED, NONCE, boxed)).toBeNull();
      }
    }
  });
});
