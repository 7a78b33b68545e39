// The shared deadline timer: entries expire in deadline order, cancelled ones never, and the heap
// stays whole through any mix of arms and cancels.

import { expect, test } from "bun:test";
import { armDeadline, armedDeadlines, cancelDeadline, type DeadlineEntry } from "./deadlines.ts";

interface Named extends DeadlineEntry {
  name: string;
}

/** Entries that record the order they expire in; `waitFor(n)` resolves once n of them have. */
function recorder() {
  const expired: string[] = [];
  let target = Infinity;
  let done: () => void = () => {};
  const entry = (name: string): Named => ({
    name,
    dueAt: 0,
    heapIndex: -1,
    expire() {
      expired.push(name);
      if (expired.length >= target) done();
    },
  });
  const waitFor = (count: number) =>
    new Promise<void>((resolve) => {
      target = count;
      done = resolve;
      if (expired.length >= count) resolve();
    });
  return { expired, entry, waitFor };
}

test("entries expire in deadline order, whatever order they were armed in", async () => {
  const { expired, entry, waitFor } = recorder();
  armDeadline(entry("late"), 30);
  armDeadline(entry("early"), 2);
  armDeadline(entry("middle"), 15);
  await waitFor(3);
  expect(expired).toEqual(["early", "middle", "late"]);
  expect(armedDeadlines()).toBe(0);
});

test("a cancelled entry never expires, and cancelling twice or unarmed does nothing", async () => {
  const { expired, entry, waitFor } = recorder();
  const cancelled = entry("cancelled");
  armDeadline(entry("first"), 5);
  armDeadline(cancelled, 10);
  armDeadline(entry("last"), 20);
  cancelDeadline(cancelled);
  cancelDeadline(cancelled);
  cancelDeadline(entry("never armed"));
  await waitFor(2);
  // "last" expires after "cancelled" would have: had it stayed, it would be in the list.
  expect(expired).toEqual(["first", "last"]);
  expect(cancelled.heapIndex).toBe(-1);
});

test("an entry due before the one the timer is set for expires first", async () => {
  const { expired, entry, waitFor } = recorder();
  armDeadline(entry("long"), 40);
  armDeadline(entry("short"), 1);
  await waitFor(2);
  expect(expired).toEqual(["short", "long"]);
});

test("random arms and cancels: every kept entry expires once, in deadline order", async () => {
  let seed = 7;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const { expired, entry, waitFor } = recorder();
  const armed: Named[] = [];
  const due = new Map<string, number>();
  for (let i = 0; i < 600; i++) {
    if (armed.length > 0 && random(3) === 0) {
      cancelDeadline(armed.splice(random(armed.length), 1)[0]!);
      continue;
    }
    const one = entry(`e${i}`);
    armDeadline(one, 1 + random(25));
    due.set(one.name, one.dueAt);
    armed.push(one);
  }
  expect(armedDeadlines()).toBe(armed.length);
  await waitFor(armed.length);
  expect(expired.toSorted()).toEqual(armed.map((one) => one.name).toSorted());
  const times = expired.map((name) => due.get(name)!);
  for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
  expect(armedDeadlines()).toBe(0);
});
