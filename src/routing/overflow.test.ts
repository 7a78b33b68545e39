// Overflow queues (the `swap` option's hook) on a pipe and in front of load-balancing: past the
// high-water mark writes go to the overflow, order is kept, and messages come back as pipes drain.

import { expect, test } from "bun:test";
import type { Message } from "../core/message.ts";
import type { Overflow } from "../pipe/overflow.ts";
import { Pipe } from "../pipe/pipe.ts";
import { LoadBalance } from "./load-balance.ts";

/** An in-memory Overflow with a room limit, counting what passes through it. */
class MemoryOverflow implements Overflow {
  readonly items: Message[] = [];
  readonly journals = false;
  onAvailable = (): void => {};
  pushed = 0;
  constructor(readonly room = Number.POSITIVE_INFINITY) {}
  get size(): number {
    return this.items.length;
  }
  hasRoom(): boolean {
    return this.items.length < this.room;
  }
  push(message: Message): void {
    this.pushed++;
    this.items.push(message);
  }
  shift(): Message | undefined {
    return this.items.shift();
  }
  clear(): number {
    return this.items.splice(0).length;
  }
  close(): void {
    this.clear();
  }
}

const m = (n: number): Message => [new Uint8Array([n & 0xff, n >> 8])];
const n = (message: Message | undefined): number => message![0]![0]! | (message![0]![1]! << 8);

test("past the high-water mark a pipe spills, keeps order, and reloads at its low-water mark", () => {
  const pipe = new Pipe(10);
  const overflow = new MemoryOverflow();
  pipe.setOverflow(overflow);
  for (let i = 0; i < 100; i++) {
    expect(pipe.canWrite()).toBe(true);
    pipe.write(m(i));
  }
  expect(overflow.pushed).toBe(90);
  expect(pipe.size).toBe(100);
  // Nothing comes back until the ring is down to the low-water mark (5 for a mark of 10).
  for (let i = 0; i < 4; i++) expect(n(pipe.read())).toBe(i);
  expect(overflow.size).toBe(90);
  expect(n(pipe.read())).toBe(4);
  expect(overflow.size).toBe(85);
  for (let i = 5; i < 100; i++) expect(n(pipe.read())).toBe(i);
  expect(pipe.read()).toBeUndefined();
});

test("a pipe whose overflow is out of room is full again and wakes its writer once room returns", () => {
  const pipe = new Pipe(2);
  pipe.setOverflow(new MemoryOverflow(3));
  let woken = 0;
  pipe.onWritable = () => woken++;
  for (let i = 0; i < 5; i++) pipe.write(m(i));
  expect(pipe.full).toBe(true);
  expect(pipe.canWrite()).toBe(false);
  pipe.read();
  expect(woken).toBe(1);
  expect(pipe.canWrite()).toBe(true);
});

test("clear() drops the overflow too", () => {
  const pipe = new Pipe(1);
  pipe.setOverflow(new MemoryOverflow());
  for (let i = 0; i < 5; i++) pipe.write(m(i));
  expect(pipe.clear()).toBe(5);
  expect(pipe.size).toBe(0);
});

test("load-balance spills before routing: with no pipe a message waits in the overflow, then goes to the first ready pipe", () => {
  const balance = new LoadBalance();
  const overflow = new MemoryOverflow();
  balance.setOverflow(overflow);
  for (let i = 0; i < 30; i++) expect(balance.send(m(i))).toBe(true);
  expect(overflow.size).toBe(30);
  const a = new Pipe(10);
  balance.attach(a);
  expect(a.size).toBe(10);
  // A second peer takes the rest as it attaches; a new message then needs no overflow.
  const b = new Pipe(100);
  balance.attach(b);
  expect(overflow.size).toBe(0);
  expect(balance.send(m(30))).toBe(true);
  const got: number[] = [];
  for (let x = b.read(); x !== undefined; x = b.read()) got.push(n(x));
  for (let x = a.read(); x !== undefined; x = a.read()) got.push(n(x));
  expect(got.sort((p, q) => p - q)).toEqual(Array.from({ length: 31 }, (_, i) => i));
  expect(got.length).toBe(31);
});

test("onPlaced names each message's pipe in send order, also when it leaves the overflow later", () => {
  const balance = new LoadBalance();
  balance.setOverflow(new MemoryOverflow());
  const placed: string[] = [];
  const a = new Pipe(1);
  balance.onPlaced = (pipe) => placed.push(pipe === a ? "a" : "b");
  for (let i = 0; i < 3; i++) balance.send(m(i));
  expect(placed).toEqual([]);
  balance.attach(a);
  expect(placed).toEqual(["a"]);
  balance.attach(new Pipe(10));
  expect(placed).toEqual(["a", "b", "b"]);
});
