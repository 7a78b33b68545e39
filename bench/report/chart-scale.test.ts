// The charts' value axes: round ends and ticks, one axis per size shared across panels, and a group's
// own axis where the shared one would squash it.

import { describe, expect, test } from "bun:test";
import { MIN_FILL, axisFor, compact, niceScale, sharedAxes } from "./chart-scale.ts";

describe("niceScale and axisFor", () => {
  test("the axis ends at a round value at or above the largest, in at most six round steps", () => {
    expect(niceScale(1_330_000)).toEqual({ step: 250_000, end: 1_500_000 });
    expect(niceScale(27.9)).toEqual({ step: 5, end: 30 });
    expect(niceScale(100)).toEqual({ step: 20, end: 100 });
    for (const max of [0.003, 1, 7, 99, 101, 4385.7, 5.04e6, 9.1e9]) {
      const { step, end } = niceScale(max);
      expect(end).toBeGreaterThanOrEqual(max);
      expect(end / step).toBeLessThanOrEqual(6);
      expect(Math.round(end / step)).toBeGreaterThanOrEqual(1);
    }
  });

  test("ticks run from 0 to the end in whole steps, labelled by the formatter", () => {
    const axis = axisFor(0.27, (v) => v.toFixed(2));
    expect(axis.max).toBeCloseTo(0.3, 12);
    expect(axis.ticks.map((t) => t.label)).toEqual(["0.00", "0.05", "0.10", "0.15", "0.20", "0.25", "0.30"]);
    expect(axis.shared).toBe(true);
  });

  test("no values, or zero, still make a drawable axis", () => {
    expect(axisFor(0, String).max).toBe(1);
  });

  test("compact labels: three significant digits and k, M, G", () => {
    expect([0, 250, 2500, 1_500_000, 2.5e9].map(compact)).toEqual(["0", "250", "2.5 k", "1.5 M", "2.5 G"]);
  });
});

const group = (label: string, ...rows: number[][]) => ({
  label,
  rows: rows.map((values) => ({ bars: values.map((value) => ({ value })) })),
});

describe("sharedAxes", () => {
  test("groups of one size share one axis across panels; another size has its own", () => {
    const [tcp16, tcp64k, ipc16] = sharedAxes([group("16 B", [100], [80]), group("64 KiB", [3]), group("16 B", [60], [90])], 1, String);
    expect(tcp16).toEqual(ipc16!);
    expect(tcp16![0]!.max).toBe(100);
    expect(tcp64k![0]!.max).toBe(3);
  });

  test("each series (p50, p99) gets its own axis, so the tail cannot squash the median", () => {
    const [axes] = sharedAxes([group("64 B", [20, 4000], [27, 2700])], 2, String);
    expect(axes!.map((a) => a.max)).toEqual([30, 4000]);
  });

  test(`a group whose longest bar would fill less than ${MIN_FILL * 100} % of the shared axis gets its own`, () => {
    const [tcp, inproc, ipc] = sharedAxes([group("64 KiB", [10_000]), group("64 KiB", [1_800_000]), group("64 KiB", [400_000])], 1, String);
    expect(tcp![0]!.shared).toBe(false);
    expect(tcp![0]!.max).toBe(10_000);
    expect(inproc![0]!.shared).toBe(true);
    expect(ipc![0]).toEqual(inproc![0]!);
  });
});
