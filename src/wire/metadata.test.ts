// Metadata property lists: encoding order, exact-case names, views, and malformed input
// (truncation, trailing garbage, empty names) that libzmq answers with EPROTO (zmtp-notes §3.3).

import { describe, expect, test } from "bun:test";
import { encodeMetadata, parseMetadata } from "./metadata.ts";
import { hex, toHex, ascii, thrownCode, utf8 } from "./test-support.ts";

const text = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : new TextDecoder().decode(bytes));

/** Socket-Type=DEALER, Identity=me: the metadata of libzmq's READY in zmtp-notes §3.2. */
const DEALER_ME = hex(`0b ${ascii("Socket-Type")} 00 00 00 06 ${ascii("DEALER")} 08 ${ascii("Identity")} 00 00 00 02 ${ascii("me")}`);

describe("encodeMetadata", () => {
  test("RFC 23 encodes name-len, name, 4-byte big-endian value-len and value, in the given order", () => {
    const encoded = encodeMetadata([
      ["Socket-Type", utf8("DEALER")],
      ["Identity", utf8("me")],
    ]);
    expect(toHex(encoded)).toBe(toHex(DEALER_ME));
  });

  test("an empty list encodes to nothing and values may be empty or longer than 255 bytes", () => {
    expect(encodeMetadata([]).length).toBe(0);
    const encoded = encodeMetadata([
      ["X-Empty", new Uint8Array(0)],
      ["X-Big", new Uint8Array(0x10203).fill(1)],
    ]);
    expect(toHex(encoded.subarray(0, 14))).toBe(`07 ${ascii("X-Empty")} 00 00 00 00 05 ${ascii("X")}`);
    expect(toHex(encoded.subarray(18, 22))).toBe("00 01 02 03");
  });

  test("names that are empty, longer than 255 characters or not printable ASCII throw EINVAL", () => {
    for (const name of ["", "X".repeat(256), "Sockét-Type", "X Key"]) {
      expect(thrownCode(() => encodeMetadata([[name, new Uint8Array(0)]]))).toBe("EINVAL");
    }
    expect(encodeMetadata([["X".repeat(255), new Uint8Array(0)]])[0]).toBe(255);
  });
});

describe("parseMetadata", () => {
  test("RFC 23 parses libzmq's DEALER metadata into a map in wire order", () => {
    const properties = parseMetadata(DEALER_ME)!;
    expect([...properties.keys()]).toEqual(["Socket-Type", "Identity"]);
    expect(text(properties.get("Socket-Type"))).toBe("DEALER");
    expect(text(properties.get("Identity"))).toBe("me");
  });

  test("names keep their exact case: socket-type is not Socket-Type", () => {
    const properties = parseMetadata(hex(`0b ${ascii("socket-type")} 00 00 00 03 ${ascii("PUB")}`))!;
    expect(properties.has("Socket-Type")).toBe(false);
    expect(text(properties.get("socket-type"))).toBe("PUB");
  });

  test("values are views into the data, not copies", () => {
    const properties = parseMetadata(DEALER_ME)!;
    const identity = properties.get("Identity")!;
    expect(identity.buffer).toBe(DEALER_ME.buffer);
    expect(identity.byteOffset).toBe(DEALER_ME.length - 2);
  });

  test("empty data is an empty property list, and an empty value is kept", () => {
    expect(parseMetadata(new Uint8Array(0))!.size).toBe(0);
    const properties = parseMetadata(hex(`08 ${ascii("Identity")} 00 00 00 00`))!;
    expect(properties.get("Identity")!.length).toBe(0);
  });

  test("a repeated name keeps its first value, as libzmq's property map does", () => {
    const data = hex(`01 ${ascii("A")} 00 00 00 01 31 01 ${ascii("A")} 00 00 00 01 32`);
    expect(text(parseMetadata(data)!.get("A"))).toBe("1");
  });

  test("RFC 23 metadata cut short at any byte is malformed", () => {
    for (let length = 1; length < DEALER_ME.length; length++) {
      if (length === 1 + 11 + 4 + 6) continue; // a whole first property: well-formed on its own
      expect({ length, parsed: parseMetadata(DEALER_ME.subarray(0, length)) }).toEqual({ length, parsed: null });
    }
    expect(parseMetadata(DEALER_ME.subarray(0, 22))!.size).toBe(1);
  });

  test("RFC 23 trailing garbage after the last property is malformed, even a single byte", () => {
    for (const garbage of ["00", "05", "01 41", "01 41 00 00 00"]) {
      const data = new Uint8Array([...DEALER_ME, ...hex(garbage)]);
      expect({ garbage, parsed: parseMetadata(data) }).toEqual({ garbage, parsed: null });
    }
  });

  test("RFC 23 a zero-length name is malformed", () => {
    expect(parseMetadata(hex("00 00 00 00 00"))).toBeNull();
    expect(parseMetadata(new Uint8Array([...DEALER_ME, ...hex("00 00 00 00 01 41")]))).toBeNull();
  });

  test("a value length beyond the data, including one with the top bit set, is malformed", () => {
    expect(parseMetadata(hex(`01 ${ascii("A")} 00 00 00 02 41`))).toBeNull();
    expect(parseMetadata(hex(`01 ${ascii("A")} ff ff ff ff 41`))).toBeNull();
  });

  test("whatever encodeMetadata writes, parseMetadata reads back", () => {
    const properties: [string, Uint8Array][] = [
      ["Socket-Type", utf8("ROUTER")],
      ["Identity", new Uint8Array(0)],
      ["X-Binary", Uint8Array.from({ length: 300 }, (_, i) => i & 0xff)],
    ];
    const parsed = parseMetadata(encodeMetadata(properties))!;
    expect([...parsed].map(([name, value]) => [name, toHex(value)])).toEqual(properties.map(([name, value]) => [name, toHex(value)]));
  });
});
