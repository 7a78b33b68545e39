// WriteQueue's count of protocol output the kernel has not taken, and its bound (#14): only what the
// engine produced itself counts, what the kernel takes is forgotten, and passing the bound drops the
// queue and reports once.

import { describe, expect, test } from "bun:test";
import { FakeStream } from "./test-support.ts";
import type { ProtocolBound } from "./engine-limits.ts";
import { WriteQueue } from "./write-queue.ts";

const bytes = (n: number, fill = 1) => new Uint8Array(n).fill(fill);

function queue(room: number, max = -1) {
  const stream = new FakeStream();
  stream.room = room;
  const exceeded: number[] = [];
  const bound: ProtocolBound = { max, exceeded: (unread) => exceeded.push(unread) };
  return { stream, writer: new WriteQueue(stream, 8192, bound), exceeded };
}

describe("WriteQueue protocol backlog", () => {
  test("counts protocol bytes while they wait in the batch, and forgets them once the kernel takes them", () => {
    const { writer, stream } = queue(Infinity);
    writer.appendProtocol(bytes(23));
    writer.appendFrame(0, bytes(100));
    expect(writer.unreadProtocolBytes).toBe(23);
    expect(writer.flush()).toBe(true);
    expect(writer.unreadProtocolBytes).toBe(0);
    expect(stream.bytes().length).toBe(23 + 2 + 100);
  });

  test("application data (frames, raw bytes) never counts, however much the kernel refuses", () => {
    const { writer, exceeded } = queue(0, 0);
    writer.appendFrame(0, bytes(1000));
    writer.appendBytes(bytes(20_000));
    writer.flush();
    expect(writer.backlogged).toBe(true);
    expect(writer.unreadProtocolBytes).toBe(0);
    expect(exceeded).toEqual([]);
  });

  test("what the kernel refuses stays counted until its chunk is written whole, then drops out", () => {
    const { writer, stream } = queue(10);
    writer.appendProtocol(bytes(23, 2));
    writer.flush();
    expect(writer.backlogged).toBe(true);
    // An upper bound: the chunk keeps its whole count while any of it waits.
    expect(writer.unreadProtocolBytes).toBe(23);
    stream.room = 5;
    expect(writer.drained()).toBe(false);
    expect(writer.unreadProtocolBytes).toBe(23);
    stream.room = Infinity;
    expect(writer.drained()).toBe(true);
    expect(writer.unreadProtocolBytes).toBe(0);
    expect(stream.bytes()).toEqual(Buffer.from(bytes(23, 2)));
  });

  test("protocol output of 16 KiB or more goes straight to the kernel and is counted the same way", () => {
    const { writer, stream } = queue(1000);
    writer.appendProtocol(bytes(20_000));
    expect(writer.unreadProtocolBytes).toBe(20_000);
    stream.room = Infinity;
    writer.drained();
    expect(writer.unreadProtocolBytes).toBe(0);
    expect(stream.bytes().length).toBe(20_000);
  });

  test("more refused protocol bytes than the bound: reports once with the count, drops everything, writes nothing more", () => {
    const { writer, stream, exceeded } = queue(0, 40);
    writer.appendProtocol(bytes(30));
    writer.flush();
    expect(exceeded).toEqual([]);
    writer.appendProtocol(bytes(30));
    writer.flush();
    expect(exceeded).toEqual([60]);
    expect(writer.backlogged).toBe(false);
    expect(writer.unreadProtocolBytes).toBe(0);
    stream.room = Infinity;
    writer.appendProtocol(bytes(30));
    writer.appendFrame(0, bytes(10));
    writer.flush();
    expect(writer.drained()).toBe(true);
    expect(stream.bytes().length).toBe(0);
    expect(exceeded).toEqual([60]);
  });

  test("protocol bytes waiting in the batch are not held against the bound: the kernel may still take them", () => {
    const { writer, exceeded } = queue(Infinity, 0);
    writer.appendProtocol(bytes(64));
    expect(writer.unreadProtocolBytes).toBe(64);
    writer.flush();
    expect(exceeded).toEqual([]);
  });

  test("a negative bound never reports", () => {
    const { writer, exceeded } = queue(0, -1);
    for (let i = 0; i < 1000; i++) writer.appendProtocol(bytes(100));
    writer.flush();
    expect(writer.unreadProtocolBytes).toBe(100_000);
    expect(exceeded).toEqual([]);
  });
});
