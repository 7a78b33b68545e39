// The SVG drawing of a chart: an even ratio in the neutral colour, never red or green; latency in two
// columns (p50, p99) with an axis each; a group on its own axis says so.

import { expect, test } from "bun:test";
import { chartOf } from "./chart-model.ts";
import { renderSvg } from "./chart-svg.ts";

const RED = "#c62828";
const GREEN = "#1a7f37";

const throughput = (bunzmq: number, inproc = 0) => ({
  bench: "push-pull",
  sizes: [
    {
      transport: "tcp",
      size: 16,
      rows: [
        { label: "bunzmq → bunzmq  trySend", family: "bunzmq", msgsPerSec: bunzmq },
        { label: "libzmq → libzmq  zmq_send", baseline: true, msgsPerSec: 1_000_000 },
      ],
    },
    ...(inproc > 0
      ? [{ transport: "inproc", size: 16, rows: [{ label: "libzmq → libzmq  zmq_send", baseline: true, msgsPerSec: inproc }] }]
      : []),
  ],
});

/** The colour of the ratio text `ratio` in the SVG. */
function ratioColour(svg: string, ratio: string): string | undefined {
  return new RegExp(`<tspan dx="6" fill="(#[0-9a-f]{3,6})" font-weight="bold">${ratio.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`).exec(
    svg,
  )?.[1];
}

test("an even result (1.03×) is drawn neutral, a loss beyond 5 % red, a win beyond it green", () => {
  expect(ratioColour(renderSvg(chartOf(throughput(1_030_000))), "1.03× libzmq (even)")).toBe("#666");
  expect(ratioColour(renderSvg(chartOf(throughput(940_000))), "0.94× libzmq")).toBe(RED);
  expect(ratioColour(renderSvg(chartOf(throughput(1_060_000))), "1.06× libzmq")).toBe(GREEN);
});

test("latency is drawn in a p50 and a p99 column, each with its ticks", () => {
  const svg = renderSvg(
    chartOf({
      bench: "req-rep-latency",
      sizes: [{ transport: "tcp", size: 64, rows: [{ label: "libzmq ↔ libzmq", stats: { p50: 25_000, p99: 400_000 } }] }],
    }),
  );
  expect(svg).toContain(">p50</text>");
  expect(svg).toContain(">p99</text>");
  expect(svg).toContain(">25 µs</text>");
  expect(svg).toContain(">400 µs</text>");
});

test("a group squashed by another transport's figures at its size is drawn on its own axis, marked", () => {
  expect(renderSvg(chartOf(throughput(1_100_000, 50_000_000)))).toContain(">own axis</text>");
  expect(renderSvg(chartOf(throughput(1_100_000, 2_000_000)))).not.toContain("own axis</text>");
});
