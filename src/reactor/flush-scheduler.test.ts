// The adaptive per-turn flush: one eager flush per event-loop turn, the rest coalesced.

import { expect, test } from "bun:test";
import { scheduleFlush } from "./flush-scheduler.ts";

function counter() {
  const target = { flushes: 0, flush() { target.flushes++; } };
  return target;
}

test("the first flush of a turn runs as a microtask, before the turn ends", async () => {
  await new Promise((resolve) => setImmediate(resolve)); // start from a fresh turn
  const a = counter();
  scheduleFlush(a);
  expect(a.flushes).toBe(0);
  await Promise.resolve();
  expect(a.flushes).toBe(1);
});

test("later requests in the same turn are coalesced into one flush per target at the turn's end", async () => {
  await new Promise((resolve) => setImmediate(resolve));
  const eager = counter();
  const burst = counter();
  scheduleFlush(eager);
  for (let i = 0; i < 100; i++) scheduleFlush(burst);
  await Promise.resolve();
  expect(eager.flushes).toBe(1);
  expect(burst.flushes).toBe(0);
  await new Promise((resolve) => setImmediate(resolve));
  expect(burst.flushes).toBe(1);
});
