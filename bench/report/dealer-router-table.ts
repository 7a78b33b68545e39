// The DEALER → ROUTER bench's results (bench/scenarios/dealer-router.ts) and its table: one per
// transport, req/s per row and size with the ratio to libzmq's row and the per-request p50/p99.
// No I/O besides console.log.

import { type Transport, transportLabel } from "../harness/transports.ts";
import { rate, sizeLabel } from "./table.ts";

export type NetTransport = Exclude<Transport, "inproc">;
export type Impl = "bunzmq" | "bunzmq-batch" | "libzmq";

export interface RoundResult {
  requestsPerSec?: number;
  elapsedNs?: number;
  error?: string;
}

export interface RowResult {
  transport: NetTransport;
  label: string;
  impl: Impl;
  baseline: boolean;
  rounds: RoundResult[];
  /** Median over the rounds that completed; null if none did. */
  requestsPerSec: number | null;
  /** requestsPerSec / the libzmq row's, same transport and size. */
  ratio: number | null;
  /** Per request (send → its reply), ns, over every round. */
  latency: { n: number; p50: number; p99: number } | null;
  error: string | null;
}

export interface SizeResult {
  transport: NetTransport;
  size: number;
  count: number;
  rows: RowResult[];
}

const us = (ns: number) => (ns / 1000).toFixed(1);

/** One transport's table; `rounds` and `inFlight` as the run used them, for its heading. */
export function printDealerRouterTable(transport: NetTransport, sizes: SizeResult[], rounds: number, inFlight: number): void {
  const header = "implementation (DEALER → ROUTER echo)";
  const w = Math.max(header.length, ...sizes.flatMap((s) => s.rows.map((r) => r.label.length))) + 2;
  const multi = rounds > 1;
  const counts = sizes.map((s) => `${sizeLabel(s.size)} ${s.count.toLocaleString("en-US")}`).join(", ");
  console.log(`\n${transportLabel(transport)} — ROUTER and DEALER in two child processes, ${inFlight} requests in flight`);
  console.log(`requests per round: ${counts}${multi ? `; median of ${rounds} interleaved rounds` : ""}`);
  console.log(
    `${"size".padEnd(8)}${header.padEnd(w)} ${"req/s".padStart(9)}  ${"vs libzmq".padStart(9)} ${"p50 µs".padStart(8)} ${"p99 µs".padStart(8)}` +
      `${multi ? "   rounds (req/s)" : ""}`,
  );
  console.log("-".repeat(8 + w + 40 + (multi ? 28 : 0)));
  for (const { size, rows } of sizes) {
    for (const r of rows) {
      const lead = `${sizeLabel(size).padEnd(8)}${r.label.padEnd(w)}`;
      if (r.requestsPerSec === null) {
        console.log(`${lead} ${"FAILED".padStart(9)}   ${r.error ?? ""}`);
        continue;
      }
      const ratio = r.ratio === null ? "n/a" : `${r.ratio.toFixed(2)}×`;
      const latency = r.latency
        ? `${us(r.latency.p50).padStart(8)} ${us(r.latency.p99).padStart(8)}`
        : `${"—".padStart(8)} ${"—".padStart(8)}`;
      const spread = multi
        ? `   ${r.rounds.map((x) => (x.requestsPerSec === undefined ? "err" : rate(x.requestsPerSec))).join(" / ")}`
        : "";
      console.log(`${lead} ${rate(r.requestsPerSec).padStart(9)}  ${ratio.padStart(9)} ${latency}${spread}`);
      if (r.error) console.log(`${"".padEnd(8 + w)}   (${r.error})`);
    }
  }
}
