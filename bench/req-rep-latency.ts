// REQ <-> REP round-trip latency over TCP loopback, bunzmq against libzmq 4.3.x in the same run.
// Run: `bun run bench:latency` (~30 s) or `bun run bench:latency --quick` (<20 s).
//
// Design (bench/README.md, "REQ/REP latency", says how to read it):
// - Every implementation is measured the same way: for each row, one REP child process (bound to
//   tcp://127.0.0.1:*, echoing) and one REQ child process (connected to it) that times every
//   round trip itself — see bench/req-rep-fixture.ts. This process only orchestrates over the
//   children's stdin/stdout; nothing it does runs during a round trip.
// - Per size: WARM (1,000 round trips, not recorded) for every row, then ROUNDS interleaved rounds
//   (A, B, A, B, ...) of COUNT/ROUNDS recorded round trips each; then each client reports the
//   percentiles over all its recorded round trips of that size (default 4 × 5,000 = 20,000).
// - The table shows median, p90 and p99 per round trip in µs, and bunzmq / libzmq for the median
//   and the p99 (lower is better). perf-anchors.md quotes one-way latency = round trip / 2.
// - Until src/index.ts exports Request and Reply, the bunzmq row prints "not available yet".
//
// Options: --quick (5,000 round trips after 500 warm-up, one round), --sizes 64,4096,
//          --count N, --warmup N, --rounds N, --no-save.

import { bunzmqReqRep } from "./req-rep-fixture.ts";
import { Child } from "./child.ts";
import { contextLine, runContext, saveRecord } from "./run-record.ts";
import { sizeLabel } from "./table.ts";

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const value = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const QUICK = flag("--quick");
const SAVE = !flag("--no-save");
const SIZES = (value("--sizes") ?? "64,4096").split(",").map(Number);
const COUNT = Number(value("--count") ?? (QUICK ? 5_000 : 20_000));
const WARMUP = Number(value("--warmup") ?? (QUICK ? 500 : 1_000));
const ROUNDS = Number(value("--rounds") ?? (QUICK ? 1 : 4));
/** A client that does not answer a control line within this long is hung (its row fails). */
const ANSWER_MS = 60_000;

