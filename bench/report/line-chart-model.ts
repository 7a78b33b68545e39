// What bench/report/line-chart-svg.ts draws: figures over time (or any other x), as stacked panels
// that share one x axis, each with its own y unit, its lines, vertical marks (e.g. the 25 % points
// of a run) and horizontal limits (e.g. the most a figure may reach). The soak's RSS and descriptor
// plot (scripts/soak/report.ts) is the first user; the bar charts of bench records are chart-model.ts.
// Also the axis arithmetic: round tick values (the bar charts' steps, chart-scale.ts) over any range.
// No I/O.

import { niceScale } from "./chart-scale.ts";

export interface Point {
  x: number;
  y: number;
}

export interface Line {
  label: string;
  points: Point[];
}

/** A vertical dashed line across every panel at `x`, labelled at the top. */
export interface Mark {
  x: number;
  label: string;
}

/** A horizontal dashed line at `y` from `fromX` to `toX` (the axis's ends when absent). */
export interface Limit {
  y: number;
  fromX?: number;
  toX?: number;
  label: string;
}

export interface LinePanel {
  title: string;
  /** The y axis's unit, e.g. "MB". */
  unit: string;
  lines: Line[];
  limits: Limit[];
  /** Start the y axis at 0 (counts, sizes) rather than at the lowest value. */
  fromZero: boolean;
  /** Whole-number values (counts): no tick between two integers. */
  integers: boolean;
  /** A logarithmic y axis (figures spanning decades, e.g. msgs/s from 1 B to 16 MiB); values must be > 0. */
  yLog?: boolean;
}

export interface LineChart {
  title: string;
  subtitle: string;
  /** The x axis's title, e.g. "seconds since start". */
  xTitle: string;
  /** Start the x axis at 0 (time since a start) rather than at the first x. */
  xFromZero: boolean;
  /** A logarithmic x axis, for geometric sweeps (1 → 10,000 connections, 1 B → 16 MiB); xs must be > 0. */
  xLog?: boolean;
  panels: LinePanel[];
  marks: Mark[];
  /** Lines of text under the title: what the reader should look for. */
  notes: string[];
}

export interface Axis {
  min: number;
  max: number;
  ticks: number[];
  /** Positions go by log10 of the value (logAxisOf), not the value. */
  log?: boolean;
}

export interface AxisOptions {
  /** Include 0. */
  fromZero?: boolean;
  /** The smallest step between ticks (1 for counts). */
  minStep?: number;
  /** End the axis at the values (ticks stay inside) instead of widening it to whole steps. */
  tight?: boolean;
}

/**
 * An axis covering `values` (and 0 when `fromZero`), widened to whole steps so its ends are ticks
 * (unless `tight`, as for time, where the run's end is the natural end). An empty or flat series
 * gets an axis of one step around its value, so it still draws.
 */
export function axisOf(values: number[], { fromZero = false, minStep = 0, tight = false }: AxisOptions = {}): Axis {
  const finite = values.filter(Number.isFinite);
  let low = finite.length > 0 ? Math.min(...finite) : 0;
  let high = finite.length > 0 ? Math.max(...finite) : 1;
  if (fromZero) low = Math.min(0, low);
  if (high === low) {
    high += Math.max(1, Math.abs(high) * 0.1);
    if (!fromZero) low -= Math.max(1, Math.abs(low) * 0.1);
  }
  // The bar charts' round steps (chart-scale.ts), over the span rather than from 0.
  const step = Math.max(minStep, niceScale(high - low).step);
  const min = tight ? low : Math.floor(low / step) * step;
  const max = tight ? high : Math.ceil(high / step) * step;
  const ticks: number[] = [];
  // Counted in steps, not summed, so 0.1-sized steps do not drift into 0.30000000000000004.
  const first = Math.ceil(min / step - 1e-9);
  for (let i = first; i * step <= max + step / 1e6; i++) ticks.push(Number((i * step).toPrecision(12)));
  return { min, max, ticks };
}

/**
 * A logarithmic axis over the positive `values`: from the power of ten at or below the lowest to
 * the one at or above the highest, a tick at each power of ten (every second or third one when
 * there are more than 8 decades). Non-positive values are left out (they have no place on it).
 */
export function logAxisOf(values: number[]): Axis {
  const positive = values.filter((v) => Number.isFinite(v) && v > 0);
  let low = positive.length > 0 ? Math.floor(Math.log10(Math.min(...positive)) + 1e-9) : 0;
  let high = positive.length > 0 ? Math.ceil(Math.log10(Math.max(...positive)) - 1e-9) : 1;
  if (high === low) {
    low -= 1;
    high += 1;
  }
  const every = Math.ceil((high - low) / 8);
  high = low + Math.ceil((high - low) / every) * every; // so the axis ends on a tick
  const ticks: number[] = [];
  for (let e = low; e <= high; e += every) ticks.push(10 ** e);
  return { min: 10 ** low, max: 10 ** high, ticks, log: true };
}

/** Where `value` lies along `axis`, from 0 (its min) to 1 (its max). */
export function axisFraction(axis: Axis, value: number): number {
  if (axis.log) {
    const low = Math.log10(axis.min);
    return (Math.log10(value) - low) / (Math.log10(axis.max) - low || 1);
  }
  return (value - axis.min) / (axis.max - axis.min || 1);
}

/** Every x of a chart (points, marks, limits' ends), for the shared x axis. */
export function xValuesOf(chart: LineChart): number[] {
  const xs = chart.panels.flatMap((p) => [
    ...p.lines.flatMap((l) => l.points.map((pt) => pt.x)),
    ...p.limits.flatMap((l) => [l.fromX, l.toX].filter((x): x is number => x !== undefined)),
  ]);
  return [...xs, ...chart.marks.map((m) => m.x)];
}

/** Every y a panel draws (points and limits), for its own y axis. */
export function yValuesOf(panel: LinePanel): number[] {
  return [...panel.lines.flatMap((l) => l.points.map((pt) => pt.y)), ...panel.limits.map((l) => l.y)];
}

/**
 * A tick's text: no trailing zeros, thousands kept plain (axis labels are short). On a log axis
 * the powers of ten get k, M and G (1k, 10M), since they span far more digits.
 */
export function tickLabel(value: number, log = false): string {
  if (log && value >= 1000) {
    const [divisor, suffix] = value >= 1e9 ? [1e9, "G"] : value >= 1e6 ? [1e6, "M"] : [1e3, "k"];
    return `${Number((value / divisor).toPrecision(3))}${suffix}`;
  }
  if (log && !Number.isInteger(value)) return String(Number(value.toPrecision(3)));
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(3)));
}
