// The I/O threads' arena: which sizes it hands out, that a block comes back only once every view
// of it is gone, that only allocated Buffers are lent, and that a lent frame crosses a ring as its
// place, not its bytes, between two readers of the same shared memory.

import { describe, expect, test } from "bun:test";
import type { Message } from "../core/message.ts";
import { createRing } from "./byte-ring.ts";
import { FrameArena, LEND_MAX_BYTES, LEND_MIN_BYTES, LentFrames, createArenaShare } from "./frame-arena.ts";
import { MessageReader, MessageWriter } from "./message-ring.ts";

describe("FrameArena", () => {
  test("hands out blocks from 16 KiB to 1 MiB, and nothing outside that", () => {
    const arena = new FrameArena(createArenaShare());
    expect(arena.allocate(LEND_MIN_BYTES - 1)).toBeNull();
    expect(arena.allocate(LEND_MAX_BYTES + 1)).toBeNull();
    const small = arena.allocate(LEND_MIN_BYTES)!;
    const large = arena.allocate(LEND_MAX_BYTES)!;
    expect(small.length).toBe(LEND_MIN_BYTES);
    expect(large.length).toBe(LEND_MAX_BYTES);
    expect(small.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(small.buffer).toBe(large.buffer);
  });

  test("a block is reused only once its Buffer and every lent view of it have let go", () => {
    const arena = new FrameArena(createArenaShare());
    // 64 blocks of 1 MiB fill the arena.
    const blocks = Array.from({ length: 64 }, () => arena.allocate(LEND_MAX_BYTES));
    expect(blocks.every((block) => block !== null)).toBe(true);
    expect(arena.allocate(LEND_MAX_BYTES)).toBeNull();
    const lent = arena.lend(blocks[0]!)!;
    expect(lent).toEqual({ offset: blocks[0]!.byteOffset, length: LEND_MAX_BYTES, block: lent.block });
    arena.drop(lent.block); // the Buffer's own count, as if it were collected
    expect(arena.allocate(LEND_MAX_BYTES)).toBeNull(); // the lent view still holds it
    arena.drop(lent.block); // the view collected
    const again = arena.allocate(LEND_MAX_BYTES)!;
    expect(again.byteOffset).toBe(blocks[0]!.byteOffset);
  });

  test("lends only the Buffers it allocated, never a slice or an ordinary Buffer", () => {
    const arena = new FrameArena(createArenaShare());
    const block = arena.allocate(64 * 1024)!;
    expect(arena.lend(block)).not.toBeNull();
    expect(arena.lend(block.subarray(1))).toBeNull();
    expect(arena.lend(Buffer.alloc(64 * 1024))).toBeNull();
  });

  test("a block collected by the garbage collector comes back", async () => {
    const arena = new FrameArena(createArenaShare());
    const fill = () => {
      for (let i = 0; i < 64; i++) expect(arena.allocate(LEND_MAX_BYTES)).not.toBeNull();
    };
    fill();
    expect(arena.allocate(LEND_MAX_BYTES)).toBeNull();
    // Finalizers run after a collection, on a later turn; bounded by the loop count.
    let block: Buffer | null = null;
    for (let turn = 0; turn < 100 && block === null; turn++) {
      Bun.gc(true);
      await new Promise((resolve) => setImmediate(resolve));
      block = arena.allocate(LEND_MAX_BYTES);
    }
    expect(block).not.toBeNull();
  });
});

describe("lent frames over a message ring", () => {
  test("an allocated frame crosses as its place: the reader's view is the same memory", () => {
    const share = createArenaShare();
    const arena = new FrameArena(share);
    const ring = createRing(1024);
    const writer = new MessageWriter(ring, null, { arena });
    const reader = new MessageReader(ring, { lent: new LentFrames(share) });
    const body = arena.allocate(100_000)!.fill(7);
    const message: Message = [Buffer.from("head"), body, Buffer.from("tail")];
    expect(writer.write(message)).toBe(true); // 100 kB through a 1 KiB ring: only its place went in
    writer.publish();
    const out: Message[] = [];
    reader.read((received) => out.push(received) > 0);
    expect(out).toHaveLength(1);
    const [head, view, tail] = out[0]!;
    expect(head!.toString()).toBe("head");
    expect(tail!.toString()).toBe("tail");
    expect(view!.length).toBe(100_000);
    expect(view!.every((byte) => byte === 7)).toBe(true);
    body[99_999] = 9;
    expect(view![99_999]).toBe(9);
  });

  test("a full ring keeps the lent frame for the next try without counting it twice", () => {
    const share = createArenaShare();
    const arena = new FrameArena(share);
    const ring = createRing(64);
    const writer = new MessageWriter(ring, null, { arena });
    const reader = new MessageReader(ring, { lent: new LentFrames(share) });
    const body = arena.allocate(LEND_MAX_BYTES)!;
    const counts = new Int32Array(share.counts);
    const out: Message[] = [];
    let writes = 0;
    for (const message of [[Buffer.alloc(40)], [body]] as Message[]) {
      let done = writer.write(message);
      while (!done) {
        writes++;
        writer.publish();
        reader.read((received) => out.push(received) > 0);
        done = writer.resume();
      }
    }
    writer.publish();
    reader.read((received) => out.push(received) > 0);
    expect(writes).toBeGreaterThan(0);
    expect(out.map((message) => message[0]!.length)).toEqual([40, LEND_MAX_BYTES]);
    const block = body.byteOffset / (16 * 1024);
    expect(Atomics.load(counts, block)).toBe(2); // the Buffer and the one view
  });
});
