// The line chart's axis arithmetic and drawing (line-chart-model.ts, line-chart-svg.ts): ticks a
// person reads at a glance, and every line, limit and mark of a chart present in its SVG.

import { describe, expect, test } from "bun:test";
import { axisOf, type LineChart } from "./line-chart-model.ts";
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
