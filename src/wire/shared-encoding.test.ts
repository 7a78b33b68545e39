// The shared framing of a fanned-out message: exactly the bytes a connection's own framing gives
// (golden bytes, and the decoder reading them back at every split), a new block once one is full,
// and nothing shared past the size limit.

import { describe, expect, test } from "bun:test";
import { FrameDecoder } from "./decoder.ts";
import { encodeFrame, FLAG_MORE } from "./frame.ts";
import { encodeShared, MAX_SHARED_BYTES } from "./shared-encoding.ts";

const bytes = (n: number, fill = 7) => new Uint8Array(n).fill(fill);
const view = (run: { bytes: Uint8Array; start: number; end: number }) => run.bytes.slice(run.start, run.end);

describe("encodeShared", () => {
  test("golden bytes: MORE on all frames but the last, short headers up to 255, long from 256", () => {
    const run = encodeShared([new Uint8Array([0x61]), new Uint8Array(0), bytes(256, 0)])!;
    const expected = [0x01, 0x01, 0x61, 0x01, 0x00, 0x02, 0, 0, 0, 0, 0, 0, 0x01, 0x00, ...new Array(256).fill(0)];
    expect([...view(run)]).toEqual(expected);
  });

  test("the same bytes as framing each frame on its own, for sizes either side of the header switch", () => {
    for (const sizes of [[0], [1], [255], [256], [64, 64, 64], [255, 256, 1000]]) {
      const frames = sizes.map((n, i) => bytes(n, i + 1));
      const own = frames.map((frame, i) => encodeFrame(i < frames.length - 1 ? FLAG_MORE : 0, frame));
      const joined = new Uint8Array(own.reduce((n, f) => n + f.length, 0));
      own.reduce((at, f) => (joined.set(f, at), at + f.length), 0);
      expect(view(encodeShared(frames)!)).toEqual(joined);
    }
  });

  test("the decoder reads a shared run back frame for frame, split at every byte", () => {
    const frames = [bytes(3, 1), bytes(300, 2), bytes(0)];
    const wire = view(encodeShared(frames)!);
    for (let split = 0; split <= wire.length; split++) {
      const decoder = new FrameDecoder(-1);
      const seen: Array<[number, number]> = [];
      for (const part of [wire.subarray(0, split), wire.subarray(split)]) {
        decoder.feed(part);
        while (decoder.next()) seen.push([decoder.flags & FLAG_MORE, decoder.body.length]);
      }
      expect(seen).toEqual([
        [1, 3],
        [1, 300],
        [0, 0],
      ]);
    }
  });

  test("consecutive messages follow each other in one block, so an engine writes them as one run", () => {
    let first = encodeShared([bytes(64)])!;
    let second = encodeShared([bytes(64)])!;
    // The pair may straddle the end of a block once; the next pair cannot.
    if (second.bytes !== first.bytes) [first, second] = [encodeShared([bytes(64)])!, encodeShared([bytes(64)])!];
    expect(second.bytes).toBe(first.bytes);
    expect(second.start).toBe(first.end);
  });

  test("a message that does not fit the block's rest starts a new block; the old one keeps its bytes", () => {
    const first = encodeShared([bytes(MAX_SHARED_BYTES - 9, 3)])!;
    const before = view(first);
    let moved = false;
    for (let i = 0; i < 64 && !moved; i++) moved = encodeShared([bytes(MAX_SHARED_BYTES - 9, 4)])!.bytes !== first.bytes;
    expect(moved).toBe(true);
    expect(view(first)).toEqual(before);
  });

  test("past MAX_SHARED_BYTES encoded, nothing is shared: each connection frames the message itself", () => {
    expect(encodeShared([bytes(MAX_SHARED_BYTES - 9)])).toBeDefined();
    expect(encodeShared([bytes(MAX_SHARED_BYTES - 8)])).toBeUndefined();
    expect(encodeShared([bytes(MAX_SHARED_BYTES / 2), bytes(MAX_SHARED_BYTES / 2)])).toBeUndefined();
  });
});
