// Whole messages over a byte ring: multipart and empty frames, the subscription mark, frames far
// larger than the ring (chunked, resumed), rings that move to larger ones, and a consumer that
// refuses while full.

import { describe, expect, test } from "bun:test";
import type { Message } from "../core/message.ts";
import { createRing } from "./byte-ring.ts";
import { MessageReader, MessageWriter } from "./message-ring.ts";

const frame = (n: number, seed: number) => Buffer.from(Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff));

/**
 * Pushes every message through, resuming the writer and reading whenever the ring fills. With
 * `maxCapacity` the ring moves to larger ones, which reach the reader a read late.
 */
function pass(capacity: number, messages: Message[], refuseEvery = 0, maxCapacity = 0): Message[] {
  const ring = createRing(capacity);
  const moved: SharedArrayBuffer[] = [];
  const writer = new MessageWriter(ring, maxCapacity > 0 ? { maxCapacity, moved: (next) => moved.push(next) } : null);
  const reader = new MessageReader(ring);
  const follow = () => {
    for (const next of moved.splice(0)) reader.follow(next);
  };
  const out: Message[] = [];
  let offers = 0;
  const deliver = (message: Message) => {
    offers++;
    if (refuseEvery > 0 && offers % refuseEvery === 0) return false;
    out.push(message);
    return true;
  };
  for (const message of messages) {
    let done = writer.write(message);
    while (!done) {
      writer.publish();
      reader.read(deliver);
      follow();
      done = writer.resume();
    }
  }
  writer.publish();
  follow();
  while (!reader.drained) reader.read(deliver);
  return out;
}

describe("MessageRing", () => {
  test("multipart messages with empty frames arrive whole, in order, as Buffers", () => {
    const messages: Message[] = [[frame(3, 1), frame(0, 0), frame(5, 2)], [frame(0, 0)], [frame(200, 3)]];
    const out = pass(1024, messages);
    expect(out.map((m) => m.map((f) => Buffer.from(f).toString("hex")))).toEqual(
      messages.map((m) => m.map((f) => Buffer.from(f).toString("hex"))),
    );
    expect(out.every((m) => m.every((f) => Buffer.isBuffer(f)))).toBe(true);
  });

  test("a 1 MiB frame crosses a 4 KiB ring in chunks, between smaller messages", () => {
    const big = frame(1024 * 1024, 9);
    const out = pass(4096, [[frame(10, 1)], [frame(7, 2), big, frame(1, 3)], [frame(10, 4)]]);
    expect(out.length).toBe(3);
    expect(out[1]![1]!.length).toBe(big.length);
    expect(Buffer.from(out[1]![1]!).equals(big)).toBe(true);
    expect(Buffer.from(out[2]![0]!).equals(frame(10, 4))).toBe(true);
  });

  test("a ring that starts at 64 bytes moves as frames need, up to its maximum, and a 1 MiB frame still crosses in chunks", () => {
    const big = frame(1024 * 1024, 5);
    const messages: Message[] = [[frame(3, 1)], [frame(500, 2), frame(0, 0)], [big], [frame(9, 3)]];
    const out = pass(64, messages, 0, 16 * 1024);
    expect(out.map((m) => m.map((f) => f.length))).toEqual([[3], [500, 0], [big.length], [9]]);
    expect(Buffer.from(out[2]![0]!).equals(big)).toBe(true);
    expect(Buffer.from(out[1]![0]!).equals(frame(500, 2))).toBe(true);
  });

  test("the subscription mark survives; a refused message is offered again first", () => {
    const subscribe: Message = [Buffer.from("\x01topic")];
    subscribe.isSubscription = true;
    const messages: Message[] = Array.from({ length: 50 }, (_, i) => [frame(i, i)]);
    messages.splice(10, 0, subscribe);
    const out = pass(512, messages, 3);
    expect(out.length).toBe(51);
    expect(out[10]!.isSubscription).toBe(true);
    expect(out.filter((m) => m.isSubscription === true).length).toBe(1);
    expect(out.filter((m) => m !== out[10]).map((m) => m[0]!.length)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
