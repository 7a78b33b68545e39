// Fuzz target "decoder": src/wire/decoder.ts, the incremental frame decoder every received byte
// goes through. Properties: whatever the bytes and however they are chunked, it never throws, it
// yields exactly the frames of a whole-stream reference parse (test/fuzz/reference-parsers.ts) and
// stops with the stable code EMSGSIZE where that parse refuses a size, after which nothing more
// comes out; and a header's declared size does not buy the peer memory it has not sent.

import { describe, expect } from "bun:test";
import fc from "fast-check";
import { FrameDecoder } from "../../src/wire/decoder.ts";
import { bytes, cuts, frameSpec, mutate, mutations, splitAt, writeFrames } from "./arbitraries.ts";
import { meterBufferAllocations } from "./allocation-meter.ts";
import { fuzz } from "./harness.ts";
import { referenceFrames } from "./reference-parsers.ts";

const TARGET = "decoder";
/** Each property takes half the target's input count: together they still pass 10^4 in CI. */
const EACH = { share: 0.5 };

/** maxMessageSize as sockets set it: -1 (no limit), small limits the fuzzed sizes cross, or large. */
const maxFrameSize = fc.oneof(fc.constant(-1), fc.nat({ max: 300 }), fc.integer({ min: 301, max: 2 ** 40 }));

interface Decoded {
  frames: Array<{ flags: number; body: Uint8Array }>;
  errorCode: string | null;
  error: string | null;
  /** Every body was a Buffer (the contract when the chunks are Buffers, as Bun's are). */
  allBuffers: boolean;
}

/** Feeds `chunks` the way the engine does, and keeps feeding after an error to see that it sticks. */
function decode(chunks: readonly Uint8Array[], limit: number, asBuffers: boolean, beforeFeed?: (fed: number) => void): Decoded {
  const decoder = new FrameDecoder(limit);
  const frames: Decoded["frames"] = [];
  let allBuffers = true;
  let fed = 0;
  let stuck: { code: string | null; error: string | null } | null = null;
  for (const chunk of chunks) {
    fed += chunk.length;
    beforeFeed?.(fed);
    decoder.feed(asBuffers ? Buffer.from(chunk) : chunk);
    while (decoder.next()) {
      expect(stuck).toBeNull();
      frames.push({ flags: decoder.flags, body: decoder.body });
      allBuffers &&= Buffer.isBuffer(decoder.body);
    }
    if (stuck !== null) expect<object>({ code: decoder.errorCode, error: decoder.error }).toEqual(stuck);
    else if (decoder.error !== null) stuck = { code: decoder.errorCode, error: decoder.error };
  }
  return { frames, errorCode: decoder.errorCode, error: decoder.error, allBuffers };
}

/** The decoder's view of `stream` must be the reference parse's, chunking notwithstanding. */
function expectReference(stream: Uint8Array, decoded: Decoded, limit: number, asBuffers: boolean): void {
  const reference = referenceFrames(stream, limit);
  expect(decoded.frames.length).toBe(reference.frames.length);
  decoded.frames.forEach((frame, i) => {
    expect(frame.flags).toBe(reference.frames[i]!.flags);
    expect(Buffer.from(frame.body).equals(reference.frames[i]!.body)).toBe(true);
  });
  expect(decoded.errorCode).toBe(reference.error);
  // A refusal always says why, in words, next to its code.
  expect(decoded.error === null).toBe(reference.error === null);
  if (asBuffers) expect(decoded.allBuffers).toBe(true);
}

describe("fuzz: frame decoder", () => {
  fuzz(
    TARGET,
    "arbitrary bytes split anywhere decode to the reference parse's frames, or stop at EMSGSIZE for good",
    fc.record({ stream: bytes(600), cuts, limit: maxFrameSize, asBuffers: fc.boolean() }),
    ({ stream, cuts, limit, asBuffers }) => {
      expectReference(stream, decode(splitAt(stream, cuts), limit, asBuffers), limit, asBuffers);
    },
    EACH,
  );

  fuzz(
    TARGET,
    "mutated valid streams split anywhere decode to the reference parse's frames, or stop at EMSGSIZE for good",
    fc.record({
      frames: fc.array(frameSpec, { size: "max", maxLength: 8 }),
      mutations,
      cuts,
      limit: maxFrameSize,
      asBuffers: fc.boolean(),
    }),
    ({ frames, mutations, cuts, limit, asBuffers }) => {
      const stream = mutate(writeFrames(frames), mutations);
      expectReference(stream, decode(splitAt(stream, cuts), limit, asBuffers), limit, asBuffers);
    },
    EACH,
  );

  fuzz(
    TARGET,
    "valid streams split anywhere decode to exactly the frames written",
    fc.record({ frames: fc.array(frameSpec, { size: "max", maxLength: 8 }), cuts }),
    ({ frames, cuts }) => {
      const decoded = decode(splitAt(writeFrames(frames), cuts), -1, true);
      expect(decoded.errorCode).toBeNull();
      // The LONG bit is the wire's business (a body over 255 bytes forces it); the rest comes back as sent.
      expect(decoded.frames.map((f) => [f.flags | 0x02, Buffer.from(f.body).toString("hex")])).toEqual(
        frames.map((f) => [f.flags | 0x02, Buffer.from(f.body).toString("hex")]),
      );
    },
    EACH,
  );

  fuzz(
    TARGET,
    "a header announcing up to 2^64 - 1 bytes costs memory only as its body arrives",
    fc.record({
      flags: fc.constantFrom(0x02, 0x03, 0x06),
      // The declared size as two 32-bit halves (JSON has no 64-bit integers): small, around the
      // 16 MiB and 2^32 marks, and anything at all.
      high: fc.oneof(fc.constant(0), fc.constant(1), fc.nat({ max: 0xffffffff })),
      low: fc.oneof(fc.integer({ min: 256, max: 1 << 17 }), fc.integer({ min: 1 << 23, max: 1 << 25 }), fc.nat({ max: 0xffffffff })),
      sent: fc.nat({ max: 1 << 17 }),
      cuts,
      limit: fc.oneof(fc.constant(-1), fc.integer({ min: 2 ** 20, max: 2 ** 40 })),
    }),
    ({ flags, high, low, sent, cuts, limit }) => {
      const header = new Uint8Array(9);
      header[0] = flags;
      new DataView(header.buffer).setUint32(1, high);
      new DataView(header.buffer).setUint32(5, low);
      // Only the frame's own body: bytes beyond it would be further frames, which the other properties cover.
      const stream = new Uint8Array(9 + Math.min(sent, high * 2 ** 32 + low));
      stream.set(header);
      const meter = meterBufferAllocations();
      let decoded: Decoded;
      try {
        decoded = decode(splitAt(stream, cuts), limit, true, (fed) => meter.allow(fed));
      } finally {
        meter.stop();
      }
      expect(meter.overdraft).toBeNull();
      expectReference(stream, decoded, limit, true);
    },
    EACH,
  );
});
