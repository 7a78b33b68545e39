// The throughput scenarios' results per transport and message size (bench/scenarios/measure.ts
// computes them: the median over rounds, the ratio to the libzmq→libzmq row of the same transport
// and size, bunzmq's best row ÷ zeromq.js's), their number formats, and one table per transport
// printed on stdout. No I/O besides console.log.

import { INTERRUPTED_MESSAGE } from "../harness/command.ts";
import type { Transport } from "../harness/transports.ts";

/** One implementation end to end: the table's bunzmq ÷ zeromq.js line compares these rows. */
export type RowFamily = "bunzmq" | "zeromq.js";

export interface RoundResult {
  avgNs?: number;
  msgsPerSec?: number;
  stats?: Record<string, unknown>;
  error?: string;
}

export interface RowResult {
  transport: Transport;
  label: string;
  interop: boolean;
  baseline: boolean;
  family: RowFamily | null;
  rounds: RoundResult[];
  /** Messages per iteration: the size's shared N, or the row's own (zeromq.js's). */
  count: number;
  /** Median over the rounds that completed; null if none did. */
  msgsPerSec: number | null;
  mbPerSec: number | null;
  /** msgsPerSec / the msgsPerSec of the libzmq→libzmq row of the same transport and size. */
  ratio: number | null;
  error?: string;
}

export interface SizeResult {
  transport: Transport;
  size: number;
  count: number;
  rows: RowResult[];
  /** The fastest bunzmq → bunzmq row's msgs/s ÷ the zeromq.js row's; null without both. */
  bunzmqVsZeromqjs: number | null;
}

export const sizeLabel = (size: number): string => {
  if (size >= 1 << 20 && size % (1 << 20) === 0) return `${size / (1 << 20)} MiB`;
  return size >= 1024 && size % 1024 === 0 ? `${size / 1024} KiB` : `${size} B`;
};
export const rate = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0));
/** The table's last line: per size, bunzmq's best row ÷ zeromq.js's (absent without zeromq.js rows). */
function printVersusZeromqjs(sizes: SizeResult[]): void {
  if (!sizes.some((s) => s.rows.some((r) => r.family === "zeromq.js"))) return;
  const each = sizes.map((s) => `${sizeLabel(s.size)} ${s.bunzmqVsZeromqjs === null ? "n/a" : `${s.bunzmqVsZeromqjs.toFixed(1)}×`}`);
  console.log(`bunzmq's best row ÷ zeromq.js (msgs/s, same run): ${each.join(", ")}`);
}

/**
 * Prints one transport's table: a heading `title` with N per size, then every size's rows; with
 * more than one round, also every round's figure.
 */
export function printTable(title: string, sizes: SizeResult[], rounds: number): void {
  const header = "implementation (sender → receiver)";
  const w = Math.max(header.length, ...sizes.flatMap((s) => s.rows.map((r) => r.label.length))) + 2;
  const multi = rounds > 1;
  const counts = sizes.map((s) => `${sizeLabel(s.size)} ${s.count.toLocaleString("en-US")}`).join(", ");
  // Rows calibrated on their own (zeromq.js's; curve.ts's NULL reference rows), by label.
  const own = new Map<string, string[]>();
  for (const s of sizes) {
    for (const r of s.rows.filter((r) => r.count !== s.count))
      own.set(r.label, [...(own.get(r.label) ?? []), `${sizeLabel(s.size)} ${r.count.toLocaleString("en-US")}`]);
  }
  const ownNote = [...own].map(([label, each]) => `\n  own N of ${label.replace(/\s+/g, " ")}: ${each.join(", ")}`).join("");
  console.log(`\n${title}\nN per iteration: ${counts}${multi ? `; median of ${rounds} interleaved rounds` : ""}${ownNote}`);
  console.log(
    `${"size".padEnd(8)}${header.padEnd(w)} ${"msgs/s".padStart(10)} ${"MB/s".padStart(8)}  ` +
      `${"vs libzmq".padStart(9)}${multi ? "   rounds (msgs/s)" : ""}`,
  );
  console.log("-".repeat(8 + w + 32 + (multi ? 30 : 0)));
  for (const { size, rows } of sizes) {
    for (const r of rows) {
      const lead = `${sizeLabel(size).padEnd(8)}${r.label.padEnd(w)}`;
      if (r.msgsPerSec === null) {
        // A row Ctrl-C kept from running did not fail: say so.
        const notRun = r.error === INTERRUPTED_MESSAGE;
        console.log(`${lead} ${(notRun ? "not run" : "FAILED").padStart(10)}   ${r.error ?? ""}`);
        continue;
      }
      const spread = multi ? `   ${r.rounds.map((x) => (x.msgsPerSec === undefined ? "err" : rate(x.msgsPerSec))).join(" / ")}` : "";
      const ratio = r.ratio === null ? "n/a" : r.baseline ? "1.00×" : `${r.ratio.toFixed(2)}×`;
      console.log(`${lead} ${rate(r.msgsPerSec).padStart(10)} ${r.mbPerSec!.toFixed(1).padStart(8)}  ${ratio.padStart(9)}${spread}`);
      if (r.error) console.log(`${"".padEnd(8 + w)}   (some rounds ${r.error === INTERRUPTED_MESSAGE ? "not run" : "failed"}: ${r.error})`);
    }
  }
  printVersusZeromqjs(sizes);
}
