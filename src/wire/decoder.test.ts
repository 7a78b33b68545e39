// FrameDecoder behaviour beyond the golden vectors: zero-copy views, Buffer in and out, size
// limits checked before allocating, leniency libzmq also shows (zmtp-notes §2.4), and random chunking.

import { describe, expect, spyOn, test } from "bun:test";
import { kMaxLength } from "node:buffer";
import { ZmqError } from "../core/errors.ts";
import { encodeReady } from "./command.ts";
import { MIN_STAGING_BYTES } from "./body-assembly.ts";
import { FrameDecoder, MAX_BUFFER_LENGTH } from "./decoder.ts";

const SIXTEEN_MIB = 16 * 1024 * 1024;
import { FLAG_COMMAND, FLAG_LONG, FLAG_MORE, encodeFrame } from "./frame.ts";
import { hex, toHex, utf8 } from "./test-support.ts";

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let pos = 0;
  for (const part of parts) {
    out.set(part, pos);
    pos += part.length;
  }
  return out;
}

/** Every frame `decoder` yields from `chunk`, as [flags, body] pairs with the body kept as is. */
function drain(decoder: FrameDecoder, chunk: Uint8Array, offset = 0): [number, Uint8Array][] {
  decoder.feed(chunk, offset);
  const frames: [number, Uint8Array][] = [];
  while (decoder.next()) frames.push([decoder.flags, decoder.body]);
  return frames;
}

