// Picks N, the messages per mitata iteration, for each message size of bench/scenarios/push-pull.ts: probe
// batches on every pair, then N such that an iteration takes the target time at the pairs'
// geometric-mean speed. Every row of that size then uses the same N.

import type { Pair } from "../peers/pairs.ts";
import { rate, sizeLabel } from "../report/table.ts";
import type { Transport } from "../harness/transports.ts";

/** Probe batch per size for calibration: ~10–30 ms for libzmq on a 2-vCPU VM. */
const probeCount = (size: number) => (size <= 256 ? 20_000 : size <= 8192 ? 5_000 : 150);

/**
 * Warm-up per pair before its probes: at least two batches and this long. libzmq over inproc runs
 * several times faster for its first few hundred thousand messages than afterwards (its threads
 * settle into waking each other per message), so a shorter warm-up would probe the wrong regime.
 */
const WARMUP_MS = 150;

/** Two significant digits, so N reads well in the tables. */
function nice(n: number): number {
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(n)) - 1);
  return Math.max(1, Math.round(n / magnitude) * magnitude);
}

/**
 * Picks N for one size: warm-up batches per pair (JIT, TCP windows), then the best of three
 * timed probe batches, so a cold or disturbed probe does not skew N. A pair whose probe fails is
 * left out of the mean (its rows fail later on their own).
 */
export async function calibrate(transport: Transport, pairs: Pair[], size: number, targetMs: number): Promise<number> {
  const probe = probeCount(size);
  const perMessageMs: number[] = [];
  const notes: string[] = [];
  for (const pair of pairs) {
    try {
      const warmupStart = performance.now();
      for (let i = 0; i < 2 || performance.now() - warmupStart < WARMUP_MS; i++) await pair.batch(size, probe);
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        await pair.batch(size, probe);
        best = Math.min(best, performance.now() - t0);
      }
      perMessageMs.push(best / probe);
      notes.push(`${pair.name} ${rate((1000 * probe) / best)}/s`);
    } catch (error) {
      notes.push(`${pair.name} FAILED`);
      process.stderr.write(`  ${transport} ${sizeLabel(size)} probe: ${(error as Error).message}\n`);
    }
  }
  if (perMessageMs.length === 0) return probe;
  const geomean = Math.exp(perMessageMs.reduce((a, x) => a + Math.log(x), 0) / perMessageMs.length);
  const count = nice(Math.min(2_000_000, Math.max(20, targetMs / geomean)));
  process.stderr.write(`${transport} ${sizeLabel(size)}: probe ${notes.join(", ")} -> N = ${count}\n`);
  return count;
}
