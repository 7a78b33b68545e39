// Pipe: the bounded FIFO of whole messages between a socket and an engine (libzmq ypipe + HWM/LWM).
// Pure and in-memory: every test drives one Pipe directly and counts its callbacks.

import { describe, expect, test } from "bun:test";
import type { Message } from "../core/message.ts";
import { Pipe } from "./pipe.ts";

/** A one-frame message whose body is `text`, so order can be read back. */
function msg(text: string): Message {
  return [new TextEncoder().encode(text)];
}

function text(message: Message | undefined): string {
  if (message === undefined) return "<none>";
  return message.map((frame) => new TextDecoder().decode(frame)).join("|");
}

/** A pipe whose onReadable/onWritable calls are counted. */
function counted(highWaterMark: number): { pipe: Pipe; readable: () => number; writable: () => number } {
  const pipe = new Pipe(highWaterMark);
  let readable = 0;
  let writable = 0;
  pipe.onReadable = () => void readable++;
  pipe.onWritable = () => void writable++;
  return { pipe, readable: () => readable, writable: () => writable };
}

/** Writes `count` messages named `${prefix}${i}` the way a well-behaved writer does (checking first). */
function fill(pipe: Pipe, count: number, prefix = "m"): void {
  for (let i = 0; i < count; i++) {
    expect(pipe.canWrite()).toBe(true);
    pipe.write(msg(`${prefix}${i}`));
  }
}

function drain(pipe: Pipe): string[] {
  const out: string[] = [];
  for (let m = pipe.read(); m !== undefined; m = pipe.read()) out.push(text(m));
  return out;
}

describe("Pipe high-water mark", () => {
  test("the high-water mark counts whole messages, not frames or bytes", () => {
    const pipe = new Pipe(2);
    const big: Message = [new Uint8Array(100_000), new Uint8Array(5), new Uint8Array(0)];
    expect(pipe.canWrite()).toBe(true);
    pipe.write(big);
    expect(pipe.canWrite()).toBe(true);
    pipe.write([new Uint8Array(1), new Uint8Array(1), new Uint8Array(1), new Uint8Array(1)]);
    expect(pipe.size).toBe(2);
    expect(pipe.full).toBe(true);
    expect(pipe.canWrite()).toBe(false);
  });

  test("a multipart message comes out whole, with every frame in order", () => {
    const pipe = new Pipe(4);
    const parts: Message = [new Uint8Array([1]), new Uint8Array(0), new Uint8Array([2, 3])];
    pipe.write(parts);
    const out = pipe.read();
    expect(out).toBe(parts);
    expect(out!.map((f) => Array.from(f))).toEqual([[1], [], [2, 3]]);
  });

  test("canWrite refuses exactly at the high-water mark and accepts again after a read", () => {
    const pipe = new Pipe(3);
    fill(pipe, 3);
    expect(pipe.canWrite()).toBe(false);
    expect(pipe.size).toBe(3);
    pipe.read();
    expect(pipe.full).toBe(false);
    expect(pipe.canWrite()).toBe(true);
  });

  test("a high-water mark of 0 means unlimited", () => {
    const pipe = new Pipe(0);
    expect(pipe.highWaterMark).toBe(0);
    expect(pipe.lowWaterMark).toBe(0);
    fill(pipe, 10_000);
    expect(pipe.full).toBe(false);
    expect(pipe.canWrite()).toBe(true);
    expect(pipe.size).toBe(10_000);
  });

  test("a negative high-water mark is treated as unlimited", () => {
    const pipe = new Pipe(-5);
    expect(pipe.highWaterMark).toBe(0);
    fill(pipe, 2000);
    expect(pipe.canWrite()).toBe(true);
  });

  test("a writer that skips the check may overshoot, and the pipe still reports full", () => {
    const pipe = new Pipe(2);
    for (let i = 0; i < 5; i++) pipe.write(msg(`x${i}`));
    expect(pipe.size).toBe(5);
    expect(pipe.full).toBe(true);
    expect(drain(pipe)).toEqual(["x0", "x1", "x2", "x3", "x4"]);
  });
});

