// The round-trip latency benches' results (bench/scenarios/req-rep-latency.ts and
// client-server-latency.ts) and their table: one per transport, p50/p90/p99/max per row and size in
// µs, each row's p50 and p99 against libzmq's, and zeromq.js ÷ bunzmq where zeromq.js ran. No I/O
// besides console.log.

import { type Transport, transportLabel } from "../harness/transports.ts";
import { sizeLabel } from "./table.ts";

/** Round-trip statistics of one row and size, in ns. */
export interface Stats {
  n: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export interface RowResult {
  transport: Transport;
  label: string;
  stats: Stats | null;
  roundMediansNs: number[];
  ratioP50: number | null;
  ratioP99: number | null;
  error: string | null;
}

export interface SizeResult {
  transport: Transport;
  size: number;
  rows: RowResult[];
  /** zeromq.js's p50 and p99 ÷ bunzmq's: how many times shorter bunzmq's round trip is. */
  zeromqjsOverBunzmq: { p50: number; p99: number } | null;
}

/** How the rows were measured, for the table's heading. */
export interface LatencyRun {
  count: number;
  warmup: number;
  warmupMs: number;
  rounds: number;
  /** The two sockets measured, client first (default REQ and REP). */
  roles?: readonly [string, string];
}

export const us = (ns: number) => (ns / 1000).toFixed(1);

/** One transport's table, with its heading. */
export function printLatencyTable(transport: Transport, sizes: SizeResult[], { count, warmup, warmupMs, rounds, roles }: LatencyRun): void {
  const [client, server] = roles ?? ["REQ", "REP"];
  const header = `implementation (${client} ↔ ${server})`;
  const w = Math.max(header.length, ...sizes.flatMap((s) => s.rows.map((r) => r.label.length))) + 2;
  const zeromqjs = sizes.some((s) => s.zeromqjsOverBunzmq !== null);
  const where =
    transport === "inproc"
      ? `${client} and ${server} in one child process (libzmq's ${server} in a Worker sharing the context)`
      : `${client} and ${server} in two child processes${zeromqjs ? " (zeromq.js's under Node)" : ""}`;
  console.log(`\n${transportLabel(transport)} — ${where}`);
  console.log(
    `${count.toLocaleString("en-US")} round trips per row and size after ${warmup.toLocaleString("en-US")} warm-up repeated for at least ${warmupMs.toLocaleString("en-US")} ms${rounds > 1 ? `, ${rounds} interleaved rounds` : ""}`,
  );
  console.log(
    `${"size".padEnd(8)}${header.padEnd(w)} ${"p50 µs".padStart(8)} ${"p90 µs".padStart(8)} ${"p99 µs".padStart(8)} ${"max µs".padStart(8)}  ` +
      `${"p50 vs libzmq".padStart(13)} ${"p99 vs libzmq".padStart(13)}${rounds > 1 ? "   p50 per round (µs)" : ""}`,
  );
  console.log("-".repeat(8 + w + 68 + (rounds > 1 ? 28 : 0)));
  for (const { size, rows } of sizes) {
    for (const r of rows) {
      const lead = `${sizeLabel(size).padEnd(8)}${r.label.padEnd(w)}`;
      if (!r.stats) {
        console.log(`${lead} ${r.error ?? "no data"}`);
        continue;
      }
      const ratio = (x: number | null) => (x === null ? "n/a" : `${x.toFixed(2)}×`);
      const perRound = rounds > 1 ? `   ${r.roundMediansNs.map(us).join(" / ")}` : "";
      console.log(
        `${lead} ${us(r.stats.p50).padStart(8)} ${us(r.stats.p90).padStart(8)} ${us(r.stats.p99).padStart(8)} ${us(r.stats.max).padStart(8)}  ` +
          `${ratio(r.ratioP50).padStart(13)} ${ratio(r.ratioP99).padStart(13)}${perRound}`,
      );
    }
  }
  if (!zeromqjs) return;
  const each = sizes.map(
    (s) =>
      `${sizeLabel(s.size)} ${s.zeromqjsOverBunzmq ? `p50 ${s.zeromqjsOverBunzmq.p50.toFixed(1)}×, p99 ${s.zeromqjsOverBunzmq.p99.toFixed(1)}×` : "n/a"}`,
  );
  console.log(`zeromq.js ÷ bunzmq (how many times shorter bunzmq's round trip is): ${each.join("; ")}`);
}
