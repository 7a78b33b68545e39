// The ready list on one thread: ids queued during a loop turn are published once at its end with
// one ring of the owner's doorbell; the consumer pumps each named source once, its mark cleared
// first, drops ids it does not know, and pumps every source when the producer overflowed. Across
// threads it runs under every I/O thread test (test/io/).

import { afterEach, describe, expect, test } from "bun:test";
import { AtomicsDoorbell } from "./doorbell.ts";
import { ReadyReceiver, ReadySender, type ReadySource, createReadyList } from "./ready-list.ts";
import { ThreadLoop } from "./thread-loop.ts";

const loops: ThreadLoop[] = [];
afterEach(() => {
  for (const loop of loops.splice(0)) loop.close();
});

/** A source that logs its mark clearing and its pumps into `log`. */
function source(name: string, log: string[]): ReadySource {
  return { clearQueued: () => log.push(`clear ${name}`), pump: () => log.push(`pump ${name}`) };
}

function setUp(slots?: number) {
  const list = createReadyList(slots);
  const loop = new ThreadLoop(new AtomicsDoorbell());
  loops.push(loop);
  let rings = 0;
  const sender = new ReadySender(list, { ring: () => rings++ }, loop);
  const receiver = new ReadyReceiver(list);
  return { sender, receiver, rings: () => rings };
}

/** Resolves after the microtasks queued so far, the loop's end-of-turn flush among them. */
const turnEnded = () => new Promise<void>((resolve) => queueMicrotask(resolve));

describe("ReadyList", () => {
  test("ids queued in a turn are published at its end with one ring; each is pumped once, its mark cleared first", async () => {
    const { sender, receiver, rings } = setUp();
    const log: string[] = [];
    receiver.add(1, source("a", log));
    receiver.add(2, source("b", log));
    expect(log).toEqual(["clear a", "clear b"]);
    log.length = 0;
    sender.queue(2);
    sender.queue(1);
    expect(receiver.hasWork()).toBe(false);
    await turnEnded();
    expect(rings()).toBe(1);
    expect(receiver.hasWork()).toBe(true);
    receiver.pump();
    expect(log).toEqual(["clear b", "pump b", "clear a", "pump a"]);
    expect(receiver.hasWork()).toBe(false);
    receiver.pump();
    expect(log.length).toBe(4);
  });

  test("ids of sources never added or deleted since are dropped", async () => {
    const { sender, receiver } = setUp();
    const log: string[] = [];
    receiver.add(1, source("a", log));
    receiver.add(2, source("b", log));
    receiver.delete(2);
    log.length = 0;
    for (const id of [3, 2, 1]) sender.queue(id);
    await turnEnded();
    receiver.pump();
    expect(log).toEqual(["clear a", "pump a"]);
  });

  test("a producer that finds the list full raises overflow, and the consumer pumps every source once", async () => {
    const { sender, receiver } = setUp(4);
    const log: string[] = [];
    for (let id = 1; id <= 6; id++) receiver.add(id, source(String(id), log));
    log.length = 0;
    for (let id = 1; id <= 6; id++) sender.queue(id);
    await turnEnded();
    expect(receiver.hasWork()).toBe(true);
    receiver.pump();
    const pumped = log.filter((line) => line.startsWith("pump")).map((line) => line.slice(5));
    // The four queued ids, then the sweep over every source.
    expect(pumped).toEqual(["1", "2", "3", "4", "1", "2", "3", "4", "5", "6"]);
    expect(receiver.hasWork()).toBe(false);
    // The list is usable again.
    sender.queue(5);
    await turnEnded();
    log.length = 0;
    receiver.pump();
    expect(log).toEqual(["clear 5", "pump 5"]);
  });
});
