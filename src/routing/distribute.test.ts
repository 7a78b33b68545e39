// Distribute (libzmq dist): one message to many outbound pipes, with drop / wait / force at the
// high-water mark, and the mark that has a fanned-out message framed once. Driven with real
// in-memory pipes from createPipePair; no sockets.

import { describe, expect, test } from "bun:test";
import type { Message } from "../core/message.ts";
import { createPipePair } from "../pipe/pipe-end.ts";
import type { Pipe } from "../pipe/pipe.ts";
import { Distribute } from "./distribute.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const msg = (...frames: string[]): Message => frames.map((f) => encoder.encode(f));

/** The socket's outbound pipe of a fresh connection with the given send high-water mark. */
function outbound(hwm: number): Pipe {
  return createPipePair(hwm, 100, { routingId: new Uint8Array(0), address: "test" }).socketEnd.outbound;
}

function drain(pipe: Pipe): string[] {
  const out: string[] = [];
  for (let m = pipe.read(); m !== undefined; m = pipe.read()) out.push(m.map((f) => decoder.decode(f)).join("|"));
  return out;
}

function distributor(...pipes: Pipe[]): Distribute {
  const dist = new Distribute();
  for (const pipe of pipes) dist.attach(pipe);
  return dist;
}

describe("Distribute", () => {
  test("sendToAll queues the whole multipart message on every pipe", () => {
    const [a, b] = [outbound(10), outbound(10)];
    expect(distributor(a, b).sendToAll(msg("t", "body"), "drop")).toBe(true);
    expect(drain(a)).toEqual(["t|body"]);
    expect(drain(b)).toEqual(["t|body"]);
  });

  test("sendTo reaches only the given targets", () => {
    const [a, b] = [outbound(10), outbound(10)];
    distributor(a, b).sendTo(msg("x"), [b], "drop");
    expect(drain(a)).toEqual([]);
    expect(drain(b)).toEqual(["x"]);
  });

  test("drop: a full pipe misses the message while the others get it", () => {
    const [full, free] = [outbound(1), outbound(10)];
    const dist = distributor(full, free);
    dist.sendToAll(msg("1"), "drop");
    expect(dist.sendToAll(msg("2"), "drop")).toBe(true);
    expect(drain(full)).toEqual(["1"]);
    expect(drain(free)).toEqual(["1", "2"]);
  });

  test("wait: nothing is sent while any target is full, and the full pipe wakes the sender when drained", () => {
    const [full, free] = [outbound(1), outbound(10)];
    const dist = distributor(full, free);
    dist.sendToAll(msg("1"), "wait");
    let woken = 0;
    full.onWritable = () => woken++;
    expect(dist.sendToAll(msg("2"), "wait")).toBe(false);
    expect(dist.allHaveRoom).toBe(false);
    expect(drain(free)).toEqual(["1"]);
    expect(drain(full)).toEqual(["1"]);
    expect(woken).toBe(1);
    expect(dist.sendToAll(msg("2"), "wait")).toBe(true);
    expect(drain(full)).toEqual(["2"]);
  });

  test("wait: a full pipe that is not a target does not block the send", () => {
    const [full, free] = [outbound(1), outbound(10)];
    const dist = distributor(full, free);
    dist.sendTo(msg("1"), [full], "wait");
    expect(dist.sendTo(msg("2"), [free], "wait")).toBe(true);
    expect(drain(free)).toEqual(["2"]);
  });

  test("force: writes past the high-water mark", () => {
    const pipe = outbound(1);
    const dist = distributor(pipe);
    dist.sendToAll(msg("1"), "force");
    dist.sendToAll(msg("2"), "force");
    expect(drain(pipe)).toEqual(["1", "2"]);
  });

  test("ended pipes are skipped and never block a wait", () => {
    const [ended, live] = [outbound(1), outbound(10)];
    ended.write(msg("old"));
    ended.end();
    const dist = distributor(ended, live);
    expect(dist.sendToAll(msg("new"), "wait")).toBe(true);
    expect(drain(ended)).toEqual(["old"]);
    expect(drain(live)).toEqual(["new"]);
  });

  test("a detached pipe receives nothing more", () => {
    const [a, b] = [outbound(10), outbound(10)];
    const dist = distributor(a, b);
    dist.detach(a);
    dist.sendToAll(msg("x"), "drop");
    expect(drain(a)).toEqual([]);
    expect(dist.size).toBe(1);
  });
});

describe("Distribute marks a message to be framed once", () => {
  /** `engines` pipes whose reader takes a shared encoding, then `others` that do not. */
  function sharing(engines: number, others = 0, hwm = 10): { dist: Distribute; pipes: Pipe[] } {
    const pipes = [...Array(engines + others)].map((_, i) => {
      const pipe = outbound(hwm);
      pipe.takesWire = i < engines;
      return pipe;
    });
    const dist = new Distribute(true);
    for (const pipe of pipes) dist.attach(pipe);
    return { dist, pipes };
  }

  test("a data message that reaches four or more engines that take it", () => {
    const message = msg("topic", "body");
    sharing(4).dist.sendToAll(message, "drop");
    expect(message.wire).toBeNull();
  });

  test("not with fewer engines, nor when any target (inproc, CURVE, an I/O thread) frames its own", () => {
    for (const [engines, others] of [
      [3, 0],
      [4, 1],
      [0, 5],
    ] as const) {
      const message = msg("x");
      sharing(engines, others).dist.sendToAll(message, "drop");
      expect(message.wire).toBeUndefined();
    }
  });

  test("only the pipes it is written to count: a full pipe that drops it does not", () => {
    const { dist, pipes } = sharing(4, 0, 1);
    pipes[0]!.write(msg("fills it"));
    const message = msg("x");
    dist.sendToAll(message, "drop");
    expect(message.wire).toBeUndefined();
    expect(drain(pipes[1]!)).toEqual(["x"]);
  });

  test("not a subscription or another command, nor a socket that does not share (XSUB, RADIO, DISH)", () => {
    const subscription = msg("\u0001topic");
    subscription.isSubscription = true;
    sharing(4).dist.sendToAll(subscription, "force");
    expect(subscription.wire).toBeUndefined();
    const plain = distributor(...sharing(4).pipes);
    const message = msg("x");
    plain.sendToAll(message, "drop");
    expect(message.wire).toBeUndefined();
  });

  test("a send that waits for room is not marked until it goes out", () => {
    const { dist, pipes } = sharing(4, 0, 1);
    pipes[2]!.write(msg("fills it"));
    const message = msg("x");
    expect(dist.sendToAll(message, "wait")).toBe(false);
    expect(message.wire).toBeUndefined();
    drain(pipes[2]!);
    expect(dist.sendToAll(message, "wait")).toBe(true);
    expect(message.wire).toBeNull();
  });
});
