// NaCl's crypto_box vectors (from NaCl's own tests: Alice's and Bob's keys, their shared key).

import { describe, expect, test } from "bun:test";
import { generateKeyPair, publicKeyOf, sharedKey } from "./box.ts";

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, "hex"));
const ALICE_SECRET = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
const ALICE_PUBLIC = hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
const BOB_PUBLIC = hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
const SHARED = hex("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389");

describe("X25519 and crypto_box_beforenm (node:crypto + HSalsa20)", () => {
  test("Alice's public key and the Alice-Bob shared key are NaCl's", () => {
    expect(publicKeyOf(ALICE_SECRET)).toEqual(ALICE_PUBLIC);
    expect(sharedKey(BOB_PUBLIC, ALICE_SECRET)).toEqual(SHARED);
  });

  test("a low-order public key (all zeros) gives no shared key", () => {
    expect(sharedKey(new Uint8Array(32), generateKeyPair().secretKey)).toBeNull();
  });
});
