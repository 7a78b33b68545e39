// LoadBalance (libzmq lb): round-robin of whole messages over outbound pipes that have room.
// Driven with real in-memory Pipes; no sockets.

import { describe, expect, test } from "bun:test";
import type { Message } from "../core/message.ts";
import { Pipe } from "../pipe/pipe.ts";
import { LoadBalance } from "./load-balance.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function msg(text: string): Message {
  return [encoder.encode(text)];
}

/** Everything queued in `pipe`, oldest first, as text. */
function drain(pipe: Pipe): string[] {
  const out: string[] = [];
  for (let m = pipe.read(); m !== undefined; m = pipe.read()) out.push(m.map((f) => decoder.decode(f)).join("|"));
  return out;
}

function balancer(...pipes: Pipe[]): LoadBalance {
  const lb = new LoadBalance();
  for (const pipe of pipes) lb.attach(pipe);
  return lb;
}

/** Sends `names` in order and expects each to be accepted. */
function sendAll(lb: LoadBalance, names: string[]): void {
  for (const name of names) expect(lb.send(msg(name))).toBe(true);
}

describe("LoadBalance round-robin", () => {
  test("messages go to three pipes in turn, in attach order", () => {
    const [a, b, c] = [new Pipe(100), new Pipe(100), new Pipe(100)];
    const lb = balancer(a, b, c);
    sendAll(lb, ["0", "1", "2", "3", "4", "5", "6"]);
    expect(drain(a)).toEqual(["0", "3", "6"]);
    expect(drain(b)).toEqual(["1", "4"]);
    expect(drain(c)).toEqual(["2", "5"]);
  });

  test("a multipart message goes whole to one pipe and counts as one turn", () => {
    const [a, b] = [new Pipe(100), new Pipe(100)];
    const lb = balancer(a, b);
    expect(lb.send([encoder.encode("x1"), encoder.encode("x2"), encoder.encode("x3")])).toBe(true);
    expect(lb.send(msg("y"))).toBe(true);
    expect(drain(a)).toEqual(["x1|x2|x3"]);
    expect(drain(b)).toEqual(["y"]);
  });

  test("a full pipe is skipped and the rotation continues over the others", () => {
    const [a, b, c] = [new Pipe(100), new Pipe(1), new Pipe(100)];
    const lb = balancer(a, b, c);
    sendAll(lb, ["0", "1", "2", "3", "4", "5", "6"]);
    expect(drain(a)).toEqual(["0", "3", "5"]);
    expect(drain(b)).toEqual(["1"]);
    expect(drain(c)).toEqual(["2", "4", "6"]);
  });

  test("send returns false when every pipe is full, and queues nothing", () => {
    const [a, b, c] = [new Pipe(1), new Pipe(1), new Pipe(1)];
    const lb = balancer(a, b, c);
    sendAll(lb, ["0", "1", "2"]);
    expect(lb.writable).toBe(false);
    expect(lb.send(msg("refused"))).toBe(false);
    expect([a.size, b.size, c.size]).toEqual([1, 1, 1]);
  });

  test("send returns false when no pipe is attached", () => {
    const lb = new LoadBalance();
    expect(lb.writable).toBe(false);
    expect(lb.send(msg("nowhere"))).toBe(false);
  });

  test("a refused send arms every full pipe, so room on any of them fires its onWritable", () => {
    const [a, b] = [new Pipe(1), new Pipe(1)];
    let wokenA = 0;
    let wokenB = 0;
    a.onWritable = () => void wokenA++;
    b.onWritable = () => void wokenB++;
    const lb = balancer(a, b);
    sendAll(lb, ["0", "1"]);
    expect(lb.send(msg("2"))).toBe(false);
    b.read();
    expect(wokenB).toBe(1);
    a.read();
    expect(wokenA).toBe(1);
  });

  test("a pipe that regains room rejoins the rotation", () => {
    const [a, b] = [new Pipe(1), new Pipe(10)];
    const lb = balancer(a, b);
    sendAll(lb, ["0", "1", "2"]); // a: 0 (full); b: 1, 2
    expect(drain(a)).toEqual(["0"]);
    sendAll(lb, ["3", "4"]);
    expect(drain(a)).toEqual(["3"]);
    expect(drain(b)).toEqual(["1", "2", "4"]);
  });

  test("an ended pipe is skipped even though it has room", () => {
    const [a, b] = [new Pipe(10), new Pipe(10)];
    const lb = balancer(a, b);
    a.end();
    sendAll(lb, ["0", "1"]);
    expect(a.size).toBe(0);
    expect(drain(b)).toEqual(["0", "1"]);
  });

  test("pipes with a high-water mark of 0 never fill", () => {
    const [a, b] = [new Pipe(0), new Pipe(0)];
    const lb = balancer(a, b);
    for (let i = 0; i < 5000; i++) expect(lb.send(msg(String(i)))).toBe(true);
    expect([a.size, b.size]).toEqual([2500, 2500]);
  });

  test("writable is true while any pipe has room and does not arm onWritable", () => {
    const [a, b] = [new Pipe(1), new Pipe(1)];
    let woken = 0;
    a.onWritable = () => void woken++;
    const lb = balancer(a, b);
    expect(lb.writable).toBe(true);
    sendAll(lb, ["0"]);
    expect(lb.writable).toBe(true);
    sendAll(lb, ["1"]);
    expect(lb.writable).toBe(false);
    a.read();
    expect(woken).toBe(0);
    expect(lb.writable).toBe(true);
  });
});

