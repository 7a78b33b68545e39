// DEALER → ROUTER request throughput with a fixed number of requests in flight, over tcp and ipc,
// bunzmq beside libzmq 4.3.x in the same run. Run: `bun run bench:dealer-router` (~1 min) or
// `bun run bench:dealer-router --quick` (~12 s).
//
// Design (docs/benchmarks.md, "DEALER → ROUTER", says how to read it):
// - Every row has two child processes (bench/fixtures/dealer-router-fixture.ts): a ROUTER that echoes every
//   request to its sender, and a DEALER that keeps IN_FLIGHT requests outstanding and times itself.
//   Both sides of a row are one implementation. This process only sends control lines between
//   batches; nothing it does runs while requests are in flight.
// - Transport by transport (each one's children stopped before the next), per size: each row
//   warms up for WARM_MS, and its last warm-up batch's rate helps set N (the requests per round,
//   the same for every row: about TARGET_MS at the geometric mean of the rows' rates), then ROUNDS
//   interleaved rounds (A B C, A B C, ...). A row's figure is the median over its rounds of
//   N / (first send → last reply); its p50 and p99 are over every request of every round.
//
// Options: USAGE below (`--help`). Ctrl-C: the round under way ends, the transports' tables printed
// so far stand, the rest is not measured, nothing is saved (exit 130).

import { benchCommand, COMMON_OPTIONS, Interrupted, reportInterrupted } from "../harness/command.ts";
import { Child } from "../harness/child.ts";
import {
  type Impl,
  type NetTransport,
  printDealerRouterTable,
  type RoundResult,
  type RowResult,
  type SizeResult,
} from "../report/dealer-router-table.ts";
import { contextLine, finishRun, runContext } from "../report/run-record.ts";
import { rate, sizeLabel } from "../report/table.ts";
import { bindEndpoint, parseTransports, removeIpcDirectory } from "../harness/transports.ts";

const USAGE = `
usage: bun run bench:dealer-router [options]

DEALER → ROUTER echo throughput with requests in flight, bunzmq beside libzmq, over tcp and ipc.

options:
  --quick              one short round (~12 s)
  --sizes 64,4096      message sizes in bytes
  --transports LIST    tcp and/or ipc (two processes per row: no inproc)
  --rounds N           interleaved rounds (default 3; --quick 1)
  --count N            requests per round (default: calibrated to ~1 s)
  --warmup N           requests per warm-up batch (default 10,000)
  --in-flight N        requests each DEALER keeps outstanding (default 100)
  --no-save            do not write bench/results/*.json
`;
const { cli, interrupt } = benchCommand("dealer-router", USAGE, {
  ...COMMON_OPTIONS,
  sizes: { type: "string" },
  transports: { type: "string" },
  rounds: { type: "string" },
  count: { type: "string" },
  warmup: { type: "string" },
  "in-flight": { type: "string" },
});
const QUICK = cli.flag("quick");
const SAVE = !cli.flag("no-save");
const SIZES = cli.numbers("sizes", "64,4096");
const ROUNDS = cli.number("rounds", QUICK ? 1 : 3);
const FIXED_COUNT = cli.number("count") ?? null;
const WARMUP = cli.number("warmup", 10_000);
/** How long each row warms up per size, in batches of WARMUP requests. */
const WARM_MS = QUICK ? 500 : 1500;
const IN_FLIGHT = cli.number("in-flight", 100);
/** A round's target length at the rows' mean rate. */
const TARGET_MS = QUICK ? 250 : 1000;
/** A DEALER that does not answer a control line within this long is hung (its row fails). */
const ANSWER_MS = 60_000;

/** Both sides of every row: a ROUTER that echoes, a DEALER that keeps requests in flight. */
const FIXTURE = new URL("../fixtures/dealer-router-fixture.ts", import.meta.url);