describe("Pipe onWritable (low-water mark)", () => {
  test("the low-water mark is half the high-water mark (rounded up) for small marks", () => {
    expect(new Pipe(1).lowWaterMark).toBe(1);
    expect(new Pipe(4).lowWaterMark).toBe(2);
    expect(new Pipe(5).lowWaterMark).toBe(3);
    expect(new Pipe(1000).lowWaterMark).toBe(500);
    expect(new Pipe(2048).lowWaterMark).toBe(1024);
  });

  test("the low-water mark is the high-water mark minus 1024 for large marks", () => {
    expect(new Pipe(2049).lowWaterMark).toBe(1025);
    expect(new Pipe(3000).lowWaterMark).toBe(1976);
  });

  test("a refused canWrite arms onWritable, which fires once when reads bring the size down to the low-water mark", () => {
    const { pipe, writable } = counted(4);
    fill(pipe, 4);
    expect(pipe.canWrite()).toBe(false);
    pipe.read(); // size 3
    expect(writable()).toBe(0);
    pipe.read(); // size 2 = lowWaterMark
    expect(writable()).toBe(1);
    pipe.read();
    pipe.read();
    expect(pipe.size).toBe(0);
    expect(writable()).toBe(1);
  });

  test("onWritable fires at exactly hwm - 1024 for a large high-water mark", () => {
    const { pipe, writable } = counted(3000);
    fill(pipe, 3000);
    expect(pipe.canWrite()).toBe(false);
    let reads = 0;
    while (writable() === 0 && pipe.read() !== undefined) reads++;
    expect(writable()).toBe(1);
    expect(pipe.size).toBe(1976);
    expect(reads).toBe(1024);
  });

  test("reads never fire onWritable when no writer was refused", () => {
    const { pipe, writable } = counted(4);
    fill(pipe, 4);
    expect(pipe.full).toBe(true); // looking at `full` does not arm anything
    drain(pipe);
    expect(writable()).toBe(0);
  });

  test("several refusals before the reader catches up still produce one onWritable", () => {
    const { pipe, writable } = counted(2);
    fill(pipe, 2);
    expect(pipe.canWrite()).toBe(false);
    expect(pipe.canWrite()).toBe(false);
    expect(pipe.canWrite()).toBe(false);
    drain(pipe);
    expect(writable()).toBe(1);
  });

  test("onWritable is re-armed by the next refusal after it fired", () => {
    const { pipe, writable } = counted(2);
    fill(pipe, 2);
    expect(pipe.canWrite()).toBe(false);
    pipe.read(); // size 1 = lowWaterMark
    expect(writable()).toBe(1);
    fill(pipe, 1, "again");
    expect(pipe.canWrite()).toBe(false);
    pipe.read();
    expect(writable()).toBe(2);
  });

  test("the writer may write again from inside onWritable", () => {
    const pipe = new Pipe(2);
    let wrote = 0;
    // Refills until refused (which re-arms onWritable), with a budget so the test ends.
    pipe.onWritable = () => {
      while (wrote < 3 && pipe.canWrite()) pipe.write(msg(`late${wrote++}`));
    };
    fill(pipe, 2);
    expect(pipe.canWrite()).toBe(false);
    expect(text(pipe.read())).toBe("m0");
    expect(wrote).toBe(1);
    expect(pipe.size).toBe(2);
    expect(drain(pipe)).toEqual(["m1", "late0", "late1", "late2"]);
  });
});

describe("Pipe onReadable", () => {
  test("onReadable fires when the pipe turns from empty to non-empty, not on later writes", () => {
    const { pipe, readable } = counted(10);
    pipe.write(msg("a"));
    expect(readable()).toBe(1);
    pipe.write(msg("b"));
    pipe.write(msg("c"));
    expect(readable()).toBe(1);
  });

  test("onReadable fires again after the reader emptied the pipe", () => {
    const { pipe, readable } = counted(10);
    pipe.write(msg("a"));
    pipe.read();
    pipe.write(msg("b"));
    expect(readable()).toBe(2);
    pipe.write(msg("c"));
    pipe.read();
    pipe.write(msg("d"));
    expect(readable()).toBe(2);
  });

  test("the reader may drain the pipe from inside onReadable", () => {
    const pipe = new Pipe(10);
    const seen: string[] = [];
    pipe.onReadable = () => {
      for (let m = pipe.read(); m !== undefined; m = pipe.read()) seen.push(text(m));
    };
    pipe.write(msg("a"));
    pipe.write(msg("b"));
    expect(seen).toEqual(["a", "b"]);
    expect(pipe.size).toBe(0);
  });

  test("end() fires onReadable once, and queued messages stay readable", () => {
    const { pipe, readable } = counted(10);
    fill(pipe, 2);
    expect(readable()).toBe(1);
    pipe.end();
    expect(pipe.ended).toBe(true);
    expect(readable()).toBe(2);
    pipe.end();
    expect(readable()).toBe(2);
    expect(drain(pipe)).toEqual(["m0", "m1"]);
  });

  test("end() on an empty pipe fires onReadable so the reader can notice the writer left", () => {
    const { pipe, readable } = counted(10);
    pipe.end();
    expect(readable()).toBe(1);
    expect(pipe.read()).toBeUndefined();
  });

  test("canWrite is false once the pipe has ended, even with room", () => {
    const pipe = new Pipe(10);
    pipe.end();
    expect(pipe.full).toBe(false);
    expect(pipe.canWrite()).toBe(false);
    expect(new Pipe(0).canWrite()).toBe(true);
    const unlimited = new Pipe(0);
    unlimited.end();
    expect(unlimited.canWrite()).toBe(false);
  });
});

