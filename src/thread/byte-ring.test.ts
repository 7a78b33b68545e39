// The SPSC byte ring on one thread: records in order across wrap-around, batch publication, full
// and empty, the writer's wait for space, the reader's queued mark, and rings that move to larger
// ones (a record larger than the first ring, several moves, the maximum). Across threads:
// test/thread/rings-across-workers.test.ts.

import { describe, expect, test } from "bun:test";
import { RingReader, RingWriter, createRing, maxRecordPayload, ringCapacity } from "./byte-ring.ts";

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

/** A writer whose ring moves (up to `maxCapacity`), its new rings queued for the reader to follow when `deliver` says. */
function movingPair(capacity: number, maxCapacity: number) {
  const handed: SharedArrayBuffer[] = [];
  const capacities: number[] = [];
  const ring = createRing(capacity);
  const moved = (buffer: SharedArrayBuffer) => {
    handed.push(buffer);
    capacities.push(ringCapacity(buffer));
  };
  const writer = new RingWriter(ring, { maxCapacity, moved });
  const reader = new RingReader(ring);
  const deliver = () => {
    for (const buffer of handed.splice(0)) reader.follow(buffer);
  };
  return { writer, reader, handed, capacities, deliver };
}

describe("ByteRing moving to larger rings", () => {
  test("a record larger than the first ring moves the writer on; the reader follows at the marker, in order", () => {
    const { writer, reader, handed, deliver } = movingPair(64, 4096);
    expect(writer.tryWriteBytes(1, bytes(8, 1))).toBe(true);
    // 200 bytes never fit in 64: the ring moves by steps of four until a record may take half of it.
    expect(writer.tryWriteBytes(2, bytes(200, 2))).toBe(true);
    expect(handed.map((buffer) => ringCapacity(buffer))).toEqual([1024]);
    writer.publish();
    // The reader takes what precedes the marker, then waits for the new ring: not readable, not drained.
    expect(drainAll(reader)).toEqual([[1, [...bytes(8, 1)]]]);
    expect(reader.readable).toBe(false);
    expect(reader.awaitingRing).toBe(true);
    deliver();
    expect(reader.awaitingRing).toBe(false);
    expect(drainAll(reader)).toEqual([[2, [...bytes(200, 2)]]]);
    expect(reader.readable).toBe(false);
  });

  test("records keep order and bytes across wrap-arounds and several moves, up to the maximum and no further", () => {
    const { writer, reader, handed, capacities, deliver } = movingPair(64, 4096);
    let written = 0;
    let read = 0;
    const take = () =>
      reader.drain((tag, payload) => {
        expect(tag).toBe(read);
        expect(payload).toEqual(bytes(payload.length, read));
        read++;
      });
    // Growing sizes with a lagging reader make the ring move; the reader follows a batch late.
    for (let round = 0; round < 3000; round++) {
      const size = (round * 13) % (Math.min(40 + round, maxRecordPayload(4096)) + 1);
      while (!writer.tryWriteBytes(written, bytes(size, written))) {
        writer.publish();
        take();
        deliver();
      }
      written++;
      if (round % 7 === 0) {
        writer.publish();
        take();
        if (round % 21 === 0) deliver();
      }
    }
    writer.publish();
    deliver();
    while (reader.readable) take();
    expect(read).toBe(written);
    expect(capacities).toEqual([256, 1024, 4096]);
    expect(handed).toEqual([]);
    expect(reader.awaitingRing).toBe(false);
  });

  test("at the maximum a full ring refuses and waits for space; below it the wait is answered at once", () => {
    const { writer, reader, deliver } = movingPair(64, 256);
    expect(writer.waitForRecord(100)).toBe(true);
    let n = 0;
    while (writer.tryWriteBytes(n, bytes(24, n))) n++;
    // 64 → 256 once, then full: 256 / 32-byte records, the move marker's 8 bytes aside in the first ring.
    expect(n).toBe(1 + 8);
    expect(writer.waitForRecord(24)).toBe(false);
    writer.publish();
    deliver();
    expect(reader.drain(() => {})).toBe(n);
    expect(reader.takeWriterWaiting()).toBe(true);
    expect(writer.tryWriteBytes(n, bytes(24, n))).toBe(true);
  });

  test("the queued mark is set once until the reader clears it, and a moved ring starts unmarked", () => {
    const { writer, reader, deliver } = movingPair(64, 1024);
    expect(writer.markReaderQueued()).toBe(true);
    expect(writer.markReaderQueued()).toBe(false);
    reader.clearQueued();
    expect(writer.markReaderQueued()).toBe(true);
    // The writer moves and marks its new ring; the reader reaches it and clears that mark before reading.
    expect(writer.tryWriteBytes(1, bytes(300, 1))).toBe(true);
    writer.publish();
    expect(writer.markReaderQueued()).toBe(true);
    deliver();
    expect(drainAll(reader)).toEqual([[1, [...bytes(300, 1)]]]);
    expect(writer.markReaderQueued()).toBe(true);
  });
});
