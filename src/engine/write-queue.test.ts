// WriteQueue: coalescing frames into batches over a ByteStream that may take only part of a write.
// A fake stream records what the "kernel" accepted, copied at write time, so later reuse of a
// buffer by the queue cannot hide lost, duplicated or reordered bytes.

import { describe, expect, test } from "bun:test";
import type { ByteStream, ByteStreamHandler } from "../core/byte-stream.ts";
import { WriteQueue } from "./write-queue.ts";

const DIRECT_BODY_BYTES = 16 * 1024;
const MAX_BATCH_BYTES = 256 * 1024;
const FLAG_MORE = 0x01;
const FLAG_COMMAND = 0x04;

interface WriteCall {
  /** The exact object passed to write(). */
  data: Uint8Array;
  offset: number;
  length: number;
  /** How many bytes the fake kernel took. */
  accepted: number;
}

/** Decides how many of `length` offered bytes one write() accepts; -1 = stream closed. */
type Policy = (length: number, call: number) => number;

const ACCEPT_ALL: Policy = (length) => length;

class FakeStream implements ByteStream {
  readonly remoteAddress = "fake://test";
  readonly calls: WriteCall[] = [];
  policy: Policy;
  #accepted: Uint8Array[] = [];

  constructor(policy: Policy = ACCEPT_ALL) {
    this.policy = policy;
  }

  start(_handler: ByteStreamHandler): void {}

  write(data: Uint8Array, offset: number, length: number): number {
    const decided = this.policy(length, this.calls.length);
    const accepted = decided < 0 ? -1 : Math.max(0, Math.min(length, decided));
    this.calls.push({ data, offset, length, accepted });
    if (accepted > 0) this.#accepted.push(data.slice(offset, offset + accepted));
    return accepted;
  }

  pause(): void {}
  resume(): void {}
  end(): void {}
  destroy(): void {}

  /** Every byte the kernel accepted, in order. */
  bytes(): Uint8Array {
    return concat(this.#accepted);
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let pos = 0;
  for (const chunk of chunks) {
    out.set(chunk, pos);
    pos += chunk.length;
  }
  return out;
}

/** Independent reference encoding of one ZMTP 3.x frame (RFC 23: short up to 255, else LONG + u64 BE). */
function encodedFrame(flags: number, body: Uint8Array): Uint8Array {
  const header = body.length <= 255 ? Uint8Array.of(flags, body.length) : new Uint8Array(9);
  if (body.length > 255) {
    header[0] = flags | 0x02;
    new DataView(header.buffer).setBigUint64(1, BigInt(body.length));
  }
  return concat([header, body]);
}

/** `size` bytes whose values depend on `seed` and position, so shifted data never compares equal. */
function body(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 131 + seed * 17 + (i >>> 8)) & 0xff;
  return out;
}

/** Deterministic PRNG (mulberry32) so every random pattern can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Compares byte arrays and reports the first difference instead of dumping megabytes. */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array, context: string): void {
  let first = -1;
  const n = Math.min(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    if (actual[i] !== expected[i]) {
      first = i;
      break;
    }
  }
  const summary =
    first < 0 && actual.length === expected.length
      ? "equal"
      : `differ (${context}): lengths ${actual.length} vs ${expected.length}, first difference at ${first < 0 ? n : first}`;
  expect(summary).toBe("equal");
}

