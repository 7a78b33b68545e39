// NaCl's secretbox vector (NaCl's own tests: the Alice-Bob shared key, its nonce and 131-byte
// message) through each crypto_secretbox source the crypto backend (crypto-backend.ts) may use (native
// libsodium, its WebAssembly build, noble), so each is known to be the real function; and the MESSAGE path
// (sealFrame / openFrame) of each: the same sealed bytes for the same inputs, opened by any other.

import { describe, expect, test } from "bun:test";
import sodium from "libsodium-wrappers";
import { nobleSecretBox, open, opened } from "../mechanism/curve/secretbox.ts";
import type { SecretBox } from "../mechanism/curve/secretbox-source.ts";
import { SodiumSecretBox } from "../mechanism/curve/sodium-secretbox.ts";
import { LIBSODIUM_SONAME, loadNativeSecretBox } from "./native-secretbox.ts";

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, "hex"));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
const SHARED = hex("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389");
const NONCE = hex("69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37");
const MESSAGE = hex(
  "be075fc53c81f2d5cf141316ebeb0c7b5228c52a4c62cbd44b66849b64244ffce5ecbaaf33bd751a1ac728d45e6c61296cdc3c01233561f41db66cce314adb310e3be8250c46f06dceea3a7fa1348057e2f6556ad6b1318a024a838f21af1fde048977eb48f59ffd4924ca1c60902e52f0a089bc76897040e082f937763848645e0705",
);
const BOX = hex(
  "f3ffc7703f9400e52a7dfb4b3d3305d98e993b9f48681273c29650ba32fc76ce48332ea7164d96a4476fb8c531a1186ac0dfc17c98dce87b4da7f011ec48c97271d2c20f9b928fe2270d6fb863d51738b48eeee314a7cc8ab932164548e526ae90224368517acfeabd6bb3732bc0e9da99832b61ca01b6de56244a9e88d5f9b37973f622a43d14a6599b1f654cb45a74e355a5",
);

async function sources(): Promise<Array<[string, SecretBox]>> {
  await sodium.ready;
  const native = loadNativeSecretBox(LIBSODIUM_SONAME, opened);
  if (native === null) throw new Error(`${LIBSODIUM_SONAME} did not load (apt-get install libsodium23)`);
  return [
    ["native", native],
    ["wasm", new SodiumSecretBox(sodium, opened)],
    ["noble", nobleSecretBox],
  ];
}

