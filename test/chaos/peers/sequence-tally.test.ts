// The tally that judges every numbered stream of the chaos checks.

import { expect, test } from "bun:test";
import { SequenceTally } from "./sequence-tally.ts";

function tallyOf(...numbers: number[]): SequenceTally {
  const tally = new SequenceTally();
  for (const n of numbers) tally.record(n);
  return tally;
}

test("a whole stream in order is complete, with nothing missing, doubled or reordered", () => {
  const tally = tallyOf(...Array.from({ length: 5000 }, (_, i) => i));
  expect(tally.complete(5000)).toBe(true);
  expect(tally.summary(5000)).toEqual({ received: 5000, duplicates: 0, outOfOrder: 0, missing: 0, gaps: [], highest: 4999 });
});

test("gaps are counted and named as ranges, up to the expected count", () => {
  const summary = tallyOf(0, 1, 4, 5, 6, 9).summary(12);
  expect(summary.missing).toBe(6);
  expect(summary.gaps).toEqual(["2-3", "7-8", "10-11"]);
  expect(summary.outOfOrder).toBe(0);
});

test("without an expected count, only numbers below the highest received are missing", () => {
  expect(tallyOf(0, 2).summary()).toMatchObject({ missing: 1, gaps: ["1"], highest: 2 });
});

test("a number received twice is a duplicate, one below an earlier one is out of order", () => {
  const tally = new SequenceTally();
  expect([0, 2, 1, 2, 3].map((n) => tally.record(n))).toEqual([true, true, false, false, true]);
  expect(tally.summary()).toMatchObject({ received: 4, duplicates: 1, outOfOrder: 1, missing: 0 });
});

test("refuses what is not a sequence number", () => {
  expect(() => new SequenceTally().record(-1)).toThrow("not a sequence number");
  expect(() => new SequenceTally().record(Number.NaN)).toThrow("not a sequence number");
});
