// BodyAssembly: a frame body that spans chunks grows with the bytes that arrived, never with the size
// its header claims (#14), and comes out whole and in order.

import { describe, expect, spyOn, test } from "bun:test";
import { BodyAssembly, MAX_STAGING_BYTES, MIN_STAGING_BYTES, MIN_VIEW_BYTES } from "./body-assembly.ts";

/** A small deterministic generator, so failures replay. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe("BodyAssembly", () => {
  test("a 16 MiB body dribbled one byte at a time never holds more than twice what arrived plus 8 KiB", () => {
    const size = 16 * 1024 * 1024;
    const assembly = new BodyAssembly();
    const byte = new Uint8Array(1);
    let worst = 0;
    for (let i = 0; i < 300_000; i++) {
      byte[0] = i & 0xff;
      assembly.add(byte.slice(), size - i);
      const allowed = 2 * assembly.received + MIN_STAGING_BYTES;
      worst = Math.max(worst, assembly.heldBytes / allowed);
    }
    expect(worst).toBeLessThanOrEqual(1);
    expect(assembly.received).toBe(300_000);
  });

  test("staging buffers stop growing at 64 KiB, however much has arrived", () => {
    const allocations = spyOn(Buffer, "allocUnsafe");
    try {
      const assembly = new BodyAssembly();
      const size = 4 * 1024 * 1024;
      const piece = new Uint8Array(100);
      for (let received = 0; received < size / 2; received += piece.length) assembly.add(piece, size - received);
      const sizes = allocations.mock.calls.map(([n]) => n as number);
      expect(Math.max(...sizes)).toBe(MAX_STAGING_BYTES);
      expect(sizes[0]).toBe(MIN_STAGING_BYTES);
    } finally {
      allocations.mockRestore();
    }
  });

  test("pieces of 4 KiB or more are kept as views (no copy until the join)", () => {
    const assembly = new BodyAssembly();
    const piece = new Uint8Array(MIN_VIEW_BYTES).fill(5);
    assembly.add(piece, 3 * MIN_VIEW_BYTES);
    piece[0] = 6; // the stream never does this; here it shows the view
    assembly.add(new Uint8Array(MIN_VIEW_BYTES), 2 * MIN_VIEW_BYTES);
    assembly.add(new Uint8Array(MIN_VIEW_BYTES), MIN_VIEW_BYTES);
    const body = assembly.join();
    expect(body.length).toBe(3 * MIN_VIEW_BYTES);
    expect(body[0]).toBe(6);
    expect(assembly.received).toBe(0);
  });

  test("a small body that fills its one staging buffer is handed out as it is, with one allocation", () => {
    const allocations = spyOn(Buffer, "allocUnsafe");
    try {
      const assembly = new BodyAssembly();
      const parts = [Uint8Array.of(1, 2, 3), Uint8Array.of(4, 5), Uint8Array.of(6)];
      let remaining = 6;
      for (const part of parts) {
        assembly.add(part, remaining);
        remaining -= part.length;
      }
      expect([...assembly.join()]).toEqual([1, 2, 3, 4, 5, 6]);
      expect(allocations.mock.calls).toEqual([[6]]);
    } finally {
      allocations.mockRestore();
    }
  });

  test("random pieces, small and large, come out whole and in order, within the memory bound", () => {
    const next = random(0x14);
    for (let round = 0; round < 40; round++) {
      const size = 1 + Math.floor(next() * 300_000);
      const body = Uint8Array.from({ length: size }, (_, i) => (i * 7 + round) & 0xff);
      const assembly = new BodyAssembly();
      for (let at = 0; at < size; ) {
        const length = Math.min(size - at, next() < 0.7 ? Math.floor(next() * 64) : Math.floor(next() * 20_000));
        assembly.add(body.subarray(at, at + length), size - at);
        at += length;
        expect(assembly.heldBytes).toBeLessThanOrEqual(2 * assembly.received + MIN_STAGING_BYTES);
      }
      expect(Buffer.compare(assembly.join(), body)).toBe(0);
    }
  });

  test("a body that arrived whole in one chunk (its header in the chunk before) is a view of it, not a copy", () => {
    const chunk = Buffer.alloc(100_000, 3);
    const assembly = new BodyAssembly();
    assembly.add(chunk.subarray(10, 70_010), 70_000);
    const body = assembly.join();
    expect(body.length).toBe(70_000);
    expect(body.buffer).toBe(chunk.buffer);
    expect(body.byteOffset).toBe(chunk.byteOffset + 10);
    expect(assembly.received).toBe(0);
  });

  test("clear() drops everything held", () => {
    const assembly = new BodyAssembly();
    assembly.add(new Uint8Array(10), 100);
    assembly.add(new Uint8Array(5000), 90);
    assembly.clear();
    expect(assembly.received).toBe(0);
    expect(assembly.heldBytes).toBe(0);
  });
});
