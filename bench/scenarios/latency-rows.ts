// The round-trip latency benches' rows (bench/scenarios/req-rep-latency.ts, REQ/REP, and
// client-server-latency.ts, DRAFT CLIENT/SERVER): each row a client child process that times its
// own round trips and answers control lines (`WARM n size`, `RUN n size` -> `DONE … median`,
// `STATS` -> `STATS n min p50 p90 p99 max mean`), measured in interleaved rounds per size. What the
// two share lives here; each scenario starts its own children and prints its own table.

import { removeIpcDirectory, type Transport } from "../harness/transports.ts";
import type { Child } from "../harness/child.ts";
import { COMMON_OPTIONS, type Interrupt, Interrupted, reportInterrupted } from "../harness/command.ts";
import type { CommandLine } from "../../common/command-line.ts";
import type { RowResult, SizeResult, Stats } from "../report/latency-table.ts";
import { type RunContext, finishRun } from "../report/run-record.ts";
import { us } from "../report/latency-table.ts";
import { sizeLabel } from "../report/table.ts";

/** A client that does not answer a control line within this long is hung (its row fails). */
const ANSWER_MS = 60_000;

export interface LatencyRow {
  label: string;
  client: Child | null;
  /** Why the row has no figures (not available, or failed). */
  error: string | null;
}

export interface LatencyPlan {
  count: number;
  /** Unrecorded round trips per WARM line; WARM lines repeat until `warmupMs` has passed. */
  warmup: number;
  /**
   * The least warm-up per row, in ms. A count alone is not enough: bunzmq's round trip is JIT-compiled
   * code, and on two cores the compiler threads compete with the two processes; the first 2,000 timed
   * round trips after 300 warm-up had a p99 5-8× that of later windows (docs/benchmarks.md).
   */
  warmupMs: number;
  rounds: number;
  /** Called between rounds: throws to end the run (Ctrl-C). */
  check(): void;
}

/** The options both latency benches take (their usage texts describe them), beside the common ones. */
export const LATENCY_OPTIONS = {
  ...COMMON_OPTIONS,
  sizes: { type: "string" },
  transports: { type: "string" },
  count: { type: "string" },
  warmup: { type: "string" },
  "warmup-ms": { type: "string" },
  rounds: { type: "string" },
} as const;

/** What a latency bench's command line asks for: the sizes, and the plan every row is measured by. */
export function latencyPlan(
  cli: CommandLine<typeof LATENCY_OPTIONS>,
  interrupt: Interrupt,
): { sizes: number[]; plan: LatencyPlan & { quick: boolean; save: boolean } } {
  const quick = cli.flag("quick");
  return {
    sizes: cli.numbers("sizes", "64,4096"),
    plan: {
      count: cli.number("count", quick ? 5_000 : 20_000),
      warmup: cli.number("warmup", quick ? 500 : 1_000),
      warmupMs: cli.number("warmup-ms", quick ? 500 : 1_000),
      rounds: cli.number("rounds", quick ? 1 : 4),
      check: () => interrupt.check(),
      quick,
      save: !cli.flag("no-save"),
    },
  };
}

/** Sends one control line to a row's client; null (and the row failed) on an error or no answer. */
async function ask(row: LatencyRow, line: string): Promise<string | null> {
  if (!row.client || row.error) return null;
  try {
    const answer = await row.client.askWithin(line, ANSWER_MS);
    if (!answer.startsWith("DONE") && !answer.startsWith("STATS")) throw new Error(answer);
    return answer;
  } catch (error) {
    row.error = `failed: ${(error as Error).message}`;
    return null;
  }
}

/**
 * One size of one transport: the warm-up, the interleaved rounds, then every row's statistics, and
 * p50/p99 ratios to the row at `baseline` (libzmq's). Prints a one-line summary to stderr.
 */
export async function measureLatencySize(
  transport: Transport,
  rows: LatencyRow[],
  size: number,
  baseline: number,
  plan: LatencyPlan,
): Promise<RowResult[]> {
  const perRound = Math.max(1, Math.round(plan.count / plan.rounds));
  for (const row of rows) {
    const start = performance.now();
    do await ask(row, `WARM ${plan.warmup} ${size}`);
    while (performance.now() - start < plan.warmupMs && row.client !== null && row.error === null);
  }
  const medians = new Map<LatencyRow, number[]>(rows.map((r) => [r, []]));
  for (let round = 0; round < plan.rounds; round++) {
    plan.check();
    for (const row of rows) {
      const answer = await ask(row, `RUN ${perRound} ${size}`);
      if (answer) medians.get(row)!.push(Number(answer.split(" ")[2]));
    }
  }
  const results: RowResult[] = [];
  for (const row of rows) {
    const answer = await ask(row, "STATS");
    let stats: Stats | null = null;
    if (answer) {
      const [n, min, p50, p90, p99, max, mean] = answer.split(" ").slice(1).map(Number);
      stats = { n: n!, min: min!, p50: p50!, p90: p90!, p99: p99!, max: max!, mean: mean! };
    }
    results.push({
      transport,
      label: row.label,
      stats,
      roundMediansNs: medians.get(row)!,
      ratioP50: null,
      ratioP99: null,
      error: row.error,
    });
  }
  const base = results[baseline]?.stats ?? null;
  for (const r of results) {
    if (!r.stats || !base) continue;
    r.ratioP50 = r.stats.p50 / base.p50;
    r.ratioP99 = r.stats.p99 / base.p99;
  }
  process.stderr.write(
    `${transport} ${sizeLabel(size)}: ${results.map((r) => `${r.label} ${r.stats ? `${us(r.stats.p50)} µs` : "—"}`).join(", ")}\n`,
  );
  return results;
}

