// What the cost curves share: timing a batch of work so that it lasts about a target time (the
// count found by doubling, then scaled), medians of repeats, the raw limit at 16 B (the figure the
// connections' and subscriptions' rates are read against), and the machine's load average, which
// every run prints and records because the figures move with it.

import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import { RawSender } from "../../peers/raw-sender.ts";

/** Settings every curve gets from the command line. */
export interface CurveSettings {
  quick: boolean;
  /** How long one measured batch should last. */
  targetMs: number;
  /** Measured batches per point; the median is kept. */
  repeats: number;
  /** Called between points: throws Interrupted after Ctrl-C. */
  check: () => void;
  /** Progress lines (stderr). */
  progress: (line: string) => void;
  /** A point that failed: the run goes on without it, and ends with exit code 1. */
  fail: (what: string) => void;
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

/**
 * Messages per second of `batch(count)`, which resolves when `count` messages arrived: the count is
 * doubled from `first` until a batch lasts a quarter of `targetMs` (or reaches `maxCount`), scaled
 * to `targetMs`, and then timed `repeats` times; the median rate is returned.
 */
export async function rateOf(
  batch: (count: number) => Promise<void>,
  settings: CurveSettings,
  first: number,
  maxCount: number,
): Promise<number> {
  let count = Math.max(1, Math.min(first, maxCount));
  for (;;) {
    const start = performance.now();
    await batch(count);
    const ms = performance.now() - start;
    if (ms >= settings.targetMs / 4 || count >= maxCount) {
      count = Math.max(1, Math.min(maxCount, Math.round((count * settings.targetMs) / Math.max(ms, 0.01))));
      break;
    }
    count = Math.min(maxCount, count * 2);
  }
  const rates: number[] = [];
  for (let i = 0; i < settings.repeats; i++) {
    const start = performance.now();
    await batch(count);
    rates.push(count / ((performance.now() - start) / 1000));
  }
  return median(rates);
}

/** The 1, 5 and 15 minute load averages, as `uptime` prints them, and uptime's own line. */
export function loadNow(): { loadAverage: number[]; uptime: string } {
  let uptime = "";
  try {
    uptime = execFileSync("uptime", { encoding: "utf8" }).trim();
  } catch {
    uptime = "(uptime not available)";
  }
  return { loadAverage: loadavg().map((v) => Number(v.toFixed(2))), uptime };
}

/** Bun's one-way rate at 16 B with no ZeroMQ: the limit the connections and subscriptions rates are read against. */
export async function rawRateAt16(settings: CurveSettings): Promise<number> {
  const sender = await RawSender.start();
  try {
    return await rateOf((count) => sender.batch(16, count), settings, 4096, 50_000_000);
  } finally {
    await sender.stop();
  }
}
