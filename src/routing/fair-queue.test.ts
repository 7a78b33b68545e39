// FairQueue (libzmq fq): takes whole messages from inbound pipes in turn, one per pipe per turn.
// Driven with real in-memory Pipes; no sockets.

import { describe, expect, test } from "bun:test";
import type { Message } from "../core/message.ts";
import { Pipe } from "../pipe/pipe.ts";
import { FairQueue } from "./fair-queue.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function msg(text: string): Message {
  return [encoder.encode(text)];
}

/** A pipe pre-loaded with messages `${name}0`, `${name}1`, ... */
function loaded(name: string, count: number): Pipe {
  const pipe = new Pipe(0);
  for (let i = 0; i < count; i++) pipe.write(msg(`${name}${i}`));
  return pipe;
}

function queue(...pipes: Pipe[]): FairQueue {
  const fq = new FairQueue();
  for (const pipe of pipes) fq.attach(pipe);
  return fq;
}

/** Receives up to `max` messages (stopping at the first undefined) as text. */
function take(fq: FairQueue, max = Infinity): string[] {
  const out: string[] = [];
  while (out.length < max) {
    const m = fq.receive();
    if (m === undefined) break;
    out.push(m.map((f) => decoder.decode(f)).join("|"));
  }
  return out;
}

describe("FairQueue rotation", () => {
  test("rotates to the next pipe after every message", () => {
    const fq = queue(loaded("a", 3), loaded("b", 3), loaded("c", 3));
    expect(take(fq)).toEqual(["a0", "b0", "c0", "a1", "b1", "c1", "a2", "b2", "c2"]);
  });

  test("skips empty pipes without losing its place", () => {
    const fq = queue(loaded("a", 3), loaded("b", 0), loaded("c", 2));
    expect(take(fq)).toEqual(["a0", "c0", "a1", "c1", "a2"]);
  });

  test("one busy pipe cannot starve a quiet one", () => {
    const busy = loaded("busy", 1000);
    const quiet = loaded("quiet", 2);
    const fq = queue(busy, quiet);
    expect(take(fq, 4)).toEqual(["busy0", "quiet0", "busy1", "quiet1"]);
  });

  test("a multipart message comes out whole and counts as one turn", () => {
    const a = new Pipe(0);
    a.write([encoder.encode("a"), encoder.encode(""), encoder.encode("z")]);
    a.write(msg("a-next"));
    const fq = queue(a, loaded("b", 1));
    expect(take(fq)).toEqual(["a||z", "b0", "a-next"]);
  });

  test("receive returns undefined when every pipe is empty, and resumes when one fills", () => {
    const [a, b] = [new Pipe(0), new Pipe(0)];
    const fq = queue(a, b);
    expect(fq.receive()).toBeUndefined();
    expect(fq.readable).toBe(false);
    b.write(msg("late"));
    expect(fq.readable).toBe(true);
    expect(take(fq)).toEqual(["late"]);
  });

  test("a message that arrives on a pipe already passed in this turn waits for its next turn", () => {
    const [a, b, c] = [loaded("a", 1), loaded("b", 2), new Pipe(0)];
    const fq = queue(a, b, c);
    expect(take(fq, 1)).toEqual(["a0"]);
    a.write(msg("a1"));
    expect(take(fq)).toEqual(["b0", "a1", "b1"]);
  });

  test("receive on a queue with no pipes returns undefined", () => {
    const fq = new FairQueue();
    expect(fq.receive()).toBeUndefined();
    expect(fq.readable).toBe(false);
  });
});

describe("FairQueue and ended pipes", () => {
  test("an ended pipe is drained first, then dropped", () => {
    const a = loaded("a", 2);
    const b = loaded("b", 3);
    a.end();
    const fq = queue(a, b);
    expect(fq.size).toBe(2);
    expect(take(fq)).toEqual(["a0", "b0", "a1", "b1", "b2"]);
    expect(fq.size).toBe(1);
  });

  test("an ended pipe stays attached while it still holds messages", () => {
    const a = loaded("a", 2);
    a.end();
    const fq = queue(a, loaded("b", 5));
    expect(take(fq, 2)).toEqual(["a0", "b0"]);
    expect(fq.size).toBe(2);
  });

  test("an empty ended pipe is dropped at the next receive and the others are still served", () => {
    const a = new Pipe(0);
    const b = loaded("b", 1);
    const c = loaded("c", 1);
    b.end();
    b.read(); // now empty and ended
    const fq = queue(a, b, c);
    expect(take(fq)).toEqual(["c0"]);
    expect(fq.size).toBe(2);
  });

  test("several ended pipes in a row are all dropped in one receive", () => {
    const pipes = [new Pipe(0), new Pipe(0), new Pipe(0)];
    for (const pipe of pipes) pipe.end();
    const fq = queue(...pipes, loaded("live", 1));
    expect(take(fq)).toEqual(["live0"]);
    expect(fq.size).toBe(1);
    expect(fq.receive()).toBeUndefined();
    expect(fq.size).toBe(1);
  });

  test("dropping an ended pipe keeps the rotation fair among the rest", () => {
    const a = loaded("a", 3);
    const b = loaded("b", 1);
    const c = loaded("c", 3);
    b.end();
    const fq = queue(a, b, c);
    expect(take(fq)).toEqual(["a0", "b0", "c0", "a1", "c1", "a2", "c2"]);
    expect(fq.size).toBe(2);
  });
});

