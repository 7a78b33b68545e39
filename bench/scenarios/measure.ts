// The measured part of the throughput scenarios (push-pull, curve, proxy): every transport × size ×
// round × row as one mitata bench, all in a single run() call, with progress on stderr and each
// transport's results (median over rounds, ratio to the libzmq row) handed back for its table as
// soon as its last bench is done. After Ctrl-C every later iteration throws at once, so mitata runs
// through the rest of its list in no time and their rows come back as not run.

import { bench, run } from "mitata";
import type { Interrupt } from "../harness/command.ts";
import type { Row } from "../peers/pairs.ts";
import { rate, sizeLabel, type RoundResult, type RowResult, type SizeResult } from "../report/table.ts";
import type { Transport } from "../harness/transports.ts";

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
    process.stderr.write(`  ${r.name.padEnd(56)} error: ${message}\n`);
    return { error: message };
  }
  const stats = r.stats;
  const msgsPerSec = count / (stats.avg / 1e9);
  process.stderr.write(
    `  ${r.name.padEnd(56)} ${rate(msgsPerSec).padStart(8)} msgs/s  ` +
      `(${stats.ticks} iterations of ${(stats.avg / 1e6).toFixed(1)} ms)\n`,
  );
  return { avgNs: stats.avg, msgsPerSec, stats: summaryOf(stats) };
}

/** The rows of one transport at one size, with the N every row of it sends per iteration. */
export interface Group {
  transport: Transport;
  size: number;
  count: number;
  rows: Row[];
  /**
   * Rows calibrated on their own, with their N: zeromq.js's row runs 10–100× slower than the
   * others, and the shared N would otherwise be cut for every row to keep its batches short.
   */
  ownCounts?: Map<Row, number>;
}

/**
 * Registers every group × round × row as one mitata bench and runs them in a single run() (each
 * run() call spends ~3 s measuring its own overhead). Within a group the rows are interleaved by
 * round; groups run in the given order. `onTransportDone` gets a transport's results as soon as
 * the last bench of its last group finished.
 */
export async function measureAll(
  groups: Group[],
  roundCount: number,
  onTransportDone: (results: SizeResult[]) => void,
  interrupt: Interrupt,
): Promise<SizeResult[]> {
  const plan = new Map<string, { group: Group; row: Row }>();
  const rounds = new Map<Group, Map<Row, RoundResult[]>>();
  const remaining = new Map<Transport, number>();
  const finished = new Map<Transport, SizeResult[]>();
  const done: SizeResult[] = [];
  for (const group of groups) {
    const { transport, size, rows } = group;
    rounds.set(group, new Map(rows.map((r) => [r, []])));
    remaining.set(transport, (remaining.get(transport) ?? 0) + roundCount * rows.length);
    for (let round = 1; round <= roundCount; round++) {
      for (const row of rows) {
        const name = `${transport} ${sizeLabel(size)} ${row.label} #${round}`;
        plan.set(name, { group, row });
        const { pair, mode } = row;
        const rowCount = countFor(group, row);
        bench(name, () => {
          interrupt.check();
          return pair.batch(size, rowCount, mode);
        });
      }
    }
  }
  await run({
    format: "quiet",
    throw: false, // a failing pair becomes an error row; the others still run
    observe: (t: Trial) => {
      for (const r of t.runs) {
        const { group, row } = plan.get(r.name)!;
        const mine = rounds.get(group)!;
        mine.get(row)!.push(roundResult(r, countFor(group, row)));
        if ([...mine.values()].every((results) => results.length === roundCount)) {
          const result = summarise(group, mine);
          done.push(result);
          finished.set(group.transport, [...(finished.get(group.transport) ?? []), result]);
        }
        const left = remaining.get(group.transport)! - 1;
        remaining.set(group.transport, left);
        if (left === 0) onTransportDone(finished.get(group.transport)!);
      }
      return t;
    },
  });
  return done;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The N a row of `group` sends per iteration. */
const countFor = (group: Group, row: Row) => group.ownCounts?.get(row) ?? group.count;

/** One transport and size's rows: each row's median over its completed rounds and its ratio to the baseline row. */
function summarise(group: Group, rounds: Map<Row, RoundResult[]>): SizeResult {
  const { transport, size, count, rows } = group;
  const out: RowResult[] = rows.map((row) => {
    const mine = rounds.get(row)!;
    const ok = mine.filter((r) => r.msgsPerSec !== undefined).map((r) => r.msgsPerSec!);
    const msgsPerSec = ok.length > 0 ? median(ok) : null;
    const result: RowResult = {
      transport,
      label: row.label,
      interop: !!row.interop,
      baseline: !!row.baseline,
      family: row.family ?? null,
      rounds: mine,
      count: countFor(group, row),
      msgsPerSec,
      mbPerSec: msgsPerSec === null ? null : (msgsPerSec * size) / 1e6,
      ratio: null,
    };
    const firstError = mine.find((r) => r.error !== undefined)?.error;
    if (firstError !== undefined) result.error = firstError;
    return result;
  });
  const base = out.find((r) => r.baseline)?.msgsPerSec ?? null;
  for (const r of out) r.ratio = base === null || r.msgsPerSec === null ? null : r.msgsPerSec / base;
  return { transport, size, count, rows: out, bunzmqVsZeromqjs: bunzmqVsZeromqjs(out) };
}

function bunzmqVsZeromqjs(rows: RowResult[]): number | null {
  const speeds = (family: RowResult["family"]) =>
    rows.filter((r) => r.family === family && r.msgsPerSec !== null).map((r) => r.msgsPerSec!);
  const bunzmq = speeds("bunzmq");
  const zeromqjs = speeds("zeromq.js");
  return bunzmq.length > 0 && zeromqjs.length > 0 ? Math.max(...bunzmq) / zeromqjs[0]! : null;
}
