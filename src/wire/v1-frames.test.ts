// ZMTP 1.0 framing: golden frames written by hand from RFC 13 and zmtp-notes §1.3 (never by our
// encoder), decoded from every split point; the encoder against the same bytes; malformed lengths.

import { describe, expect, test } from "bun:test";
import { FLAG_MORE } from "./frame.ts";
import { hex, toHex, utf8 } from "./test-support.ts";
import { V1FrameDecoder, encodeV1Frame, v1HeaderSize, writeV1Header } from "./v1-frames.ts";

interface Vector {
  name: string;
  bytes: string;
  frames: Array<[number, string]>;
}

const body300 = Array(300).fill("5a").join(" ");

/** libzmq 2.x streams: length counts the flags byte; 0xFF announces an 8-byte length. */
const VECTORS: Vector[] = [
  { name: "an empty identity frame", bytes: "01 00", frames: [[0, ""]] },
  { name: "one frame 'hello'", bytes: "06 00 68 65 6c 6c 6f", frames: [[0, "68 65 6c 6c 6f"]] },
  {
    name: "a two-frame message, MORE on the first",
    bytes: "02 01 61 03 00 62 63",
    frames: [
      [FLAG_MORE, "61"],
      [0, "62 63"],
    ],
  },
  { name: "a 300-byte body in the long form", bytes: `ff 00 00 00 00 00 00 01 2d 00 ${body300}`, frames: [[0, body300]] },
  {
    name: "the long form for a 1-byte body (accepted, as libzmq accepts it)",
    bytes: "ff 00 00 00 00 00 00 00 02 00 41",
    frames: [[0, "41"]],
  },
  {
    name: "flag bits other than MORE ignored",
    bytes: "02 7f 41 02 fe 42",
    frames: [
      [FLAG_MORE, "41"],
      [0, "42"],
    ],
  },
];

function decodeChunks(chunks: Uint8Array[], max = -1): { frames: Array<[number, string]>; error: string | null; code: string | null } {
  const decoder = new V1FrameDecoder(max);
  const frames: Array<[number, string]> = [];
  for (const chunk of chunks) {
    decoder.feed(chunk);
    while (decoder.next()) frames.push([decoder.flags, toHex(decoder.body)]);
  }
  return { frames, error: decoder.error, code: decoder.errorCode };
}

describe("V1FrameDecoder: golden frames", () => {
  for (const vector of VECTORS) {
    test(`RFC 13 ${vector.name}, split at every byte boundary and fed a byte at a time`, () => {
      const bytes = hex(vector.bytes);
      for (let split = 0; split <= bytes.length; split++) {
        const result = decodeChunks([bytes.slice(0, split), bytes.slice(split)]);
        expect({ split, ...result }).toEqual({ split, frames: vector.frames, error: null, code: null });
      }
      const bytewise = decodeChunks(Array.from(bytes, (b) => Uint8Array.of(b)));
      expect(bytewise.frames).toEqual(vector.frames);
    });
  }

  test("a frame inside one chunk is a view of it; a split one is a fresh Buffer", () => {
    const chunk = Buffer.from(hex("06 00 68 65 6c 6c 6f"));
    const decoder = new V1FrameDecoder(-1);
    decoder.feed(chunk);
    expect(decoder.next()).toBe(true);
    expect(decoder.body.buffer).toBe(chunk.buffer);
    decoder.feed(chunk.subarray(0, 4));
    expect(decoder.next()).toBe(false);
    decoder.feed(chunk.subarray(4));
    expect(decoder.next()).toBe(true);
    expect(Buffer.isBuffer(decoder.body)).toBe(true);
    expect(decoder.body.toString()).toBe("hello");
  });
});

describe("V1FrameDecoder: malformed input", () => {
  test("RFC 13 a length of 0 (it must count the flags byte) fails with EPROTO at once, short or long", () => {
    expect(decodeChunks([hex("02 00 41 00")])).toMatchObject({ frames: [[0, "41"]], code: "EPROTO" });
    expect(decodeChunks([hex("ff 00 00 00 00 00 00 00 00")])).toMatchObject({ frames: [], code: "EPROTO" });
    expect(decodeChunks([hex("00"), hex("01 00")])).toMatchObject({ frames: [], code: "EPROTO" });
  });

  test("a body over maxMessageSize fails with EMSGSIZE before any of it arrives, and nothing follows", () => {
    const result = decodeChunks([hex("0b 00"), hex("01 00")], 9);
    expect(result).toMatchObject({ frames: [], code: "EMSGSIZE" });
    expect(result.error).toContain("maximum message size of 9");
    expect(decodeChunks([hex("0b 00 00 00 00 00 00 00 00 00 00 00")], 10).frames).toHaveLength(1);
  });

  test("a long length of 2^64 - 1 fails with EMSGSIZE without allocating it", () => {
    expect(decodeChunks([hex("ff ff ff ff ff ff ff ff ff 00")])).toMatchObject({ frames: [], code: "EMSGSIZE" });
  });
});

describe("writeV1Header / encodeV1Frame", () => {
  test("RFC 13 encodes the golden frames byte for byte", () => {
    expect(toHex(encodeV1Frame(0, new Uint8Array(0)))).toBe("01 00");
    expect(toHex(encodeV1Frame(FLAG_MORE, utf8("a")))).toBe("02 01 61");
    expect(toHex(encodeV1Frame(0, utf8("hello")))).toBe("06 00 68 65 6c 6c 6f");
    expect(toHex(encodeV1Frame(0, new Uint8Array(300).fill(0x5a)))).toBe(`ff 00 00 00 00 00 00 01 2d 00 ${body300}`);
  });

  test("libzmq's v1 encoder switches to the long form at a length of 255 (a 254-byte body)", () => {
    expect(v1HeaderSize(253)).toBe(2);
    expect(toHex(encodeV1Frame(0, new Uint8Array(253)).subarray(0, 2))).toBe("fe 00");
    expect(v1HeaderSize(254)).toBe(10);
    expect(toHex(encodeV1Frame(0, new Uint8Array(254)).subarray(0, 10))).toBe("ff 00 00 00 00 00 00 00 ff 00");
  });

  test("keeps only MORE of the flags and writes a size above 2^32 exactly", () => {
    const buf = new Uint8Array(10);
    expect(writeV1Header(buf, 0, 0x07, 2 ** 33)).toBe(10);
    expect(toHex(buf)).toBe("ff 00 00 00 02 00 00 00 01 01");
  });
});