interface Stats {
  n: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

interface Row {
  label: string;
  impl: "bunzmq" | "libzmq";
  baseline: boolean;
  client: Child | null;
  /** Why the row has no figures (not available, or failed). */
  error: string | null;
}

interface RowResult {
  label: string;
  stats: Stats | null;
  roundMediansNs: number[];
  ratioP50: number | null;
  ratioP99: number | null;
  error: string | null;
}

const us = (ns: number) => (ns / 1000).toFixed(1);

async function runRow(row: Row, line: string): Promise<string | null> {
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

function printTable(size: number, results: RowResult[]): void {
  const w = Math.max(...results.map((r) => r.label.length)) + 2;
  console.log(`\n${sizeLabel(size)} request and reply — ${COUNT.toLocaleString("en-US")} round trips per row after ${WARMUP.toLocaleString("en-US")} warm-up${ROUNDS > 1 ? `, ${ROUNDS} interleaved rounds` : ""}`);
  console.log(
    `${"implementation (REQ ↔ REP)".padEnd(w)} ${"p50 µs".padStart(8)} ${"p90 µs".padStart(8)} ${"p99 µs".padStart(8)} ${"max µs".padStart(8)}  ` +
      `${"p50 vs libzmq".padStart(13)} ${"p99 vs libzmq".padStart(13)}${ROUNDS > 1 ? "   p50 per round (µs)" : ""}`,
  );
  console.log("-".repeat(w + 68 + (ROUNDS > 1 ? 28 : 0)));
  for (const r of results) {
    if (!r.stats) {
      console.log(`${r.label.padEnd(w)} ${r.error ?? "no data"}`);
      continue;
    }
    const ratio = (x: number | null) => (x === null ? "n/a" : `${x.toFixed(2)}×`);
    const rounds = ROUNDS > 1 ? `   ${r.roundMediansNs.map(us).join(" / ")}` : "";
    console.log(
      `${r.label.padEnd(w)} ${us(r.stats.p50).padStart(8)} ${us(r.stats.p90).padStart(8)} ${us(r.stats.p99).padStart(8)} ${us(r.stats.max).padStart(8)}  ` +
        `${ratio(r.ratioP50).padStart(13)} ${ratio(r.ratioP99).padStart(13)}${rounds}`,
    );
  }
}

async function main(): Promise<number> {
  const started = performance.now();
  const context = runContext();
  console.log(`REQ ↔ REP round trip over tcp://127.0.0.1, REQ and REP in two child processes — ${contextLine(context)}${QUICK ? ", --quick" : ""}`);
  const children: Child[] = [];
  const rows: Row[] = [
    { label: "bunzmq ↔ bunzmq", impl: "bunzmq", baseline: false, client: null, error: null },
    { label: "libzmq ↔ libzmq", impl: "libzmq", baseline: true, client: null, error: null },
  ];
  const sizes: Array<{ size: number; rows: RowResult[] }> = [];
  let exitCode = 0;
  try {
    const bunzmqReady = (await bunzmqReqRep()) !== null;
    for (const row of rows) {
      if (row.impl === "bunzmq" && !bunzmqReady) {
        row.error = "not available yet (src/index.ts exports no Request/Reply)";
        continue;
      }
      try {
        const server = await Child.spawn(`${row.impl} REP`, "req-rep-fixture.ts", ["rep", row.impl]);
        children.push(server);
        const client = await Child.spawn(`${row.impl} REQ`, "req-rep-fixture.ts", ["req", row.impl, server.endpoint]);
        children.push(client);
        if (client.hello !== "READY") throw new Error(`REQ said "${client.hello}"`);
        row.client = client;
      } catch (error) {
        row.error = `failed to start: ${(error as Error).message}`;
      }
    }
    const perRound = Math.max(1, Math.round(COUNT / ROUNDS));
    for (const size of SIZES) {
      for (const row of rows) await runRow(row, `WARM ${WARMUP} ${size}`);
      const medians = new Map<Row, number[]>(rows.map((r) => [r, []]));
      for (let round = 0; round < ROUNDS; round++) {
        for (const row of rows) {
          const answer = await runRow(row, `RUN ${perRound} ${size}`);
          if (answer) medians.get(row)!.push(Number(answer.split(" ")[2]));
        }
      }
      const results: RowResult[] = [];
      for (const row of rows) {
        const answer = await runRow(row, "STATS");
        let stats: Stats | null = null;
        if (answer) {
          const [n, min, p50, p90, p99, max, mean] = answer.split(" ").slice(1).map(Number);
          stats = { n: n!, min: min!, p50: p50!, p90: p90!, p99: p99!, max: max!, mean: mean! };
        }
        results.push({ label: row.label, stats, roundMediansNs: medians.get(row)!, ratioP50: null, ratioP99: null, error: row.error });
      }
      const base = results[rows.findIndex((r) => r.baseline)]?.stats ?? null;
      for (const r of results) {
        if (!r.stats || !base) continue;
        r.ratioP50 = r.stats.p50 / base.p50;
        r.ratioP99 = r.stats.p99 / base.p99;
      }
      process.stderr.write(`${sizeLabel(size)}: ${results.map((r) => `${r.label} ${r.stats ? `${us(r.stats.p50)} µs` : "—"}`).join(", ")}\n`);
      printTable(size, results);
      sizes.push({ size, rows: results });
    }
    const elapsed = (performance.now() - started) / 1000;
    console.log(`\nRound trip = send one request + receive its reply, timed in the REQ's own process. Whole run: ${elapsed.toFixed(1)} s.`);
    const failed = rows.filter((r) => r.error?.startsWith("failed"));
    if (failed.length > 0) {
      console.log(`FAILED rows (exit code 1): ${failed.map((r) => `${r.label}: ${r.error}`).join("; ")}`);
      exitCode = 1;
    }
    if (SAVE) {
      const path = saveRecord("req-rep-latency", context, {
        mode: QUICK ? "quick" : "full",
        roundTrips: COUNT,
        warmup: WARMUP,
        rounds: ROUNDS,
        unit: "ns per round trip",
        sizes,
        elapsedSeconds: elapsed,
      });
      console.log(`Results: ${path}`);
    }
  } catch (error) {
    process.stderr.write(`req-rep-latency failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    exitCode = 1;
  } finally {
    // Clients first (their REQ closes), then the servers.
    await Promise.all(children.filter((c) => c.hello === "READY").map((c) => c.stop()));
    await Promise.all(children.filter((c) => c.hello !== "READY").map((c) => c.stop()));
  }
  return exitCode;
}

process.exitCode = await main();