describe("Pipe ring buffer", () => {
  test("an unlimited pipe keeps FIFO order while growing far past its initial capacity", () => {
    const pipe = new Pipe(0);
    fill(pipe, 5000);
    const out = drain(pipe);
    expect(out.length).toBe(5000);
    expect(out.every((m, i) => m === `m${i}`)).toBe(true);
  });

  test("growth while the ring has wrapped around keeps FIFO order", () => {
    const pipe = new Pipe(0);
    const expected: string[] = [];
    let next = 0;
    const put = (n: number) => {
      for (let i = 0; i < n; i++) {
        pipe.write(msg(`w${next}`));
        expected.push(`w${next++}`);
      }
    };
    const got: string[] = [];
    const take = (n: number) => {
      for (let i = 0; i < n; i++) got.push(text(pipe.read()));
    };
    // Move the head forward so the next writes wrap past the end of the 16-slot ring, then grow
    // it several times with the head in the middle.
    put(12);
    take(10);
    put(14); // 16 queued, wrapped
    put(1); // grows with head at 10
    take(3);
    put(100); // grows again
    take(50);
    put(300);
    for (let m = pipe.read(); m !== undefined; m = pipe.read()) got.push(text(m));
    expect(got).toEqual(expected);
  });

  test("a bounded pipe whose writer overshoots grows beyond its initial capacity and keeps order", () => {
    const pipe = new Pipe(20); // initial capacity 32
    for (let i = 0; i < 7; i++) pipe.write(msg(`a${i}`));
    for (let i = 0; i < 5; i++) pipe.read();
    for (let i = 0; i < 60; i++) pipe.write(msg(`b${i}`));
    expect(pipe.size).toBe(62);
    expect(drain(pipe)).toEqual(["a5", "a6", ...Array.from({ length: 60 }, (_, i) => `b${i}`)]);
  });

  test("peek returns the head without removing it", () => {
    const pipe = new Pipe(4);
    expect(pipe.peek()).toBeUndefined();
    pipe.write(msg("first"));
    pipe.write(msg("second"));
    expect(text(pipe.peek())).toBe("first");
    expect(pipe.size).toBe(2);
    expect(text(pipe.read())).toBe("first");
    expect(text(pipe.peek())).toBe("second");
  });

  test("read on an empty pipe returns undefined", () => {
    expect(new Pipe(1).read()).toBeUndefined();
  });
});

describe("Pipe clear()", () => {
  test("clear() discards everything queued and returns how many messages there were", () => {
    const pipe = new Pipe(10);
    fill(pipe, 7);
    expect(pipe.clear()).toBe(7);
    expect(pipe.size).toBe(0);
    expect(pipe.read()).toBeUndefined();
    expect(pipe.clear()).toBe(0);
  });

  test("clear() wakes a refused writer once", () => {
    const { pipe, writable } = counted(3);
    fill(pipe, 3);
    expect(pipe.canWrite()).toBe(false);
    expect(pipe.clear()).toBe(3);
    expect(writable()).toBe(1);
    expect(pipe.canWrite()).toBe(true);
    pipe.clear();
    expect(writable()).toBe(1);
  });

  test("clear() does not fire onWritable when no writer was refused", () => {
    const { pipe, writable } = counted(3);
    fill(pipe, 3);
    pipe.clear();
    expect(writable()).toBe(0);
  });

  test("a cleared pipe works normally afterwards, including onReadable on the next write", () => {
    const { pipe, readable } = counted(4);
    fill(pipe, 3);
    pipe.read();
    pipe.clear();
    fill(pipe, 4, "n");
    expect(readable()).toBe(2);
    expect(drain(pipe)).toEqual(["n0", "n1", "n2", "n3"]);
  });
});

describe("Pipe conflate", () => {
  test("a conflating pipe keeps only the newest whole message and never refuses a writer", () => {
    const pipe = new Pipe(1, true);
    const readable: number[] = [];
    pipe.onReadable = () => readable.push(pipe.size);
    for (let i = 0; i < 5; i++) {
      expect(pipe.canWrite()).toBe(true);
      pipe.write([new Uint8Array([i]), new Uint8Array([i, i])]);
    }
    expect(pipe.size).toBe(1);
    expect(readable).toEqual([1]);
    expect(pipe.read()!.map((f) => [...f])).toEqual([[4], [4, 4]]);
    expect(pipe.read()).toBeUndefined();
  });
});
