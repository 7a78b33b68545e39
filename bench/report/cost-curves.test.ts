// The cost curves' tables and charts (bench/report/cost-curves.ts): each point with bunzmq ÷ libzmq
// and its fraction of the raw limit, and a chart with log x axis, the three lines and the limit.

import { describe, expect, test } from "bun:test";
import { bytesLabel, type CostCurve, curveChart, curveTables, figure, seriesTable } from "./cost-curves.ts";
import { renderLineSvg } from "./line-chart-svg.ts";

const sizes: CostCurve = {
  name: "message-size",
  title: "Message size",
  xTitle: "message size (bytes)",
  xBytes: true,
  notes: ["a note"],
  series: [
    {
      title: "Throughput",
      unit: "msgs/s",
      higherIsBetter: true,
      yLog: true,
      bunzmq: [
        { x: 16, y: 2_000_000 },
        { x: 16 * 2 ** 20, y: 20 },
      ],
      libzmq: [
        { x: 16, y: 1_000_000 },
        { x: 16 * 2 ** 20, y: 40 },
      ],
      raw: [
        { x: 16, y: 40_000_000 },
        { x: 16 * 2 ** 20, y: 50 },
      ],
    },
  ],
};

const connections: CostCurve = {
  name: "connections",
  title: "Connections",
  xTitle: "connections",
  xBytes: false,
  notes: [],
  series: [
    {
      title: "Memory per connection",
      unit: "KiB",
      higherIsBetter: false,
      yLog: false,
      bunzmq: [{ x: 10_000, y: 20 }],
      libzmq: [{ x: 10_000, y: 25 }],
      rawLimit: undefined,
    },
    {
      title: "Echo rate",
      unit: "msgs/s",
      higherIsBetter: true,
      yLog: false,
      bunzmq: [{ x: 1, y: 100_000 }],
      libzmq: [],
      rawLimit: { y: 1_000_000, label: "one-way raw rate at 16 B" },
    },
  ],
};

describe("cost curve tables", () => {
  test("each point shows both implementations, their ratio and their fractions of the raw limit", () => {
    const table = seriesTable(sizes, sizes.series[0]!);
    expect(table).toContain("Message size: Throughput (msgs/s; higher is better)");
    const rows = table.split("\n");
    expect(rows[2]!.split(/\s{2,}/)).toEqual(["16 B", "2,000,000", "1,000,000", "2.00×", "40,000,000", "5.0 %", "2.5 %"]);
    expect(rows[3]!.split(/\s{2,}/)).toEqual(["16 MiB", "20", "40", "0.50×", "50", "40 %", "80 %"]);
  });

  test("a series without a raw limit has no raw columns; a missing figure prints a dash; one limit serves every x", () => {
    const tables = curveTables(connections);
    expect(tables).toContain("(KiB; lower is better)");
    expect(tables.split("\n")[2]!.split(/\s{2,}/)).toEqual(["10,000", "20", "25", "0.80×"]);
    expect(tables).toContain("raw limit: one-way raw rate at 16 B");
    expect(
      tables
        .split("\n")
        .find((r) => r.startsWith("1 "))!
        .split(/\s{2,}/),
    ).toEqual(["1", "100,000", "–", "–", "1,000,000", "10 %", "–"]);
  });

  test("figures and sizes read at a glance", () => {
    expect([0.01234, 56.78, 1234.5, Number.NaN].map(figure)).toEqual(["0.0123", "56.8", "1,235", "–"]);
    expect([1, 4096, 16 * 2 ** 20, 1000].map(bytesLabel)).toEqual(["1 B", "4 KiB", "16 MiB", "1000 B"]);
  });
});

describe("cost curve charts", () => {
  test("a chart has a log x axis, a panel per series, and the raw limit as a line or a dashed limit", () => {
    const chart = curveChart(connections, "subtitle");
    expect(chart.xLog).toBe(true);
    expect(chart.panels.map((p) => p.title)).toEqual(["Memory per connection", "Echo rate"]);
    expect(chart.panels[1]!.limits).toEqual([{ y: 1_000_000, label: "raw limit" }]);
    const svg = renderLineSvg(curveChart(sizes, "subtitle"));
    for (const label of ["bunzmq", "libzmq 4.3.4", "raw limit (Bun, no ZeroMQ)", "message size (bytes) (log scale)", "10M"]) {
      expect(svg).toContain(`>${label}</text>`);
    }
    expect(svg.match(/<polyline /g)).toHaveLength(3);
  });
});