// Two processes per row: inproc cannot connect them.
const TRANSPORTS = cli.convert("transports", (text) => parseTransports(text ?? "tcp,ipc"));
if (TRANSPORTS.includes("inproc")) cli.fail("--transports: inproc cannot connect two processes; use tcp and/or ipc");

interface Row {
  label: string;
  impl: Impl;
  baseline: boolean;
  dealer: Child | null;
  /** Why the row has no (more) figures. */
  error: string | null;
}

const ROWS: ReadonlyArray<Pick<Row, "label" | "impl" | "baseline">> = [
  { label: "bunzmq  send/receive (zeromq.js API)", impl: "bunzmq", baseline: false },
  { label: "bunzmq  receiveBatch + trySend", impl: "bunzmq-batch", baseline: false },
  { label: "libzmq  zmq_send + zmq_msg_recv", impl: "libzmq", baseline: true },
];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Sends one control line to the row's DEALER; the answer's words, or null once the row has failed. */
async function ask(row: Row, line: string): Promise<string[] | null> {
  if (!row.dealer || row.error) return null;
  try {
    const answer = await row.dealer.askWithin(line, ANSWER_MS);
    if (!answer.startsWith("DONE") && !answer.startsWith("STATS")) throw new Error(answer);
    return answer.split(" ");
  } catch (error) {
    row.error = `failed: ${(error as Error).message}`;
    return null;
  }
}

/**
 * Warms every row up for WARM_MS in batches of WARMUP requests (the children's JIT tiers up over
 * the first ~100k requests; a short warm-up measures the interpreter), then returns N for the
 * size: the last batches' rates' geometric mean × TARGET_MS, at least 10 × IN_FLIGHT.
 */
async function warmUp(rows: Row[], size: number): Promise<number> {
  const rates: number[] = [];
  for (const row of rows) {
    let last = 0;
    for (let spentNs = 0; spentNs < WARM_MS * 1e6; ) {
      const words = await ask(row, `WARM ${WARMUP} ${size}`);
      if (!words) break;
      spentNs += Number(words[2]);
      last = WARMUP / (Number(words[2]) / 1e9);
    }
    if (last > 0) rates.push(last);
  }
  if (FIXED_COUNT !== null) return FIXED_COUNT;
  if (rates.length === 0) return WARMUP;
  const mean = Math.exp(rates.reduce((sum, r) => sum + Math.log(r), 0) / rates.length);
  return Math.max(10 * IN_FLIGHT, Math.round((mean * TARGET_MS) / 1000 / 1000) * 1000);
}

/** One transport and size: warm-up, the interleaved rounds, every row's statistics and ratio. */
async function measureSize(transport: NetTransport, rows: Row[], size: number): Promise<SizeResult> {
  interrupt.check();
  const count = await warmUp(rows, size);
  const rounds = new Map<Row, RoundResult[]>(rows.map((r) => [r, []]));
  for (let round = 0; round < ROUNDS; round++) {
    interrupt.check();
    for (const row of rows) {
      const words = await ask(row, `RUN ${count} ${size}`);
      const elapsedNs = Number(words?.[2]);
      rounds.get(row)!.push(words ? { requestsPerSec: count / (elapsedNs / 1e9), elapsedNs } : { error: row.error ?? "not run" });
    }
  }
  const results: RowResult[] = [];
  for (const row of rows) {
    const words = await ask(row, "STATS");
    const ok = rounds.get(row)!.flatMap((r) => (r.requestsPerSec === undefined ? [] : [r.requestsPerSec]));
    results.push({
      transport,
      label: row.label,
      impl: row.impl,
      baseline: row.baseline,
      rounds: rounds.get(row)!,
      requestsPerSec: ok.length > 0 ? median(ok) : null,
      ratio: null,
      latency: words ? { n: Number(words[1]), p50: Number(words[2]), p99: Number(words[3]) } : null,
      error: row.error,
    });
  }
  const base = results.find((r) => r.baseline)?.requestsPerSec ?? null;
  for (const r of results) r.ratio = base === null || r.requestsPerSec === null ? null : r.requestsPerSec / base;
  process.stderr.write(
    `${transport} ${sizeLabel(size)} N=${count}: ${results.map((r) => `${r.label} ${r.requestsPerSec === null ? "—" : rate(r.requestsPerSec)}`).join(", ")}\n`,
  );
  return { transport, size, count, rows: results };
}