describe("LoadBalance attach and detach", () => {
  test("detaching the pipe that would be next moves the turn to the one after it", () => {
    const [a, b, c] = [new Pipe(100), new Pipe(100), new Pipe(100)];
    const lb = balancer(a, b, c);
    sendAll(lb, ["0"]); // a; next is b
    lb.detach(b);
    expect(lb.size).toBe(2);
    sendAll(lb, ["1", "2", "3"]);
    expect(drain(a)).toEqual(["0", "2"]);
    expect(drain(c)).toEqual(["1", "3"]);
    expect(b.size).toBe(0);
  });

  test("detaching a pipe before the next one keeps the turn on the same next pipe", () => {
    const [a, b, c] = [new Pipe(100), new Pipe(100), new Pipe(100)];
    const lb = balancer(a, b, c);
    sendAll(lb, ["0", "1"]); // a, b; next is c
    lb.detach(a);
    sendAll(lb, ["2", "3", "4"]);
    expect(drain(c)).toEqual(["2", "4"]);
    expect(drain(b)).toEqual(["1", "3"]);
  });

  test("detaching the last pipe while it is next wraps the turn to the first", () => {
    const [a, b, c] = [new Pipe(100), new Pipe(100), new Pipe(100)];
    const lb = balancer(a, b, c);
    sendAll(lb, ["0", "1"]); // next is c
    lb.detach(c);
    sendAll(lb, ["2", "3"]);
    expect(drain(a)).toEqual(["0", "2"]);
    expect(drain(b)).toEqual(["1", "3"]);
  });

  test("detaching a pipe the balancer does not know is a no-op", () => {
    const [a, b] = [new Pipe(100), new Pipe(100)];
    const lb = balancer(a, b);
    sendAll(lb, ["0"]);
    lb.detach(new Pipe(1));
    expect(lb.size).toBe(2);
    sendAll(lb, ["1"]);
    expect(drain(b)).toEqual(["1"]);
  });

  test("detaching every pipe leaves a balancer that refuses, and a new pipe is used at once", () => {
    const [a, b] = [new Pipe(100), new Pipe(100)];
    const lb = balancer(a, b);
    sendAll(lb, ["0"]);
    lb.detach(a);
    lb.detach(b);
    expect(lb.size).toBe(0);
    expect(lb.send(msg("x"))).toBe(false);
    const c = new Pipe(100);
    lb.attach(c);
    sendAll(lb, ["1"]);
    expect(drain(c)).toEqual(["1"]);
  });

  test("a pipe attached during rotation takes its turn after the existing ones", () => {
    const [a, b] = [new Pipe(100), new Pipe(100)];
    const lb = balancer(a, b);
    sendAll(lb, ["0"]); // next is b
    const c = new Pipe(100);
    lb.attach(c);
    sendAll(lb, ["1", "2", "3"]);
    expect(drain(a)).toEqual(["0", "3"]);
    expect(drain(b)).toEqual(["1"]);
    expect(drain(c)).toEqual(["2"]);
  });
});

describe("LoadBalance.onPlaced", () => {
  test("names the pipe each message went to, skipping full ones, and refuses when all are full", () => {
    const a = new Pipe(1);
    const b = new Pipe(1);
    const lb = balancer(a, b);
    const placed: Pipe[] = [];
    lb.onPlaced = (pipe) => placed.push(pipe);
    expect(lb.send(msg("0"))).toBe(true);
    expect(lb.send(msg("1"))).toBe(true);
    expect(lb.send(msg("2"))).toBe(false);
    a.read();
    expect(lb.send(msg("3"))).toBe(true);
    expect(placed).toEqual([a, b, a]);
  });
});
