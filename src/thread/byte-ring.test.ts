// The SPSC byte ring on one thread: records in order across wrap-around, batch publication, full
// and empty, the writer's wait for space. Across threads: test/thread/rings-across-workers.test.ts.

import { describe, expect, test } from "bun:test";
import { RingReader, RingWriter, createRing, maxRecordPayload } from "./byte-ring.ts";

const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);

function drainAll(reader: RingReader): Array<[number, number[]]> {
  const seen: Array<[number, number[]]> = [];
  reader.drain((tag, payload) => {
    seen.push([tag, [...payload]]);
  });
  return seen;
}

describe("ByteRing", () => {
  test("nothing is visible until publish(); then a batch is taken in one drain", () => {
    const ring = createRing(256);
    const writer = new RingWriter(ring);
    const reader = new RingReader(ring);
    expect(writer.tryWriteBytes(1, bytes(3, 1))).toBe(true);
    expect(writer.tryWriteBytes(2, bytes(0, 0))).toBe(true);
    expect(reader.readable).toBe(false);
    expect(drainAll(reader)).toEqual([]);
    expect(writer.publish()).toBe(true);
    expect(writer.publish()).toBe(false);
    expect(reader.readable).toBe(true);
    expect(drainAll(reader)).toEqual([
      [1, [...bytes(3, 1)]],
      [2, []],
    ]);
    expect(reader.readable).toBe(false);
  });

  test("records keep their order and bytes across thousands of wrap-arounds, sizes 0 to the maximum", () => {
    const capacity = 256;
    const ring = createRing(capacity);
    const writer = new RingWriter(ring);
    const reader = new RingReader(ring);
    let written = 0;
    let read = 0;
    for (let round = 0; round < 5000; round++) {
      const size = (round * 37) % (maxRecordPayload(capacity) + 1);
      while (!writer.tryWriteBytes(written, bytes(size, written))) {
        writer.publish();
        reader.drain((tag, payload) => {
          expect(tag).toBe(read);
          expect(payload).toEqual(bytes(payload.length, read));
          read++;
        });
      }
      written++;
    }
    writer.publish();
    reader.drain(() => {
      read++;
    });
    expect(read).toBe(written);
  });

  test("a full ring refuses; the writer's wait for space is reported once to the reader", () => {
    const ring = createRing(64);
    const writer = new RingWriter(ring);
    const reader = new RingReader(ring);
    let n = 0;
    while (writer.tryWriteBytes(n, bytes(8, n))) n++;
    expect(n).toBe(4);
    writer.publish();
    expect(writer.waitForSpace(16)).toBe(false);
    expect(reader.drain(() => false)).toBe(0);
    expect(reader.drain((tag) => tag === 0)).toBe(1);
    expect(reader.takeWriterWaiting()).toBe(true);
    expect(reader.takeWriterWaiting()).toBe(false);
    expect(writer.tryWriteBytes(9, bytes(8, 9))).toBe(true);
    expect(() => createRing(100)).toThrow(RangeError);
  });
});
