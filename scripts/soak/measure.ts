// How the soak measures its own process and judges the figures. Samples: resident memory (RSS),
// the JavaScript heap and open descriptors, on a fixed schedule whose points include the run's
// quarters, each after a full garbage collection. Judgement: memory and descriptors may not grow
// between the 25 % and the 100 % marks by more than the limits below, and no violation (a message
// lost, repeated, reordered or torn where ZeroMQ promises delivery; traffic that stopped) may have
// been seen. Imports nothing.

import { readdirSync } from "node:fs";

export interface Sample {
  /** Seconds since the run started. */
  at: number;
  /** Resident set size, bytes. */
  rss: number;
  /** The JavaScript heap in use, bytes (to tell a JS leak from a native one). */
  heap: number;
  /** Open descriptors of this process. */
  fds: number;
}

/** The process's open descriptors: the entries of /proc/self/fd, less the one reading it. */
export function openDescriptors(): number {
  return readdirSync("/proc/self/fd").length - 1;
}

/**
 * One sample, taken after a full, synchronous garbage collection. Without it, RSS measures where
 * the collector happens to be in its cycle: JavaScriptCore lets the heap grow to its next
 * collection threshold, so a heap that is all garbage looks the same as a leak, and a sample taken
 * just after a collection looks like a recovery. Bun.gc(true) also asks mimalloc to return freed
 * pages, so each sample measures what is live. It is done twice: objects freed by the first pass
 * can hold the last references to native memory (sockets, buffers) released in the second.
 */
export function takeSample(startedAt: number): Sample {
  Bun.gc(true);
  Bun.gc(true);
  const memory = process.memoryUsage();
  return { at: (performance.now() - startedAt) / 1000, rss: memory.rss, heap: memory.heapUsed, fds: openDescriptors() };
}

/**
 * The sample times, in seconds, for a run of `seconds`: about 30 samples, spaced `minEvery` to
 * `maxEvery` seconds apart, and always a whole number per quarter, so the 25 %, 50 %, 75 % and
 * 100 % marks fall on samples. Starts with 0.
 */
export function sampleTimes(seconds: number, minEvery = 2, maxEvery = 5): number[] {
  const wanted = Math.min(maxEvery, Math.max(minEvery, seconds / 30));
  const perQuarter = Math.max(1, Math.round(seconds / 4 / wanted));
  const every = seconds / 4 / perQuarter;
  return Array.from({ length: perQuarter * 4 + 1 }, (_, i) => i * every);
}

/** The index in `times` of each quarter mark (25, 50, 75, 100 %). */
export function quarterIndexes(times: number[]): number[] {
  const perQuarter = (times.length - 1) / 4;
  return [1, 2, 3, 4].map((q) => q * perQuarter);
}

/**
 * RSS may grow by at most 10 MB (10^6 bytes) from the 25 % mark to the end. The first quarter is
 * left out on purpose: it holds the warm-up (JIT tiers, allocator arenas, pools and buffers sized
 * to the traffic, Bun's lazily created handles), which is growth, but not growth with time. Over
 * the last three quarters of a 30-minute run, 10 MB is about 2 KB per churned socket operation,
 * 75 KB per peer restart or 5 bytes per message, while the remaining noise (RSS after a full
 * collection moves by a few MB: messages queued at that instant, allocator pages kept) stays under.
 */
export const RSS_LIMIT_BYTES = 10_000_000;
/**
 * RSS at a mark is the median of the samples ending there (the mark's and the two before it): one
 * sample can catch a burst of queued messages (a 64 KiB message is one in twenty, and a pipe holds up
 * to 1,000), which is no growth; a leak raises all three.
 */
const RSS_WINDOW = 3;
/**
 * Descriptors may grow by at most 2: every socket, connection and child process the soak opens it
 * also closes, so the count returns to the same value; 2 allows for one connection or pipe that is
 * between its close and the kernel's at the instant of a sample.
 */
export const FD_LIMIT = 2;

export const MARK_LABELS = ["25 %", "50 %", "75 %", "100 %"] as const;

export interface Verdict {
  /** The start sample, then the samples at 25, 50, 75 and 100 % of the planned run (null: not reached). */
  start: Sample | null;
  marks: Array<Sample | null>;
  peak: Sample | null;
  /** The last sample taken (the 100 % mark when the run completed). */
  last: Sample | null;
  /** RSS at the 25 % mark as judged (a median: rssAtMark), the base of the limit. */
  rssFrom: number | null;
  /** From the 25 % mark to the 100 % mark; null when the run did not reach both. */
  rssGrowth: number | null;
  fdGrowth: number | null;
  /** Why the run failed; empty when it passed (or was interrupted before it could be judged). */
  failures: string[];
}

export const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** RSS at the mark that is sample `index`: the median of that sample and the ones just before it. */
export function rssAtMark(samples: Sample[], index: number): number | null {
  if (samples[index] === undefined) return null;
  const window = samples.slice(Math.max(0, index - RSS_WINDOW + 1), index + 1).map((s) => s.rss);
  window.sort((a, b) => a - b);
  return window.length % 2 === 1 ? window[window.length >> 1]! : (window[window.length / 2 - 1]! + window[window.length / 2]!) / 2;
}

/**
 * Judges `samples` (taken on the schedule whose quarter marks are `markIndexes`), given how many
 * violations were seen. An interrupted run (`complete` false) is not judged on growth: its marks
 * are not the planned run's.
 */
export function judge(samples: Sample[], markIndexes: number[], violations: number, complete: boolean): Verdict {
  const marks = markIndexes.map((i) => samples[i] ?? null);
  const peak = samples.reduce<Sample | null>((top, s) => (top === null || s.rss > top.rss ? s : top), null);
  const first = marks[0];
  const last = marks[3];
  const rssFrom = rssAtMark(samples, markIndexes[0]!);
  const rssTo = rssAtMark(samples, markIndexes[3]!);
  const rssGrowth = rssFrom !== null && rssTo !== null && complete ? rssTo - rssFrom : null;
  const fdGrowth = first && last && complete ? last.fds - first.fds : null;
  const failures: string[] = [];
  if (rssGrowth !== null && rssGrowth > RSS_LIMIT_BYTES) {
    failures.push(`RSS grew by ${megabytes(rssGrowth)} between the 25 % and 100 % marks (medians; limit ${megabytes(RSS_LIMIT_BYTES)})`);
  }
  if (fdGrowth !== null && fdGrowth > FD_LIMIT) {
    failures.push(`open descriptors grew by ${fdGrowth} between the 25 % and 100 % marks (limit ${FD_LIMIT})`);
  }
  if (violations > 0) failures.push(`${violations} violation(s): messages lost, repeated or reordered, or traffic stopped (listed above)`);
  return { start: samples[0] ?? null, marks, peak, last: samples.at(-1) ?? null, rssFrom, rssGrowth, fdGrowth, failures };
}
