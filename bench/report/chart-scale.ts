// The value axes of a bar chart (bench/report/chart-model.ts builds them, chart-svg.ts draws them):
// one axis per message size and per series, shared by every implementation and every transport at
// that size, so two bars of one size compare by eye wherever they are drawn. Sizes get axes of their
// own because their figures differ by orders of magnitude (16 B at millions of messages a second,
// 1 MiB at thousands): one axis for all would flatten the large sizes to nothing. Likewise p50 and
// p99 get one axis each, so a long tail cannot squash the median.
//
// One exception keeps every group readable: a transport whose bars would all stay under MIN_FILL (a fifth) of
// the shared axis (inproc passes large messages by reference, so at 64 KiB it runs ~100× tcp) gets
// an axis of its own, marked as such, instead of bars too short to compare. No I/O.

/** One axis: 0 to `max`, with labelled ticks at round values. */
export interface Axis {
  /** The value at the far end of the bar space: a round number at or above the largest value. */
  max: number;
  ticks: Array<{ value: number; label: string }>;
  /** True when the axis is the size's common one; false for a group's own (see MIN_FILL). */
  shared: boolean;
}

/** A group whose longest bar would fill less than this of its size's common axis gets its own. */
export const MIN_FILL = 0.2;

/** The steps a tick interval is made of, times a power of ten. */
const STEPS = [1, 2, 2.5, 5, 10];

/** Between 3 and 6 intervals: enough ticks to read a value off, few enough to label. */
const MAX_INTERVALS = 6;

/** The tick interval and the axis end for values up to `max`: a round step, at most MAX_INTERVALS of them. */
export function niceScale(max: number): { step: number; end: number } {
  if (!(max > 0) || !Number.isFinite(max)) return { step: 1, end: 1 };
  const power = 10 ** Math.floor(Math.log10(max / MAX_INTERVALS));
  for (const multiple of STEPS) {
    const step = multiple * power;
    const intervals = Math.ceil(max / step - 1e-9);
    if (intervals <= MAX_INTERVALS) return { step, end: intervals * step };
  }
  return { step: 10 * power, end: Math.ceil(max / (10 * power)) * 10 * power };
}

/** An axis for values up to `max`, its tick values written by `format`. */
export function axisFor(max: number, format: (value: number) => string, shared = true): Axis {
  const { step, end } = niceScale(max);
  const ticks: Axis["ticks"] = [];
  // Counted in steps, not summed, so 0.1 + 0.2 never makes a tick of 0.30000000000000004.
  for (let i = 0; i * step <= end * (1 + 1e-9); i++) ticks.push({ value: i * step, label: format(i * step) });
  return { max: end, ticks, shared };
}

/** `n` in at most three significant digits with k / M / G: tick labels, not figures. */
export function compact(n: number): string {
  const [scaled, suffix] = n >= 1e9 ? [n / 1e9, " G"] : n >= 1e6 ? [n / 1e6, " M"] : n >= 1e3 ? [n / 1e3, " k"] : [n, ""];
  return `${Number(scaled.toPrecision(3))}${suffix}`;
}

/** The shape chart-model.ts gives: groups of rows of bars, one bar per series. */
interface Scalable {
  label: string;
  rows: Array<{ bars: Array<{ value: number }> }>;
}

/** The largest value of each series in `group`. */
function maximaOf(group: Scalable, seriesCount: number): number[] {
  const maxima = new Array<number>(seriesCount).fill(0);
  for (const row of group.rows) row.bars.forEach((bar, k) => (maxima[k] = Math.max(maxima[k]!, bar.value)));
  return maxima;
}

/**
 * One axis per group label (the size) and per series, over every group with that label in every
 * panel, but for a group that would fill less than MIN_FILL of it (that group gets its own); returns
 * each group's axes in series order, in the order the groups were given.
 */
export function sharedAxes(groups: Scalable[], seriesCount: number, format: (value: number) => string): Axis[][] {
  const own = groups.map((group) => maximaOf(group, seriesCount));
  const largest = new Map<string, number[]>();
  groups.forEach((group, i) => {
    const maxima = largest.get(group.label) ?? new Array<number>(seriesCount).fill(0);
    largest.set(
      group.label,
      maxima.map((max, k) => Math.max(max, own[i]![k]!)),
    );
  });
  const common = new Map([...largest].map(([label, maxima]) => [label, maxima.map((max) => axisFor(max, format))]));
  return groups.map((group, i) =>
    common.get(group.label)!.map((axis, k) => {
      const mine = own[i]![k]!;
      // Against the largest value, not the rounded axis end: rounding is not the group's fault.
      return mine > 0 && mine < MIN_FILL * largest.get(group.label)![k]! ? axisFor(mine, format, false) : axis;
    }),
  );
}