describe("crypto_secretbox from each source", () => {
  test("seals NaCl's message to NaCl's box (tag first) and opens it back", async () => {
    for (const [name, box] of await sources()) {
      expect([name, toHex(box.seal(SHARED, NONCE, MESSAGE))]).toEqual([name, toHex(BOX)]);
      expect([name, box.open(SHARED, NONCE, BOX)]).toEqual([name, MESSAGE]);
    }
  });

  test("seals and opens an empty plaintext (a READY without metadata)", async () => {
    const sealed = (await sources()).map(([name, box]) => [name, toHex(box.seal(SHARED, NONCE, new Uint8Array(0)))]);
    for (const [name, box] of await sources()) {
      expect([name, toHex(box.seal(SHARED, NONCE, new Uint8Array(0)))]).toEqual([name, sealed[0]![1]]);
      expect([name, box.open(SHARED, NONCE, hex(sealed[0]![1]!))?.length]).toEqual([name, 0]);
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

  test("sealFrame writes the same bytes from every source, and every source opens them", async () => {
    const all = await sources();
    for (const size of [0, 1, 16, 30, 31, 32, 63, 64, 65, 1024, 4095, 65536, 300_000]) {
      const frame = Uint8Array.from({ length: size }, (_, i) => (i * 7) & 0xff);
      const sealed = all.map(([name, sealer]) => {
        // An offset inside a larger array, as in the engine's batch, with guard bytes either side.
        const out = new Uint8Array(new ArrayBuffer(7 + size + 17 + 3)).fill(0xee);
        sealer.sealFrame(SHARED, NONCE, 0x03, frame, out, 7);
        expect([name, toHex(out.subarray(0, 7)), toHex(out.subarray(7 + size + 17))]).toEqual([name, "ee".repeat(7), "eeeeee"]);
        return [name, out.subarray(7, 7 + size + 17)] as const;
      });
      for (const [name, boxed] of sealed) expect([size, name, toHex(boxed)]).toEqual([size, name, toHex(sealed[0]![1])]);
      for (const [name, opener] of all) {
        const boxed = Uint8Array.from(sealed[0]![1]);
        expect([name, opener.open(SHARED, NONCE, boxed)![0]]).toEqual([name, 0x03]);
        opened.flags = 0;
        const frameOut = opener.openFrame(SHARED, NONCE, Uint8Array.of(1, 2, ...boxed), 2)!;
        expect([name, Buffer.isBuffer(frameOut), frameOut.equals(frame), opened.flags]).toEqual([name, true, true, 0x03]);
        boxed[boxed.length - 1]! ^= 1;
        expect([name, opener.openFrame(SHARED, NONCE, boxed, 0)]).toEqual([name, null]);
      }
    }
  });

  test("sealFrame into one batch again and again, at growing offsets, as the engine does, then into a new one", async () => {
    const all = await sources();
    const frames = [16, 1024, 0, 5000].map((size, seed) => Uint8Array.from({ length: size }, (_, i) => (i + seed) & 0xff));
    const expected = frames.map((frame) => {
      const single = new Uint8Array(frame.length + 17);
      nobleSecretBox.sealFrame(SHARED, NONCE, 0x01, frame, single, 0);
      return toHex(single);
    });
    for (const [name, sealer] of all) {
      for (const round of [0, 1]) {
        const batch = new Uint8Array(new ArrayBuffer(8192));
        let at = 3 + round;
        const offsets = frames.map((frame) => {
          sealer.sealFrame(SHARED, NONCE, 0x01, frame, batch, at);
          at += frame.length + 17;
          return at - frame.length - 17;
        });
        const got = frames.map((frame, i) => toHex(batch.subarray(offsets[i]!, offsets[i]! + frame.length + 17)));
        expect([name, round, got]).toEqual([name, round, expected]);
      }
    }
  });

  test("one nonce array reused with another key, or with another prefix, still seals and opens right", async () => {
    const [[, native]] = await sources();
    const nonce = Uint8Array.from(NONCE);
    const otherKey = Uint8Array.from(SHARED, (byte) => byte ^ 0x5a);
    const frame = Uint8Array.from({ length: 100 }, (_, i) => i);
    const sealWith = (box: SecretBox, key: Uint8Array): string => {
      const out = new Uint8Array(frame.length + 17);
      box.sealFrame(key, nonce, 0, frame, out, 0);
      return toHex(out);
    };
    for (const step of ["same", "other key", "other prefix", "other counter"]) {
      if (step === "other prefix") nonce[3]! ^= 0xff;
      if (step === "other counter") nonce[23]! ^= 0xff;
      const key = step === "other key" ? otherKey : SHARED;
      const sealed = sealWith(native, key);
      expect([step, sealed]).toEqual([step, sealWith(nobleSecretBox, key)]);
      expect([step, native.openFrame(key, nonce, hex(sealed), 0)?.equals(frame)]).toEqual([step, true]);
    }
  });

  test("native openFrame decrypts a frame of 256 bytes or more in place as a view, and leaves a box that does not open untouched", async () => {
    const [[, native]] = await sources();
    for (const size of [255, 256, 70_000]) {
      const frame = Uint8Array.from({ length: size }, (_, i) => (i * 13) & 0xff);
      const body = new Uint8Array(new ArrayBuffer(5 + size + 17));
      native.sealFrame(SHARED, NONCE, 0x01, frame, body, 5);
      const altered = Uint8Array.from(body);
      altered[100]! ^= 1;
      expect([size, native.openFrame(SHARED, NONCE, altered, 5), altered[100] !== body[100]]).toEqual([size, null, true]);
      const opened_ = native.openFrame(SHARED, NONCE, body, 5)!;
      expect([size, opened_.equals(frame), opened_.buffer === body.buffer]).toEqual([size, true, size >= 256]);
    }
  });
});