describe("WriteQueue coalescing", () => {
  test("frames appended before a flush leave in one write, encoded as ZMTP frames", () => {
    const stream = new FakeStream();
    const queue = new WriteQueue(stream, 8192);
    const parts = [body(0, 1), body(1, 2), body(255, 3), body(256, 4), body(1000, 5)];
    parts.forEach((part, i) => queue.appendFrame(i < parts.length - 1 ? FLAG_MORE : 0, part));
    expect(stream.calls.length).toBe(0);
    expect(queue.flush()).toBe(true);
    expect(stream.calls.length).toBe(1);
    const expected = concat(parts.map((part, i) => encodedFrame(i < parts.length - 1 ? FLAG_MORE : 0, part)));
    expectSameBytes(stream.bytes(), expected, "one coalesced batch");
  });

  test("command frames and pre-encoded bytes share the batch with data frames", () => {
    const stream = new FakeStream();
    const queue = new WriteQueue(stream, 8192);
    const greeting = body(64, 9);
    queue.appendBytes(greeting);
    queue.appendFrame(FLAG_COMMAND, body(30, 1));
    queue.appendFrame(0, body(5, 2));
    queue.flush();
    expect(stream.calls.length).toBe(1);
    expectSameBytes(
      stream.bytes(),
      concat([greeting, encodedFrame(FLAG_COMMAND, body(30, 1)), encodedFrame(0, body(5, 2))]),
      "mixed batch",
    );
  });

  test("a flush with nothing appended writes nothing and reports no backlog", () => {
    const stream = new FakeStream();
    const queue = new WriteQueue(stream, 8192);
    expect(queue.flush()).toBe(true);
    expect(queue.backlogged).toBe(false);
    expect(stream.calls.length).toBe(0);
  });

  test("more frames than fit one batch are split over several writes with nothing lost", () => {
    const stream = new FakeStream();
    const queue = new WriteQueue(stream, 256);
    const frames = Array.from({ length: 200 }, (_, i) => body(10 + (i % 7), i));
    for (const frame of frames) queue.appendFrame(0, frame);
    queue.flush();
    expect(stream.calls.length).toBeGreaterThan(1);
    expectSameBytes(stream.bytes(), concat(frames.map((f) => encodedFrame(0, f))), "split batches");
  });
});

describe("WriteQueue partial writes", () => {
  test("a partial write keeps the rest, and drained() sends it in order", () => {
    const stream = new FakeStream((length, call) => (call === 0 ? 3 : length));
    const queue = new WriteQueue(stream, 8192);
    queue.appendFrame(FLAG_MORE, body(10, 1));
    queue.appendFrame(0, body(20, 2));
    expect(queue.flush()).toBe(false);
    expect(queue.backlogged).toBe(true);
    expect(queue.drained()).toBe(true);
    expect(queue.backlogged).toBe(false);
    expectSameBytes(stream.bytes(), concat([encodedFrame(FLAG_MORE, body(10, 1)), encodedFrame(0, body(20, 2))]), "after drain");
  });

  test("a write that takes nothing keeps everything until the stream drains", () => {
    const stream = new FakeStream(() => 0);
    const queue = new WriteQueue(stream, 8192);
    queue.appendFrame(0, body(100, 1));
    expect(queue.flush()).toBe(false);
    expect(queue.drained()).toBe(false);
    expect(queue.drained()).toBe(false);
    expect(stream.bytes().length).toBe(0);
    stream.policy = ACCEPT_ALL;
    expect(queue.drained()).toBe(true);
    expectSameBytes(stream.bytes(), encodedFrame(0, body(100, 1)), "after zero-byte writes");
  });

  test("frames appended while backlogged are queued behind the backlog and written only after it", () => {
    const stream = new FakeStream(() => 0);
    const queue = new WriteQueue(stream, 8192);
    queue.appendFrame(0, body(50, 1));
    queue.flush();
    const writesWhileBlocked = stream.calls.length;
    queue.appendFrame(0, body(60, 2));
    expect(queue.flush()).toBe(false);
    expect(stream.calls.length).toBe(writesWhileBlocked); // nothing overtakes the backlog
    stream.policy = ACCEPT_ALL;
    expect(queue.drained()).toBe(true);
    expectSameBytes(stream.bytes(), concat([encodedFrame(0, body(50, 1)), encodedFrame(0, body(60, 2))]), "backlog then new");
  });

  test("a spurious drain with no backlog is harmless", () => {
    const stream = new FakeStream();
    const queue = new WriteQueue(stream, 8192);
    expect(queue.drained()).toBe(true);
    expect(stream.calls.length).toBe(0);
  });

  test("after the stream reports closed (-1) the queue stops writing and drops its backlog", () => {
    const stream = new FakeStream((_length, call) => (call === 0 ? 5 : -1));
    const queue = new WriteQueue(stream, 8192);
    queue.appendFrame(0, body(100, 1));
    queue.flush();
    queue.drained();
    expect(queue.backlogged).toBe(false);
    const calls = stream.calls.length;
    queue.appendFrame(0, body(10, 2));
    queue.flush();
    queue.drained();
    expect(stream.calls.length).toBe(calls);
  });

  // The property test: random frames (some ≥ 16 KiB, written directly), random flush points and a
  // random number of bytes accepted per write. Whatever the pattern, the bytes the kernel accepted
  // must be exactly the reference encoding of every frame, in order.
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]) {
    test(`random partial-write pattern ${seed} delivers every byte once, in order`, () => {
      const random = prng(seed);
      const stream = new FakeStream((length) => {
        const r = random();
        if (r < 0.15) return 0;
        if (r < 0.55) return length;
        return Math.floor(random() * (length + 1));
      });
      const queue = new WriteQueue(stream, 256 + Math.floor(random() * 8192));
      const expected: Uint8Array[] = [];
      for (let op = 0; op < 400; op++) {
        const r = random();
        if (r < 0.6) {
          const sizeClass = random();
          const size =
            sizeClass < 0.7
              ? Math.floor(random() * 300)
              : sizeClass < 0.93
                ? 300 + Math.floor(random() * 8000)
                : DIRECT_BODY_BYTES + Math.floor(random() * 40_000) - 8;
          const flags = random() < 0.5 ? FLAG_MORE : random() < 0.1 ? FLAG_COMMAND : 0;
          const frame = body(size, op);
          queue.appendFrame(flags, frame);
          expected.push(encodedFrame(flags, frame));
        } else if (r < 0.7) {
          const bytes = body(random() < 0.9 ? 1 + Math.floor(random() * 100) : DIRECT_BODY_BYTES + 100, op + 7);
          queue.appendBytes(bytes);
          expected.push(bytes);
        } else if (r < 0.85 || queue.batchFull) {
          queue.flush();
        } else {
          queue.drained();
        }
      }
      // The peer catches up: the kernel now takes everything.
      stream.policy = ACCEPT_ALL;
      queue.drained();
      expect(queue.flush()).toBe(true);
      expect(queue.backlogged).toBe(false);
      expectSameBytes(stream.bytes(), concat(expected), `seed ${seed}`);
    });
  }
});