describe("FairQueue attach and detach", () => {
  test("detaching the pipe that would be next moves the turn to the one after it", () => {
    const [a, b, c] = [loaded("a", 3), loaded("b", 3), loaded("c", 3)];
    const fq = queue(a, b, c);
    expect(take(fq, 1)).toEqual(["a0"]); // next is b
    fq.detach(b);
    expect(take(fq)).toEqual(["c0", "a1", "c1", "a2", "c2"]);
  });

  test("detaching a pipe before the next one keeps the turn on the same next pipe", () => {
    const [a, b, c] = [loaded("a", 3), loaded("b", 3), loaded("c", 3)];
    const fq = queue(a, b, c);
    expect(take(fq, 2)).toEqual(["a0", "b0"]); // next is c
    fq.detach(a);
    expect(take(fq)).toEqual(["c0", "b1", "c1", "b2", "c2"]);
  });

  test("detaching the last pipe while it is next wraps the turn to the first", () => {
    const [a, b, c] = [loaded("a", 2), loaded("b", 2), loaded("c", 2)];
    const fq = queue(a, b, c);
    expect(take(fq, 2)).toEqual(["a0", "b0"]);
    fq.detach(c);
    expect(take(fq)).toEqual(["a1", "b1"]);
  });

  test("detaching an unknown pipe is a no-op and a detached pipe is never read again", () => {
    const [a, b] = [loaded("a", 2), loaded("b", 2)];
    const fq = queue(a, b);
    fq.detach(new Pipe(0));
    expect(fq.size).toBe(2);
    fq.detach(a);
    expect(take(fq)).toEqual(["b0", "b1"]);
    expect(a.size).toBe(2);
  });

  test("a pipe attached during rotation joins after the existing ones", () => {
    const [a, b] = [loaded("a", 2), loaded("b", 2)];
    const fq = queue(a, b);
    expect(take(fq, 1)).toEqual(["a0"]);
    fq.attach(loaded("c", 2));
    expect(take(fq)).toEqual(["b0", "c0", "a1", "b1", "c1"]);
  });
});

describe("FairQueue.lastPipe", () => {
  test("names the pipe the last received message came from", () => {
    const a = loaded("a", 1);
    const b = loaded("b", 1);
    const fq = queue(a, b);
    expect(fq.lastPipe).toBeNull();
    fq.receive();
    expect(fq.lastPipe).toBe(a);
    fq.receive();
    expect(fq.lastPipe).toBe(b);
  });
});

describe("FairQueue visits only pipes that may hold a message", () => {
  /** A pipe that counts its reads. */
  function counted(reads: { n: number }): Pipe {
    const pipe = new Pipe(0);
    const read = pipe.read.bind(pipe);
    pipe.read = () => {
      reads.n++;
      return read();
    };
    return pipe;
  }

  test("with 1,000 idle pipes and one busy one, a receive reads the busy one, not all of them", () => {
    const reads = { n: 0 };
    const idle = Array.from({ length: 1000 }, () => counted(reads));
    const busy = counted(reads);
    const fq = queue(...idle, busy);
    expect(take(fq)).toEqual([]); // one pass finds every pipe empty
    reads.n = 0;
    for (let round = 0; round < 100; round++) {
      busy.write(msg(`m${round}`));
      expect(take(fq)).toEqual([`m${round}`]);
    }
    // Each round: the busy pipe's message, then the look that finds it empty again.
    expect(reads.n).toBe(200);
  });

  test("a pipe found empty is read again once a message arrives in it", () => {
    const a = new Pipe(0);
    const b = new Pipe(0);
    const fq = queue(a, b);
    expect(take(fq)).toEqual([]);
    b.write(msg("b0"));
    a.write(msg("a0"));
    b.write(msg("b1"));
    expect(take(fq).sort()).toEqual(["a0", "b0", "b1"]);
    expect(fq.readable).toBe(false);
  });

  test("the socket hears of a message after its pipe is active again", () => {
    const pipe = new Pipe(0);
    const fq = new FairQueue();
    const seen: string[] = [];
    pipe.onReadable = () => seen.push(take(fq).join(","));
    fq.attach(pipe);
    expect(take(fq)).toEqual([]);
    pipe.write(msg("x"));
    expect(seen).toEqual(["x"]);
  });

  test("an ended pipe that went idle is drained and dropped", () => {
    const a = new Pipe(0);
    const fq = queue(a);
    expect(take(fq)).toEqual([]);
    a.write(msg("last"));
    a.end();
    expect(take(fq)).toEqual(["last"]);
    expect(fq.size).toBe(0);
  });
});
