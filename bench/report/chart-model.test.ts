// The chart model: verdicts (better, worse, even within EVEN_WITHIN), and the axes chartOf gives a
// record's groups: one per size shared by every implementation and transport, and p50 apart from p99.

import { describe, expect, test } from "bun:test";
import { chartOf, EVEN_WITHIN, verdictOf } from "./chart-model.ts";

describe("verdictOf", () => {
  test(`within ±${EVEN_WITHIN * 100} % of the baseline (as printed, two decimals) is even`, () => {
    for (const ratio of [1, 0.95, 1.05, 0.951, 1.049, 0.9451, 1.0549]) expect(verdictOf(ratio, false)).toBe("even");
    for (const ratio of [1, 0.95, 1.05]) expect(verdictOf(ratio, true)).toBe("even");
  });

  test("beyond it, higher is better for throughput and lower is better for latency", () => {
    expect(verdictOf(1.06, false)).toBe("better");
    expect(verdictOf(0.94, false)).toBe("worse");
    expect(verdictOf(0.94, true)).toBe("better");
    expect(verdictOf(1.06, true)).toBe("worse");
    expect(verdictOf(0.5, true)).toBe("better");
  });
});

const stats = (p50: number, p99: number) => ({ p50, p99 });

/** A latency record as bench/scenarios/req-rep-latency.ts saves it, trimmed to what the chart reads. */
const LATENCY = {
  bench: "req-rep-latency",
  sizes: [
    {
      transport: "tcp",
      size: 64,
      rows: [
        { label: "bunzmq ↔ bunzmq", stats: stats(20_000, 400_000) },
        { label: "libzmq ↔ libzmq", stats: stats(25_000, 60_000) },
      ],
    },
    {
      transport: "ipc",
      size: 64,
      rows: [
        { label: "bunzmq ↔ bunzmq", stats: stats(15_500, 120_000) },
        { label: "libzmq ↔ libzmq", stats: stats(15_000, 90_000) },
      ],
    },
    { transport: "tcp", size: 4096, rows: [{ label: "libzmq ↔ libzmq", stats: stats(90_000, 120_000) }] },
  ],
};

describe("chartOf", () => {
  test("latency: p50 and p99 each on their own axis, one per size across transports and implementations", () => {
    const chart = chartOf(LATENCY);
    expect(chart.series).toEqual(["p50", "p99"]);
    const [tcp, ipc] = chart.panels;
    const [tcp64, tcp4k] = tcp!.groups;
    const [ipc64] = ipc!.groups;
    expect(tcp64!.axes).toHaveLength(2);
    expect(tcp64!.axes.map((a) => a.max)).toEqual([25_000, 400_000]);
    expect(ipc64!.axes).toEqual(tcp64!.axes);
    expect(tcp4k!.axes.map((a) => a.max)).toEqual([100_000, 120_000]);
    expect(tcp64!.axes[0]!.ticks.at(-1)!.label).toBe("25 µs");
  });

  test("latency: each bar judged against libzmq's bar of its series; the baseline itself is not judged", () => {
    const chart = chartOf(LATENCY);
    const [bunzmq, libzmq] = chart.panels[0]!.groups[0]!.rows;
    expect(bunzmq!.bars.map((b) => b.verdict)).toEqual(["better", "worse"]);
    expect(libzmq!.bars.map((b) => b.verdict)).toEqual([null, null]);
    const [ipcBunzmq] = chart.panels[1]!.groups[0]!.rows;
    expect(ipcBunzmq!.bars.map((b) => b.verdict)).toEqual(["even", "worse"]);
  });

  test("throughput: one bar per row; interop rows get a ratio but no verdict", () => {
    const chart = chartOf({
      bench: "push-pull",
      sizes: [
        {
          transport: "tcp",
          size: 16,
          rows: [
            { label: "bunzmq → bunzmq  trySend", family: "bunzmq", msgsPerSec: 1_040_000 },
            { label: "libzmq → libzmq  zmq_send", baseline: true, msgsPerSec: 1_000_000 },
            { label: "bunzmq → libzmq  trySend (interop)", interop: true, msgsPerSec: 2_000_000 },
          ],
        },
      ],
    });
    expect(chart.series).toEqual([]);
    const rows = chart.panels[0]!.groups[0]!.rows;
    expect(rows.map((r) => r.bars[0]!.verdict)).toEqual(["even", null, null]);
    expect(rows[2]!.bars[0]!.ratio).toBe(2);
    expect(chart.panels[0]!.groups[0]!.axes).toHaveLength(1);
    expect(chart.panels[0]!.groups[0]!.axes[0]!.max).toBe(2_000_000);
  });
});
