// The cost curves of bench/scenarios/cost-curves/ (how cost grows with work: connections,
// subscriptions, message size) as text tables and line charts. A curve is a sweep of one x
// (connections, subscriptions, bytes) with several measured series; each series has a bunzmq and a
// libzmq line from the same run and, where one exists, the raw limit: Bun moving the same bytes
// with no ZeroMQ logic (a line per x, or one figure for the whole sweep). Tables print each point
// with bunzmq ÷ libzmq and each implementation's fraction of the raw limit; the chart draws one
// panel per series on a log x axis (bench/report/line-chart-svg.ts). No I/O.

import type { Limit, Line, LineChart, Point } from "./line-chart-model.ts";

export interface CurveSeries {
  title: string;
  unit: string;
  /** Whether a larger figure is better (a rate) or worse (a time, memory); the tables say which. */
  higherIsBetter: boolean;
  /** Draw the y axis in decades (the figures span several). */
  yLog: boolean;
  bunzmq: Point[];
  libzmq: Point[];
  /** The raw limit at each x, when it depends on x (message size). */
  raw?: Point[];
  /** The raw limit as one figure for the whole sweep (e.g. the raw rate at 16 B). */
  rawLimit?: { y: number; label: string };
}

export interface CostCurve {
  /** Short name, for file names and the record. */
  name: string;
  title: string;
  /** What one point is, e.g. "connections" or "message size". */
  xTitle: string;
  /** How x is written in tables ("10,000", "16 MiB"). */
  xBytes: boolean;
  series: CurveSeries[];
  notes: string[];
}

/** A measured point of a sweep, by implementation. */
export interface ImplPoint {
  impl: "bunzmq" | "libzmq";
}

/** Makes series of `points` over the x that `x` reads: each series a bunzmq and a libzmq line. */
export function seriesMaker<P extends ImplPoint>(points: P[], x: (point: P) => number) {
  const line = (impl: ImplPoint["impl"], value: (point: P) => number): Point[] =>
    points.filter((p) => p.impl === impl).map((p) => ({ x: x(p), y: value(p) }));
  return (title: string, unit: string, higherIsBetter: boolean, yLog: boolean, value: (point: P) => number): CurveSeries => ({
    title,
    unit,
    higherIsBetter,
    yLog,
    bunzmq: line("bunzmq", value),
    libzmq: line("libzmq", value),
  });
}

/** `series` with the raw limit's one-way 16 B rate on one connection beside it, when it was measured. */
export function withRawRate(series: CurveSeries, raw16: number | undefined): CurveSeries {
  return raw16 === undefined
    ? series
    : { ...series, rawLimit: { y: raw16, label: "Bun's one-way 16 B rate on one connection, no ZeroMQ" } };
}

/** `1 KiB`, `16 MiB`, or `7 B`: the sizes of a geometric sweep. */
export function bytesLabel(bytes: number): string {
  if (bytes >= 2 ** 20 && bytes % 2 ** 20 === 0) return `${bytes / 2 ** 20} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} B`;
}

/** A figure with three significant digits and thousands separators (`1,234`, `56.7`, `0.0123`). */
export function figure(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return "–";
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString("en-US");
  return String(Number(value.toPrecision(3)));
}

const at = (points: Point[] | undefined, x: number) => points?.find((p) => p.x === x)?.y;

function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return "–";
  return `${(a / b).toFixed(2)}×`;
}

function fraction(a: number | undefined, limit: number | undefined): string {
  if (a === undefined || limit === undefined || !Number.isFinite(a) || !(limit > 0)) return "–";
  const percent = (a / limit) * 100;
  return `${percent.toFixed(percent >= 10 ? 0 : percent >= 1 ? 1 : 2)} %`;
}

/** Every x any line of the series has, in order. */
function xsOf(series: CurveSeries): number[] {
  return [...new Set([...series.bunzmq, ...series.libzmq, ...(series.raw ?? [])].map((p) => p.x))].sort((a, b) => a - b);
}

/**
 * One series as a table: per x, bunzmq, libzmq and their ratio, then (where there is a raw limit)
 * the raw figure and each implementation's fraction of it.
 */
export function seriesTable(curve: CostCurve, series: CurveSeries): string {
  const limited = series.raw !== undefined || series.rawLimit !== undefined;
  const better = series.higherIsBetter ? "higher is better" : "lower is better";
  const head = [curve.xTitle, "bunzmq", "libzmq", "bunzmq÷libzmq", ...(limited ? ["raw limit", "bunzmq of raw", "libzmq of raw"] : [])];
  const rows = xsOf(series).map((x) => {
    const b = at(series.bunzmq, x);
    const l = at(series.libzmq, x);
    const raw = at(series.raw, x) ?? series.rawLimit?.y;
    const xText = curve.xBytes ? bytesLabel(x) : x.toLocaleString("en-US");
    return [xText, figure(b), figure(l), ratio(b, l), ...(limited ? [figure(raw), fraction(b, raw), fraction(l, raw)] : [])];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const title = `${curve.title}: ${series.title} (${series.unit}; ${better})`;
  const limitNote = series.rawLimit ? [`raw limit: ${series.rawLimit.label}`] : [];
  return [title, line(head), ...rows.map(line), ...limitNote].join("\n");
}

/** Every series of a curve as tables, one under another. */
export function curveTables(curve: CostCurve): string {
  return curve.series.map((series) => seriesTable(curve, series)).join("\n\n");
}

/** The curve as a chart: a panel per series, bunzmq, libzmq and raw lines, the raw limit dashed. */
export function curveChart(curve: CostCurve, subtitle: string): LineChart {
  return {
    title: curve.title,
    subtitle,
    xTitle: `${curve.xTitle} (log scale)`,
    xFromZero: false,
    xLog: true,
    notes: curve.notes,
    marks: [],
    panels: curve.series.map((series) => {
      const lines: Line[] = [
        { label: "bunzmq", points: series.bunzmq },
        { label: "libzmq 4.3.4", points: series.libzmq },
      ];
      if (series.raw) lines.push({ label: "raw limit (Bun, no ZeroMQ)", points: series.raw });
      const limits: Limit[] = series.rawLimit ? [{ y: series.rawLimit.y, label: "raw limit" }] : [];
      return {
        title: series.title,
        unit: `${series.unit}${series.yLog ? ", log scale" : ""}`,
        lines,
        limits,
        fromZero: !series.yLog,
        integers: false,
        yLog: series.yLog,
      };
    }),
  };
}
