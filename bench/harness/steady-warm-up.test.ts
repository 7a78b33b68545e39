import { describe, expect, test } from "bun:test";
import { warmUntilSteady } from "./steady-warm-up.ts";

/** A batch that returns the given costs in turn (the last one forever). */
function costs(...figures: Array<number | null>): { batch: () => Promise<number | null>; calls: () => number } {
  let calls = 0;
  return {
    batch: async () => figures[Math.min(calls++, figures.length - 1)]!,
    calls: () => calls,
  };
}

const noTime = { leastMs: 0, mostMs: 60_000 };

describe("warmUntilSteady", () => {
  test("a falling cost warms on until two batches running stop improving on the cheapest by 10 %", async () => {
    const row = costs(3000, 600, 430, 440, 400, 250, 240, 245);
    const result = await warmUntilSteady(row.batch, { ...noTime, leastBatches: 1 });
    // 440 and 400 are within 10 % of 430, so that plateau would have ended it after batch 5 …
    expect(result).toMatchObject({ batches: 5, steady: true });
    expect(row.calls()).toBe(5);
  });

  test("the least number of batches carries it past a plateau to the next step", async () => {
    const row = costs(3000, 600, 430, 440, 400, 250, 240, 245);
    // … while with at least six batches the drop to 250 restarts the count: two more after it.
    const result = await warmUntilSteady(row.batch, { ...noTime, leastBatches: 6 });
    expect(result).toMatchObject({ batches: 8, steady: true });
  });

  test("a step down in cost restarts the count of settled batches", async () => {
    const row = costs(500, 480, 300, 290, 295);
    const result = await warmUntilSteady(row.batch, { ...noTime, leastBatches: 1 });
    expect(result.batches).toBe(5);
  });

  test("a row without a cost figure warms for the least batches and time only", async () => {
    const row = costs(null);
    expect(await warmUntilSteady(row.batch, { ...noTime, leastBatches: 4 })).toMatchObject({ batches: 4, steady: true });
  });

  test("the time limit ends a warm-up whose cost is still falling, and says so", async () => {
    let cost = 1e9;
    const result = await warmUntilSteady(
      async () => {
        await Bun.sleep(1);
        return (cost *= 0.5);
      },
      { leastMs: 0, leastBatches: 1, mostMs: 20 },
    );
    expect(result.steady).toBe(false);
    expect(result.ms).toBeGreaterThanOrEqual(20);
  });

  test("the least time is kept even when the cost settles at once", async () => {
    const result = await warmUntilSteady(
      async () => {
        await Bun.sleep(1);
        return 100;
      },
      { leastMs: 15, leastBatches: 1, mostMs: 60_000 },
    );
    expect(result).toMatchObject({ steady: true });
    expect(result.ms).toBeGreaterThanOrEqual(15);
  });
});
