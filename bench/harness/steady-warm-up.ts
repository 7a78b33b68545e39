// Untimed warm-up measured in work done and in cost, not only in time. A Bun process runs its hot
// path in the interpreter and lower JIT tiers first; the compiler threads share the CPUs with the
// bench, so with eight subscriber processes on two cores the last tier can arrive seconds in, and a
// warm-up of fixed time then times a row mid-JIT (docs/benchmarks.md, "PUB fan-out"). The cost measure
// is CPU per message, which a busy machine disturbs far less than wall time. It alone cannot tell:
// the JIT lowers the cost in steps, with plateaus of several batches between them.

export interface WarmUpLimits {
  /** Warm at least this long. */
  leastMs: number;
  /** And at least this many batches (the messages each process must have handled). */
  leastBatches: number;
  /** Stop here even if the cost still falls; the result says so. */
  mostMs: number;
}

export interface WarmUpResult {
  batches: number;
  ms: number;
  /** False when `mostMs` ended it while the cost was still falling. */
  steady: boolean;
}

/**
 * Counts as settled once this many batches in a row are each no more than `SETTLED_GAIN` cheaper
 * than the cheapest batch before them: one such batch can be a noisy one, two rarely are.
 */
const SETTLED_BATCHES = 2;
const SETTLED_GAIN = 0.1;

/**
 * Runs `batch` (one untimed batch; it returns the row's CPU ns per message, or null where the row
 * cannot tell) until `leastMs` and `leastBatches` are done and the cost has settled, or until
 * `mostMs`. A row with no cost figure warms for the least time and batches.
 */
export async function warmUntilSteady(batch: () => Promise<number | null>, limits: WarmUpLimits): Promise<WarmUpResult> {
  const start = performance.now();
  let best = Infinity;
  let settled = 0;
  let batches = 0;
  for (;;) {
    const cost = await batch();
    batches++;
    const ms = performance.now() - start;
    if (cost === null) settled = SETTLED_BATCHES;
    else if (cost >= best * (1 - SETTLED_GAIN)) settled++;
    else settled = 0;
    if (cost !== null) best = Math.min(best, cost);
    if (batches >= limits.leastBatches && ms >= limits.leastMs && settled >= SETTLED_BATCHES) return { batches, ms, steady: true };
    if (ms >= limits.mostMs) return { batches, ms, steady: false };
  }
}
