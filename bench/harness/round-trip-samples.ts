// What a round-trip latency fixture (bench/fixtures/req-rep-fixture.ts, client-server-fixture.ts)
// keeps and answers: the round trips it timed since the last STATS line, and the WARM/RUN lines it
// is given (`WARM|RUN <count> <size>`, sizes up to 64 KiB). The bench side is
// bench/scenarios/latency-rows.ts.

import { percentile } from "./child.ts";

/** Every recorded round trip since the last STATS, in ns. */
export class RoundTripSamples {
  #values: number[] = [];

  add(ns: number): void {
    this.#values.push(ns);
  }

  /** p50 of the last `count` samples (one RUN line's). */
  lastMedian(count: number): number {
    return percentile(Float64Array.from(this.#values.slice(-count)).sort(), 50);
  }

  /** The STATS line (`STATS n min p50 p90 p99 max mean`), and forget the samples. */
  take(): string {
    const sorted = Float64Array.from(this.#values).sort();
    this.#values = [];
    let sum = 0;
    for (const v of sorted) sum += v;
    const pick = (p: number) => Math.round(percentile(sorted, p));
    return `STATS ${sorted.length} ${Math.round(sorted[0] ?? NaN)} ${pick(50)} ${pick(90)} ${pick(99)} ${Math.round(sorted[sorted.length - 1] ?? NaN)} ${Math.round(sum / sorted.length)}`;
  }
}

/** The count and size of a WARM or RUN line's words, or null when they are not valid. */
export function runLineCounts(words: string[]): { count: number; size: number } | null {
  const count = Number(words[1]);
  const size = Number(words[2]);
  if (!Number.isInteger(count) || count <= 0 || !Number.isInteger(size) || size < 0 || size > 65536) return null;
  return { count, size };
}