describe("WriteQueue large bodies", () => {
  test("a body of 16 KiB or more is written from the caller's memory, after the batch holding its header", () => {
    const stream = new FakeStream();
    const queue = new WriteQueue(stream, 8192);
    const small = body(10, 1);
    const large = body(DIRECT_BODY_BYTES, 2);
    queue.appendFrame(FLAG_MORE, small);
    queue.appendFrame(0, large);
    queue.flush();
    expect(stream.calls.length).toBe(2);
    expect(stream.calls[1]!.data).toBe(large);
    expect(stream.calls[1]!.offset).toBe(0);
    expect(stream.calls[1]!.length).toBe(large.length);
    expectSameBytes(stream.bytes(), concat([encodedFrame(FLAG_MORE, small), encodedFrame(0, large)]), "direct body");
  });

  test("a body just under 16 KiB is copied into the batch instead", () => {
    const stream = new FakeStream();
    const queue = new WriteQueue(stream, 8192);
    const medium = body(DIRECT_BODY_BYTES - 1, 3);
    queue.appendFrame(0, medium);
    queue.flush();
    for (const call of stream.calls) expect(call.data).not.toBe(medium);
    expectSameBytes(stream.bytes(), encodedFrame(0, medium), "copied body");
  });

  test("pre-encoded bytes of 16 KiB or more are also written from the caller's memory", () => {
    const stream = new FakeStream();
    const queue = new WriteQueue(stream, 8192);
    const bytes = body(DIRECT_BODY_BYTES + 1, 4);
    queue.appendBytes(bytes);
    queue.flush();
    expect(stream.calls.some((call) => call.data === bytes)).toBe(true);
    expectSameBytes(stream.bytes(), bytes, "direct bytes");
  });

  test("a large body queued behind a backlog is later written from the caller's memory", () => {
    const stream = new FakeStream(() => 0);
    const queue = new WriteQueue(stream, 8192);
    const large = body(40_000, 5);
    queue.appendFrame(0, body(10, 1));
    queue.flush();
    queue.appendFrame(0, large);
    stream.policy = (length) => (length === large.length ? 1000 : length);
    expect(queue.drained()).toBe(false); // the kernel took only part of the large body
    stream.policy = ACCEPT_ALL;
    expect(queue.drained()).toBe(true);
    const direct = stream.calls.filter((call) => call.data.buffer === large.buffer);
    expect(direct.length).toBeGreaterThan(0);
    expect(direct[0]!.data).toBe(large);
    expectSameBytes(stream.bytes(), concat([encodedFrame(0, body(10, 1)), encodedFrame(0, large)]), "large behind backlog");
  });

  test("a partial write of a large body resumes from the caller's memory, not a copy", () => {
    let calls = 0;
    const stream = new FakeStream((length) => (calls++ === 1 ? 7000 : length));
    const queue = new WriteQueue(stream, 8192);
    const large = body(50_000, 6);
    queue.appendFrame(0, large);
    expect(queue.flush()).toBe(false);
    expect(queue.drained()).toBe(true);
    const rest = stream.calls[2]!;
    expect(rest.data.buffer).toBe(large.buffer);
    expect(rest.data.byteOffset + rest.offset).toBe(large.byteOffset + 7000);
    expectSameBytes(stream.bytes(), encodedFrame(0, large), "large partial");
  });
});

