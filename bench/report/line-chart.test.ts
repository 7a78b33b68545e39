// The line chart's axis arithmetic and drawing (line-chart-model.ts, line-chart-svg.ts): ticks a
// person reads at a glance, and every line, limit and mark of a chart present in its SVG.

import { describe, expect, test } from "bun:test";
import { axisFraction, axisOf, type LineChart, logAxisOf, tickLabel } from "./line-chart-model.ts";
import { renderLineSvg } from "./line-chart-svg.ts";

describe("axisOf", () => {
  test("widens to whole steps of 1, 2, 2.5 or 5 times a power of ten", () => {
    expect(axisOf([3, 87])).toEqual({ min: 0, max: 100, ticks: [0, 20, 40, 60, 80, 100] });
    expect(axisOf([0.12, 0.31]).ticks).toEqual([0.1, 0.15, 0.2, 0.25, 0.3, 0.35]);
    expect(axisOf([62.5, 89.7]).ticks).toEqual([60, 65, 70, 75, 80, 85, 90]);
  });

  test("a tight axis ends at the values, with only the ticks inside them", () => {
    expect(axisOf([0.03, 30.2], { fromZero: true, tight: true })).toEqual({ min: 0, max: 30.2, ticks: [0, 10, 20, 30] });
    expect(axisOf([0.1, 1800.05], { fromZero: true, tight: true }).ticks).toEqual([0, 500, 1000, 1500]);
  });

  test("counts get whole-number ticks, and a flat series still gets a span", () => {
    expect(axisOf([50, 52], { minStep: 1 }).ticks).toEqual([50, 51, 52]);
    const flat = axisOf([50, 50]);
    expect(flat.min).toBeLessThan(50);
    expect(flat.max).toBeGreaterThan(50);
  });
});

describe("renderLineSvg", () => {
  const chart: LineChart = {
    title: "A & B <over time>",
    subtitle: "sub",
    xTitle: "seconds",
    xFromZero: true,
    notes: ["one note"],
    marks: [{ x: 5, label: "half way" }],
    panels: [
      {
        title: "Memory",
        unit: "MB",
        fromZero: false,
        integers: false,
        lines: [
          { label: "RSS", points: [0, 5, 10].map((x) => ({ x, y: 60 + x })) },
          { label: "heap", points: [0, 5, 10].map((x) => ({ x, y: 20 })) },
        ],
        limits: [{ y: 75, fromX: 2.5, label: "limit" }],
      },
      {
        title: "Descriptors",
        unit: "count",
        fromZero: false,
        integers: true,
        lines: [{ label: "fds", points: [{ x: 0, y: 50 }] }],
        limits: [],
      },
    ],
  };

  test("draws every line, limit and mark, with the texts escaped", () => {
    const svg = renderLineSvg(chart);
    expect(svg).toStartWith('<?xml version="1.0" encoding="UTF-8"?>');
    expect(svg).toContain("A &amp; B &lt;over time&gt;");
    expect(svg.match(/<polyline /g)).toHaveLength(3);
    expect(svg.match(/stroke-dasharray="6,4"/g)).toHaveLength(2); // the limit and its legend
    for (const text of ["Memory (MB)", "Descriptors (count)", "half way", "limit", "RSS", "heap", "fds", "one note", "seconds"]) {
      expect(svg).toContain(`>${text}</text>`);
    }
  });
});

describe("log axes", () => {
  test("a log axis runs between powers of ten, a tick at each, labelled with k and M", () => {
    const axis = logAxisOf([1, 10_000]);
    expect(axis).toEqual({ min: 1, max: 10_000, ticks: [1, 10, 100, 1000, 10_000], log: true });
    expect(logAxisOf([3, 700]).ticks).toEqual([1, 10, 100, 1000]);
    expect(logAxisOf([1, 16 * 2 ** 20]).ticks).toHaveLength(9);
    expect(logAxisOf([1, 3e10]).ticks).toEqual([1, 100, 10_000, 1e6, 1e8, 1e10, 1e12]);
    expect([1000, 1e6, 2.5e9, 0.5].map((v) => tickLabel(v, true))).toEqual(["1k", "1M", "2.5G", "0.5"]);
    expect(axisFraction(axis, 100)).toBeCloseTo(0.5, 9);
  });

  test("a chart with log axes places decades evenly and leaves out points a log axis cannot place", () => {
    const svg = renderLineSvg({
      title: "cost",
      subtitle: "",
      xTitle: "connections",
      xFromZero: false,
      xLog: true,
      notes: [],
      marks: [],
      panels: [
        {
          title: "rate",
          unit: "msgs/s",
          fromZero: false,
          integers: false,
          yLog: true,
          lines: [{ label: "bunzmq", points: [1, 10, 100].map((x) => ({ x, y: 1e6 / x })).concat({ x: 1000, y: 0 }) }],
          limits: [],
        },
      ],
    });
    const xs = [...svg.matchAll(/<circle cx="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(xs).toHaveLength(3);
    expect(Math.abs(xs[1]! - xs[0]! - (xs[2]! - xs[1]!))).toBeLessThan(0.2);
    for (const label of ["1k", "10k", "1M"]) expect(svg).toContain(`>${label}</text>`);
  });
});
