// The adaptive per-turn flush: one eager flush per event-loop turn, the rest coalesced, no eager
// flush while bursts go on, and inbound data starting a new turn.

import { expect, test } from "bun:test";
import { inboundArrived, scheduleFlush } from "./flush-scheduler.ts";

/** A flush target that reports `moves` messages per flush. */
function counter(moves = 1) {
  const target = {
    flushes: 0,
    flush() {
      target.flushes++;
      return moves;
    },
  };
  return target;
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** Ends any burst left by earlier tests: a turn whose coalesced flush moves at most one message. */
async function quietTurn(): Promise<void> {
  await nextTurn();
  scheduleFlush(counter(0));
  scheduleFlush(counter(0));
  await nextTurn();
}

test("the first flush of a turn runs as a microtask, before the turn ends", async () => {
  await quietTurn();
  const a = counter();
  scheduleFlush(a);
  expect(a.flushes).toBe(0);
  await Promise.resolve();
  expect(a.flushes).toBe(1);
});

test("later requests in the same turn are coalesced into one flush per target at the turn's end", async () => {
  await quietTurn();
  const eager = counter();
  const burst = counter();
  scheduleFlush(eager);
  for (let i = 0; i < 100; i++) scheduleFlush(burst);
  await Promise.resolve();
  expect(eager.flushes).toBe(1);
  expect(burst.flushes).toBe(0);
  await nextTurn();
  expect(burst.flushes).toBe(1);
});

test("after a turn whose coalesced flushes moved many messages, the next turn has no eager flush", async () => {
  await quietTurn();
  scheduleFlush(counter());
  scheduleFlush(counter(500)); // coalesced, and a burst
  await nextTurn();
  const lone = counter(1);
  scheduleFlush(lone);
  await Promise.resolve();
  expect(lone.flushes).toBe(0); // waits for the check phase of its own turn
  await nextTurn();
  expect(lone.flushes).toBe(1);
  // That turn moved a single message: the burst is over and eager flushes are back.
  const next = counter();
  scheduleFlush(next);
  await Promise.resolve();
  expect(next.flushes).toBe(1);
});

test("inbound data starts a new turn: the answer to it is flushed at once, with no check phase", async () => {
  await quietTurn();
  const request = counter();
  scheduleFlush(request);
  await Promise.resolve();
  expect(request.flushes).toBe(1);
  inboundArrived();
  const reply = counter();
  scheduleFlush(reply);
  await Promise.resolve();
  expect(reply.flushes).toBe(1);
});

test("while coalesced flushes wait for the check phase, inbound data does not reopen the eager flush", async () => {
  await quietTurn();
  scheduleFlush(counter());
  const waiting = counter();
  scheduleFlush(waiting); // coalesced: the turn's end is now scheduled
  inboundArrived();
  const next = counter();
  scheduleFlush(next);
  await Promise.resolve();
  expect(next.flushes).toBe(0);
  await nextTurn();
  expect(waiting.flushes).toBe(1);
  expect(next.flushes).toBe(1);
});

test("without inbound data, a turn that had only its eager flush leaves the next request to its own check phase", async () => {
  await quietTurn();
  scheduleFlush(counter());
  await nextTurn();
  const later = counter();
  scheduleFlush(later);
  await Promise.resolve();
  expect(later.flushes).toBe(0);
  await nextTurn();
  expect(later.flushes).toBe(1);
});