describe("WriteQueue batch size", () => {
  /**
   * The engine's write loop: append 10-byte frames and flush whenever the batch is full (then once
   * at the end). Returns the size of every write the kernel saw.
   */
  function engineLoop(queue: WriteQueue, stream: FakeStream, frames: number, seed: number): { sizes: number[]; expected: Uint8Array } {
    const start = stream.calls.length;
    const expected: Uint8Array[] = [];
    for (let i = 0; i < frames; i++) {
      const frame = body(10, seed + i);
      queue.appendFrame(0, frame);
      expected.push(encodedFrame(0, frame));
      if (queue.batchFull) queue.flush();
    }
    queue.flush();
    return { sizes: stream.calls.slice(start).map((call) => call.length), expected: concat(expected) };
  }

  test("the batch starts at outBatchSize", () => {
    const stream = new FakeStream();
    const queue = new WriteQueue(stream, 1024);
    const { sizes } = engineLoop(queue, stream, 80, 0); // 80 × 12 bytes = 960 bytes: one batch
    expect(sizes).toEqual([960]);
  });

  test("the batch limit grows while the kernel accepts whole batches, so later writes carry more bytes", () => {
    const stream = new FakeStream();
    const queue = new WriteQueue(stream, 256);
    const { sizes, expected } = engineLoop(queue, stream, 20_000, 0); // 240 000 bytes
    expectSameBytes(stream.bytes(), expected, "growing batches");
    // Every flush here is a whole batch the kernel took, so batches should double from 256 bytes.
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(4 * 256);
    expect(sizes.length).toBeLessThan(240_000 / 256);
  });

  test("after a full batch is accepted whole, the next batch holds up to twice as many bytes", () => {
    const stream = new FakeStream();
    const queue = new WriteQueue(stream, 256);
    queue.appendBytes(body(256, 1));
    expect(queue.batchFull).toBe(true);
    expect(queue.flush()).toBe(true); // a whole, full batch: the limit doubles to 512
    queue.appendBytes(body(200, 2));
    queue.appendBytes(body(200, 3));
    expect(queue.batchFull).toBe(false);
    queue.flush();
    expect(stream.calls.map((call) => call.length)).toEqual([256, 400]);
  });

  test("the batch limit never exceeds 256 KiB", () => {
    const stream = new FakeStream();
    const queue = new WriteQueue(stream, 8192);
    const { sizes, expected } = engineLoop(queue, stream, 200_000, 0); // 2.4 MB
    expectSameBytes(stream.bytes(), expected, "capped batches");
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_BATCH_BYTES + 9 + 12);
  });

  test("after a partial write the next batches start again from outBatchSize", () => {
    const stream = new FakeStream();
    const queue = new WriteQueue(stream, 256);
    engineLoop(queue, stream, 5000, 0);
    stream.policy = (length) => Math.floor(length / 2);
    queue.appendFrame(0, body(10, 1));
    expect(queue.flush()).toBe(false);
    stream.policy = ACCEPT_ALL;
    queue.drained();
    const { sizes } = engineLoop(queue, stream, 100, 2);
    expect(sizes[0]!).toBeLessThanOrEqual(256 + 9 + 12);
  });
});
