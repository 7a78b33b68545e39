// RFC 32/Z85: the RFC's own vectors, libzmq's key vectors (zmtp-notes §5.2), and refusals.

import { describe, expect, test } from "bun:test";
import { z85Decode, z85Encode } from "./z85.ts";

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/ /g, ""), "hex"));

describe("RFC 32 Z85", () => {
  test("encodes and decodes the RFC's 8-byte vector as HelloWorld", () => {
    const bytes = hex("86 4F D2 6F B5 59 F7 5B");
    expect(z85Encode(bytes)).toBe("HelloWorld");
    expect(z85Decode("HelloWorld")).toEqual(bytes);
  });

  test("encodes and decodes the RFC's 32-byte key vector", () => {
    const key = hex("8E 0B DD 69 76 28 B9 1D 8F 24 55 87 EE 95 C5 B0 4D 48 96 3F 79 25 98 77 B4 9C D9 06 3A EA D3 B7");
    expect(z85Encode(key)).toBe("JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6");
    expect(z85Decode("JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6")).toEqual(key);
  });

  test("round-trips every byte value, and the extremes of a group", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(z85Decode(z85Encode(all)!)).toEqual(all);
    expect(z85Encode(new Uint8Array(4))).toBe("00000");
    expect(z85Encode(new Uint8Array([255, 255, 255, 255]))).toBe("%nSc0");
    expect(z85Decode("%nSc0")).toEqual(new Uint8Array([255, 255, 255, 255]));
    expect(z85Encode(new Uint8Array(0))).toBe("");
  });

  test("SHALL refuse lengths that are not a multiple of 4 (encode) or 5 (decode)", () => {
    expect(z85Encode(new Uint8Array(3))).toBeNull();
    expect(z85Decode("Hell")).toBeNull();
  });

  test("refuses characters outside the alphabet and groups above 2^32 - 1", () => {
    expect(z85Decode("Hello Worl")).toBeNull();
    expect(z85Decode("Hell\u00e9")).toBeNull();
    expect(z85Decode("%nSc1")).toBeNull();
    expect(z85Decode("#####")).toBeNull();
  });
});
