// WriteQueue's runs of shared frames (appendWire): frames a PUB framed once for all its connections
// are written from the shared block itself, contiguous ones in one write, in order with everything
// else the queue holds, and kept whole across a kernel that takes only part.

import { describe, expect, test } from "bun:test";
import type { EncodedFrames } from "../core/message.ts";
import { FakeStream } from "./test-support.ts";
import { WriteQueue } from "./write-queue.ts";

const MAX_BATCH_BYTES = 256 * 1024;

/** A shared block holding `count` one-frame messages of `size` bytes, back to back. */
function block(count: number, size: number, fill = 1): EncodedFrames[] {
  const bytes = new Uint8Array(count * (size + 2));
  const runs: EncodedFrames[] = [];
  for (let i = 0; i < count; i++) {
    const start = i * (size + 2);
    bytes[start] = 0;
    bytes[start + 1] = size;
    bytes.fill(fill + i, start + 2, start + 2 + size);
    runs.push({ bytes, start, end: start + 2 + size });
  }
  return runs;
}

const wireOf = (runs: EncodedFrames[]) => runs.map((r) => [...r.bytes.subarray(r.start, r.end)]).flat();

function queue(room = Infinity) {
  const stream = new FakeStream();
  stream.room = room;
  return { stream, calls: stream.writeSources, writer: new WriteQueue(stream, 8192) };
}

describe("WriteQueue shared frames", () => {
  test("contiguous shared frames go out in one write, straight from the shared block", () => {
    const { writer, stream, calls } = queue();
    const runs = block(100, 64);
    for (const run of runs) writer.appendWire(run);
    expect(calls.length).toBe(0);
    writer.flush();
    expect(calls.length).toBe(1);
    expect(calls[0]).toBe(runs[0]!.bytes);
    expect([...stream.bytes()]).toEqual(wireOf(runs));
  });

  test("a gap in the block, or another block, starts another write; the order stays", () => {
    const { writer, stream, calls } = queue();
    const a = block(4, 10, 1);
    const b = block(3, 10, 50);
    const order = [a[0]!, a[1]!, a[3]!, b[0]!, b[1]!, a[2]!];
    for (const run of order) writer.appendWire(run);
    writer.flush();
    expect(calls.length).toBe(4);
    expect([...stream.bytes()]).toEqual(wireOf(order));
  });

  test("frames and protocol output appended between shared frames keep their place", () => {
    const { writer, stream } = queue();
    const runs = block(3, 5);
    writer.appendProtocol(new Uint8Array([0xaa]));
    writer.appendWire(runs[0]!);
    writer.appendFrame(0, new Uint8Array([0xbb]));
    writer.appendWire(runs[1]!);
    writer.appendWire(runs[2]!);
    writer.appendProtocol(new Uint8Array([0xcc]));
    writer.flush();
    expect([...stream.bytes()]).toEqual([0xaa, ...wireOf([runs[0]!]), 0, 1, 0xbb, ...wireOf(runs.slice(1)), 0xcc]);
  });

  test("what the kernel refuses of a run waits in the backlog and goes out whole, after which new frames follow", () => {
    const { writer, stream } = queue(150);
    const runs = block(5, 64);
    for (const run of runs.slice(0, 4)) writer.appendWire(run);
    expect(writer.flush()).toBe(false);
    expect(writer.backlogged).toBe(true);
    writer.appendWire(runs[4]!);
    stream.room = Infinity;
    expect(writer.drained()).toBe(true);
    expect(writer.flush()).toBe(true);
    expect([...stream.bytes()]).toEqual(wireOf(runs));
  });

  test("a run reports the batch full at the largest batch size, so the engine flushes it", () => {
    const { writer } = queue();
    const runs = block(Math.ceil(MAX_BATCH_BYTES / 66) + 1, 64);
    let full = -1;
    for (let i = 0; i < runs.length && full < 0; i++) {
      writer.appendWire(runs[i]!);
      if (writer.batchFull) full = i;
    }
    expect(full).toBe(Math.ceil(MAX_BATCH_BYTES / 66) - 1);
  });
});