/** How one transport's rows are measured (runTransportRows). */
export interface TransportRows<R extends LatencyRow> {
  transport: Transport;
  rows: R[];
  /** Where started children go; all of them are stopped before runTransportRows returns. */
  children: Child[];
  sizes: number[];
  /** Why a row cannot run here (becomes its error), or null. */
  unavailable(row: R): string | null;
  /** Starts a row's children (adding them to `children`) and sets its client; throws to fail the row. */
  start(row: R): Promise<void>;
  measure(size: number): Promise<SizeResult>;
  print(sizes: SizeResult[]): void;
}

/** One transport's rows, sizes and table; its children are stopped before it returns, whatever happens. */
export async function runTransportRows<R extends LatencyRow>(rows: TransportRows<R>): Promise<{ sizes: SizeResult[]; failed: string[] }> {
  try {
    for (const row of rows.rows) {
      row.error = rows.unavailable(row);
      if (row.error !== null) continue;
      await rows.start(row).catch((error) => (row.error = `failed to start: ${(error as Error).message}`));
    }
    const sizes: SizeResult[] = [];
    for (const size of rows.sizes) sizes.push(await rows.measure(size));
    rows.print(sizes);
    return { sizes, failed: failedRows(rows.transport, rows.rows) };
  } finally {
    await stopLatencyChildren(rows.children);
  }
}

/** Stops children: clients first (they said READY; their sockets close), then the servers. */
async function stopLatencyChildren(children: Child[]): Promise<void> {
  await Promise.all(children.filter((c) => c.hello === "READY").map((c) => c.stop()));
  await Promise.all(children.filter((c) => c.hello !== "READY").map((c) => c.stop()));
  children.length = 0;
}

/** The rows that failed (not merely unavailable), as lines for the run's summary. */
function failedRows(transport: Transport, rows: LatencyRow[]): string[] {
  return rows.filter((r) => r.error?.startsWith("failed")).map((r) => `${transport} ${r.label}: ${r.error}`);
}

/** One latency bench's run: what it measures, and how it starts and measures a transport. */
export interface LatencyBench {
  /** The record's name, e.g. "req-rep-latency". */
  bench: string;
  transports: Transport[];
  plan: LatencyPlan & { quick: boolean; save: boolean };
  /** What a round trip is, for the footer ("send one request + receive its reply, timed in …"). */
  roundTrip: string;
  /** Prints the run's header; returns its context and how to measure one transport's rows. */
  start(): Promise<{
    context: RunContext;
    run(transport: Transport, children: Child[]): Promise<{ sizes: SizeResult[]; failed: string[] }>;
  }>;
}

/** Runs every transport, prints the summary, saves the record; the process's exit code. Ctrl-C keeps what was printed. */
export async function runLatencyBench(bench: LatencyBench): Promise<number> {
  const started = performance.now();
  const children: Child[] = [];
  const sizes: SizeResult[] = [];
  const failed: string[] = [];
  try {
    const { context, run } = await bench.start();
    for (const transport of bench.transports) {
      const result = await run(transport, children);
      sizes.push(...result.sizes);
      failed.push(...result.failed);
    }
    const elapsed = (performance.now() - started) / 1000;
    const { plan } = bench;
    return finishRun({
      bench: bench.bench,
      context,
      footer: `Round trip = ${bench.roundTrip}. Whole run: ${elapsed.toFixed(1)} s.`,
      failed,
      save: plan.save,
      record: {
        mode: plan.quick ? "quick" : "full",
        transports: bench.transports,
        roundTrips: plan.count,
        warmup: plan.warmup,
        warmupMs: plan.warmupMs,
        rounds: plan.rounds,
        unit: "ns per round trip",
        sizes,
        elapsedSeconds: elapsed,
      },
    });
  } catch (error) {
    if (error instanceof Interrupted) return reportInterrupted(bench.bench, started);
    process.stderr.write(`${bench.bench} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  } finally {
    await stopLatencyChildren(children);
    removeIpcDirectory();
  }
}
