// Counters and latency percentiles for the cluster's live display and summary: a window of samples
// per reporting interval (sorted once when read), plus totals for the whole run.

const WINDOW_CAPACITY = 1 << 18;

/** Latencies (ms) of one reporting window, and of the whole run for the summary. */
export class LatencyWindow {
  #window = new Float64Array(WINDOW_CAPACITY);
  #count = 0;
  #seen = 0;
  readonly #all: number[] = [];
  readonly #keepAll: boolean;

  constructor(keepAll = false) {
    this.#keepAll = keepAll;
  }

  record(ms: number): void {
    // Past capacity, keep a uniform sample (reservoir), so a flood cannot grow memory.
    this.#seen++;
    if (this.#count < WINDOW_CAPACITY) this.#window[this.#count++] = ms;
    else {
      const slot = Math.floor(Math.random() * this.#seen);
      if (slot < WINDOW_CAPACITY) this.#window[slot] = ms;
    }
    if (this.#keepAll) this.#all.push(ms);
  }

  /** p50 and p99 of the window, which then starts over; null when it saw nothing. */
  take(): { p50: number; p99: number; count: number } | null {
    const count = this.#seen;
    if (this.#count === 0) return null;
    const sorted = this.#window.subarray(0, this.#count).sort();
    const result = { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), count };
    this.#count = 0;
    this.#seen = 0;
    return result;
  }

  /** Percentiles of every sample of the run (only with keepAll). */
  overall(): { p50: number; p99: number; max: number; count: number } | null {
    if (this.#all.length === 0) return null;
    const sorted = Float64Array.from(this.#all).sort();
    return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted[sorted.length - 1]!, count: sorted.length };
  }
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank]!;
}

/** A counter that reports its increase since the last read, for per-second rates. */
export class RateCounter {
  total = 0;
  #lastTotal = 0;
  #lastAt = performance.now();

  add(n = 1): void {
    this.total += n;
  }

  /** Events per second since the previous call. */
  rate(now = performance.now()): number {
    const seconds = (now - this.#lastAt) / 1000;
    const rate = seconds > 0 ? (this.total - this.#lastTotal) / seconds : 0;
    this.#lastTotal = this.total;
    this.#lastAt = now;
    return rate;
  }
}
