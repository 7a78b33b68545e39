// The measured part of bench/push-pull.ts: every size × round × row as one mitata bench, all in a
// single run() call, with progress on stderr and each size's table on stdout as soon as it is done.

import { bench, run } from "mitata";
import type { Row } from "./pairs.ts";
import { printTable, rate, sizeLabel, summarise, type RoundResult, type SizeResult } from "./table.ts";

type Trial = Parameters<NonNullable<NonNullable<Parameters<typeof run>[0]>["observe"]>>[0];

/** mitata's statistics without the samples and the generated benchmark source it also returns. */
function summaryOf(stats: object): Record<string, unknown> {
  const keep = ["min", "p25", "p50", "p75", "p99", "max", "avg", "ticks", "heap", "gc"];
  return Object.fromEntries(Object.entries(stats).filter(([key]) => keep.includes(key)));
}

/** One finished bench as a round of its row (N = `count` messages per iteration), echoed to stderr. */
function roundResult(r: Trial["runs"][number], count: number): RoundResult {
  if (r.error || !r.stats) {
    const message = r.error instanceof Error ? r.error.message : String(r.error);
    process.stderr.write(`  ${r.name.padEnd(48)} error: ${message}\n`);
    return { error: message };
  }
  const stats = r.stats;
  const msgsPerSec = count / (stats.avg / 1e9);
  process.stderr.write(
    `  ${r.name.padEnd(48)} ${rate(msgsPerSec).padStart(8)} msgs/s  ` +
      `(${stats.ticks} iterations of ${(stats.avg / 1e6).toFixed(1)} ms)\n`,
  );
  return { avgNs: stats.avg, msgsPerSec, stats: summaryOf(stats) };
}

/**
 * Registers every size × round × row as one mitata bench and runs them in a single run() (each
 * run() call spends ~3 s measuring its own overhead). Within a size the rows are interleaved by
 * round; a size's table is printed as soon as its last bench finished.
 */
export async function measureAll(
  rows: Row[],
  sizes: number[],
  roundCount: number,
  counts: Map<number, number>,
): Promise<SizeResult[]> {
  const plan = new Map<string, { row: Row; size: number }>();
  const rounds = new Map<number, Map<Row, RoundResult[]>>();
  const remaining = new Map<number, number>();
  const done: SizeResult[] = [];
  for (const size of sizes) {
    const count = counts.get(size)!;
    rounds.set(size, new Map(rows.map((r) => [r, []])));
    remaining.set(size, roundCount * rows.length);
    for (let round = 1; round <= roundCount; round++) {
      for (const row of rows) {
        const name = `${sizeLabel(size)} ${row.label} #${round}`;
        plan.set(name, { row, size });
        const { pair, mode } = row;
        bench(name, () => pair.batch(size, count, mode));
      }
    }
  }
  await run({
    format: "quiet",
    throw: false, // a failing pair becomes an error row; the others still run
    observe: (t: Trial) => {
      for (const r of t.runs) {
        const { row, size } = plan.get(r.name)!;
        const count = counts.get(size)!;
        rounds.get(size)!.get(row)!.push(roundResult(r, count));
        const left = remaining.get(size)! - 1;
        remaining.set(size, left);
        if (left === 0) {
          const result = summarise(size, count, rows, rounds.get(size)!);
          done.push(result);
          printTable(result, roundCount);
        }
      }
      return t;
    },
  });
  return done;
}