/** Stops DEALERs first (each closes its socket), then the ROUTERs. */
async function stopAll(children: Child[]): Promise<void> {
  await Promise.all(children.filter((c) => c.hello === "READY").map((c) => c.stop()));
  await Promise.all(children.filter((c) => c.hello !== "READY").map((c) => c.stop()));
  children.length = 0;
}

/** Starts a row's ROUTER, then its DEALER connected to it (both collected in `children`). */
async function startRow(transport: NetTransport, row: Row, children: Child[]): Promise<void> {
  const router = await Child.spawn(`${row.impl} ${transport} ROUTER`, FIXTURE, ["router", row.impl, bindEndpoint(transport)]);
  children.push(router);
  const dealer = await Child.spawn(`${row.impl} ${transport} DEALER`, FIXTURE, ["dealer", row.impl, router.endpoint, String(IN_FLIGHT)]);
  children.push(dealer);
  if (dealer.hello !== "READY") throw new Error(`DEALER said "${dealer.hello}"`);
  row.dealer = dealer;
}

/** One transport's rows, sizes and table; its children are stopped before it returns. */
async function runTransport(transport: NetTransport, children: Child[]): Promise<{ sizes: SizeResult[]; failed: string[] }> {
  const rows: Row[] = ROWS.map((r) => ({ ...r, dealer: null, error: null }));
  try {
    for (const row of rows) {
      await startRow(transport, row, children).catch((error) => (row.error = `failed to start: ${(error as Error).message}`));
    }
    const sizes: SizeResult[] = [];
    for (const size of SIZES) sizes.push(await measureSize(transport, rows, size));
    printDealerRouterTable(transport, sizes, ROUNDS, IN_FLIGHT);
    return { sizes, failed: rows.filter((r) => r.error !== null).map((r) => `${transport} ${r.label}: ${r.error}`) };
  } finally {
    await stopAll(children);
  }
}

async function main(): Promise<number> {
  const started = performance.now();
  const context = runContext();
  console.log(
    `DEALER → ROUTER, ${IN_FLIGHT} requests in flight, over ${TRANSPORTS.join(", ")} — ${contextLine(context)}${QUICK ? ", --quick" : ""}`,
  );
  const children: Child[] = [];
  const sizes: SizeResult[] = [];
  const failed: string[] = [];
  let exitCode = 0;
  try {
    for (const transport of TRANSPORTS as NetTransport[]) {
      const result = await runTransport(transport, children);
      sizes.push(...result.sizes);
      failed.push(...result.failed);
    }
    const elapsed = (performance.now() - started) / 1000;
    exitCode = finishRun({
      bench: "dealer-router",
      context,
      footer: `req/s = requests / (first send → last reply), timed in the DEALER's process; p50/p99 per request (send → its reply). Whole run: ${elapsed.toFixed(1)} s.`,
      failed,
      save: SAVE,
      record: {
        mode: QUICK ? "quick" : "full",
        transports: TRANSPORTS,
        inFlight: IN_FLIGHT,
        warmup: WARMUP,
        rounds: ROUNDS,
        unit: "requests per second; latency in ns per request",
        sizes,
        elapsedSeconds: elapsed,
      },
    });
  } catch (error) {
    if (error instanceof Interrupted) return reportInterrupted("dealer-router", started);
    process.stderr.write(`dealer-router failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    exitCode = 1;
  } finally {
    await stopAll(children);
    removeIpcDirectory();
  }
  return exitCode;
}

process.exitCode = await main();