/** Deterministic PRNG (mulberry32) so a failing random case can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("FrameDecoder: zero copy and Buffer types", () => {
  test("decodes READY and the data frames behind it from one chunk", () => {
    const ready = encodeReady([["Socket-Type", utf8("PUSH")]]);
    const chunk = concat(ready, encodeFrame(FLAG_MORE, utf8("a")), encodeFrame(0, new Uint8Array(0)), encodeFrame(0, utf8("bc")));
    const frames = drain(new FrameDecoder(-1), chunk);
    expect(frames.map(([flags, body]) => [flags, toHex(body)])).toEqual([
      [FLAG_COMMAND, toHex(ready.subarray(2))],
      [FLAG_MORE, "61"],
      [0, ""],
      [0, "62 63"],
    ]);
  });

  test("a frame inside one chunk is a view sharing the chunk's memory, short or long", () => {
    const chunk = concat(hex("00 03 aa bb cc"), encodeFrame(0, new Uint8Array(300).fill(7)));
    const [[, short], [, long]] = drain(new FrameDecoder(-1), chunk);
    expect(short!.buffer).toBe(chunk.buffer);
    expect(short!.byteOffset).toBe(2);
    expect(long!.buffer).toBe(chunk.buffer);
    expect(long!.byteOffset).toBe(5 + 9);
    chunk[2] = 0x11;
    expect(short![0]).toBe(0x11);
  });

  test("a Buffer chunk yields Buffer bodies, both views and bodies assembled across chunks", () => {
    const decoder = new FrameDecoder(-1);
    const [[, view]] = drain(decoder, Buffer.from(hex("00 02 68 69 00 04 77")));
    expect(Buffer.isBuffer(view)).toBe(true);
    expect(view!.toString()).toBe("hi");
    const [[, assembled]] = drain(decoder, Buffer.from(hex("78 79 7a")));
    expect(Buffer.isBuffer(assembled)).toBe(true);
    expect(assembled!.toString()).toBe("wxyz");
  });

  test("a body split across plain Uint8Array chunks is assembled into a fresh Buffer", () => {
    const decoder = new FrameDecoder(-1);
    expect(drain(decoder, hex("01 03 01"))).toEqual([]);
    const [[flags, body]] = drain(decoder, hex("02 03 00 00"));
    expect(flags).toBe(FLAG_MORE);
    expect(Buffer.isBuffer(body)).toBe(true);
    expect(toHex(body!)).toBe("01 02 03");
  });

  test("decoding starts at the offset given to feed, e.g. just past the greeting", () => {
    const chunk = concat(new Uint8Array(64).fill(0xff), hex("00 01 2a"));
    const frames = drain(new FrameDecoder(-1), chunk, 64);
    expect(frames.map(([flags, body]) => [flags, toHex(body)])).toEqual([[0, "2a"]]);
  });
});

describe("FrameDecoder: what libzmq also accepts", () => {
  test("RFC 23 a LONG size on a 5-byte body is accepted", () => {
    const frames = drain(new FrameDecoder(-1), hex("02 00 00 00 00 00 00 00 05 68 65 6c 6c 6f 00 00"));
    expect(frames.map(([flags, body]) => [flags, toHex(body)])).toEqual([
      [0x02, "68 65 6c 6c 6f"],
      [0x00, ""],
    ]);
  });

  test("RFC 23 reserved flag bits are ignored and handed up raw", () => {
    const frames = drain(new FrameDecoder(-1), hex("08 01 61 f9 01 62 fe 00 00 00 00 00 00 00 01 63"));
    expect(frames.map(([flags, body]) => [flags, toHex(body)])).toEqual([
      [0x08, "61"],
      [0xf9, "62"],
      [0xfe, "63"],
    ]);
    expect(frames[1]![0] & FLAG_MORE).toBe(FLAG_MORE);
    expect(frames[2]![0] & FLAG_COMMAND).toBe(FLAG_COMMAND);
  });

  test("zero-length frames decode anywhere, including a LONG header of size 0", () => {
    const frames = drain(new FrameDecoder(-1), hex("01 00 00 00 02 00 00 00 00 00 00 00 00"));
    expect(frames.map(([flags, body]) => [flags, body.length])).toEqual([
      [1, 0],
      [0, 0],
      [2, 0],
    ]);
  });
});

describe("FrameDecoder: size limits", () => {
  test("a frame larger than maxFrameSize fails with EMSGSIZE and the decoder stays failed", () => {
    const decoder = new FrameDecoder(100);
    const frames = drain(decoder, concat(encodeFrame(0, new Uint8Array(100)), hex("00 65")));
    expect(frames.length).toBe(1);
    expect(decoder.errorCode).toBe("EMSGSIZE");
    expect(decoder.error).toContain("101");
    expect(decoder.error).toContain("100");
    expect(drain(decoder, encodeFrame(0, utf8("fine")))).toEqual([]);
    expect(decoder.errorCode).toBe("EMSGSIZE");
  });

  test("maxFrameSize is enforced on short frames, long frames and split headers alike", () => {
    const tiny = new FrameDecoder(2);
    expect(drain(tiny, hex("00 03 01 02 03"))).toEqual([]);
    expect(tiny.errorCode).toBe("EMSGSIZE");
    const zero = new FrameDecoder(0);
    expect(drain(zero, hex("00 00")).length).toBe(1);
    expect(drain(zero, hex("00 01 00"))).toEqual([]);
    expect(zero.errorCode).toBe("EMSGSIZE");
    const split = new FrameDecoder(300);
    expect(drain(split, hex("02 00 00 00 00"))).toEqual([]);
    expect(split.error).toBeNull();
    expect(drain(split, hex("00 00 01 2d"))).toEqual([]);
    expect(split.errorCode).toBe("EMSGSIZE");
  });

  test("headers claiming 2^53, 2^62, 2^63 or 2^64 - 1 bytes fail without allocating anything", () => {
    const allocations = spyOn(Buffer, "allocUnsafe");
    try {
      for (const size of ["00 20 00 00 00 00 00 00", "40 00 00 00 00 00 00 00", "80 00 00 00 00 00 00 00", "ff ff ff ff ff ff ff ff"]) {
        const decoder = new FrameDecoder(-1);
        expect(drain(decoder, hex(`02 ${size} 00 01 02`))).toEqual([]);
        expect(decoder.errorCode).toBe("EMSGSIZE");
        expect(decoder.error).toContain("2^53 or more");
      }
      expect(allocations).not.toHaveBeenCalled();
    } finally {
      allocations.mockRestore();
    }
  });

  test("an unlimited decoder still refuses a body larger than the largest Buffer", () => {
    expect(MAX_BUFFER_LENGTH).toBeLessThanOrEqual(kMaxLength);
    const decoder = new FrameDecoder(-1);
    expect(drain(decoder, hex("02 00 00 00 01 00 00 00 01"))).toEqual([]);
    expect(decoder.errorCode).toBe("EMSGSIZE");
    expect(decoder.error).toContain("4294967297");
  });

  test("a header announcing a 1 GiB body costs one 8 KiB staging buffer while 1003 bytes of it have arrived", () => {
    const allocations = spyOn(Buffer, "allocUnsafe");
    try {
      const decoder = new FrameDecoder(-1);
      expect(drain(decoder, hex("02 00 00 00 00 40 00 00 00 01 02 03"))).toEqual([]);
      expect(drain(decoder, new Uint8Array(1000))).toEqual([]);
      expect(decoder.error).toBeNull();
      expect(allocations.mock.calls).toEqual([[MIN_STAGING_BYTES]]);
    } finally {
      allocations.mockRestore();
    }
  });

  test("a split body is never allocated from its header: 16 MiB announced and 11 bytes sent cost 8 KiB; joined once at the end", () => {
    const allocations = spyOn(Buffer, "allocUnsafe");
    try {
      const decoder = new FrameDecoder(-1);
      const frame = encodeFrame(0, new Uint8Array(SIXTEEN_MIB).fill(9));
      expect(drain(decoder, frame.subarray(0, 20))).toEqual([]);
      expect(allocations.mock.calls).toEqual([[MIN_STAGING_BYTES]]);
      const [[, body]] = drain(decoder, frame.subarray(20));
      expect(body!.length).toBe(SIXTEEN_MIB);
      expect(body!.every((b) => b === 9)).toBe(true);
      expect(allocations.mock.calls).toEqual([[MIN_STAGING_BYTES], [SIXTEEN_MIB]]);
    } finally {
      allocations.mockRestore();
    }
  });

  test("a body over 16 MiB arriving in 1 MiB chunks is joined once at the end, with the next frame intact", () => {
    const size = SIXTEEN_MIB + 12345;
    const body = new Uint8Array(size);
    for (let i = 0; i < size; i += 4096) body[i] = (i >>> 12) & 0xff;
    const stream = concat(encodeFrame(FLAG_MORE, body), hex("00 02 6f 6b"));
    const decoder = new FrameDecoder(-1);
    const frames: [number, Uint8Array][] = [];
    for (let pos = 0; pos < stream.length; pos += 1 << 20) frames.push(...drain(decoder, stream.subarray(pos, pos + (1 << 20))));
    expect(frames.length).toBe(2);
    expect(frames[0]![0]).toBe(FLAG_MORE | FLAG_LONG);
    expect(Buffer.compare(frames[0]![1], body)).toBe(0);
    expect(toHex(frames[1]![1])).toBe("6f 6b");
  });
});

describe("FrameDecoder: driving it", () => {
  test("the caller may stop mid-chunk for back-pressure and resume later without losing frames", () => {
    const decoder = new FrameDecoder(-1);
    decoder.feed(hex("00 01 61 00 01 62 00 02 63"));
    expect(decoder.next()).toBe(true);
    expect(toHex(decoder.body)).toBe("61");
    // Meanwhile other decoders run; this one's state is untouched.
    drain(new FrameDecoder(-1), hex("00 01 7a"));
    expect(decoder.next()).toBe(true);
    expect(toHex(decoder.body)).toBe("62");
    expect(decoder.next()).toBe(false);
    expect(drain(decoder, hex("64")).map(([, body]) => toHex(body))).toEqual(["63 64"]);
  });

  test("once a chunk is used up the decoder holds neither it nor the last body (a view that would pin it)", () => {
    const decoder = new FrameDecoder(-1);
    decoder.feed(hex("00 01 61"));
    expect(decoder.next()).toBe(true);
    expect(toHex(decoder.body)).toBe("61");
    expect(decoder.next()).toBe(false);
    expect(decoder.body.byteLength).toBe(0);
  });

  test("feeding a new chunk before the previous one is consumed is an internal error", () => {
    const decoder = new FrameDecoder(-1);
    decoder.feed(hex("00 01 61 00 01 62"));
    expect(decoder.next()).toBe(true);
    expect(() => decoder.feed(hex("00 00"))).toThrow(ZmqError);
    // Feeding right after the last frame of a chunk is fine, without another next() first.
    expect(decoder.next()).toBe(true);
    expect(() => decoder.feed(hex("00 00"))).not.toThrow();
  });

  test("empty chunks are harmless in every state", () => {
    const decoder = new FrameDecoder(-1);
    const empty = new Uint8Array(0);
    expect(drain(decoder, empty)).toEqual([]);
    expect(drain(decoder, hex("02 00"))).toEqual([]);
    expect(drain(decoder, empty)).toEqual([]);
    expect(drain(decoder, hex("00 00 00 00 00 00 03 61"))).toEqual([]);
    expect(drain(decoder, empty)).toEqual([]);
    expect(drain(decoder, hex("62 63")).map(([flags, body]) => [flags, toHex(body)])).toEqual([[2, "61 62 63"]]);
  });

  test("random frames under random chunking decode exactly as encoded", () => {
    const next = random(0x5eed);
    for (let round = 0; round < 50; round++) {
      const sent: [number, string][] = [];
      const parts: Uint8Array[] = [];
      for (let i = 0; i < 40; i++) {
        const length = next() < 0.8 ? Math.floor(next() * 40) : Math.floor(next() * 700);
        const body = Uint8Array.from({ length }, () => Math.floor(next() * 256));
        const flags = next() < 0.3 ? FLAG_MORE : next() < 0.1 ? FLAG_COMMAND : 0;
        sent.push([flags | (length > 255 ? 2 : 0), toHex(body)]);
        parts.push(encodeFrame(flags, body));
      }
      const stream = concat(...parts);
      const decoder = new FrameDecoder(-1);
      const received: [number, string][] = [];
      for (let pos = 0; pos < stream.length; ) {
        const size = Math.floor(next() * (next() < 0.5 ? 8 : 600));
        for (const [flags, body] of drain(decoder, stream.subarray(pos, pos + size))) received.push([flags, toHex(body)]);
        pos += size;
      }
      expect(decoder.error).toBeNull();
      expect(received).toEqual(sent);
    }
  });
});
