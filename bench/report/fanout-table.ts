// The fan-out bench's table (bench/scenarios/pub-fanout.ts): per row msgs/s per subscriber, all
// subscribers, the ratio to libzmq, CPU ns per message of subscribers and publisher, and with
// --drop the publisher's rate and the worst drop rate; per round with more than one.

import { rate } from "./table.ts";

export interface BatchResult {
  /** Slowest subscriber's delivered msgs/s. */
  perSub: number;
  /** Fewest messages any subscriber received, as a share of N (1 in no-drop mode). */
  delivered: number;
  /** Publisher's msgs/s (send loop only). */
  published: number;
  /**
   * CPU ns per message: each subscriber process's (all its threads, libzmq's I/O thread too), the
   * mean over subscribers; and the publisher's, all SUBs together (null where it is a child, zeromq.js).
   * Load-independent where wall-clock rates are not: a busy machine delays a process more than it
   * makes its work cost more.
   */
  subCpuNs: number | null;
  pubCpuNs: number | null;
}

export interface RowResult {
  label: string;
  subscribers: number;
  count: number;
  rounds: BatchResult[];
  perSub: number | null;
  delivered: number | null;
  published: number | null;
  /** Medians over rounds of BatchResult's CPU figures. */
  subCpuNs: number | null;
  pubCpuNs: number | null;
  ratio: number | null;
  error: string | null;
}

/** How the run was made, for the table's heading. */
export interface FanoutRun {
  drop: boolean;
  rounds: number;
  hwm: number;
  size: number;
}

export function printFanoutTable(
  subCount: number,
  count: number,
  rows: RowResult[],
  { drop: DROP, rounds: ROUNDS, hwm: HWM, size: SIZE }: FanoutRun,
): void {
  const w = Math.max(...rows.map((r) => r.label.length)) + 2;
  console.log(
    `\n1 PUB → ${subCount} SUB, ${SIZE} B messages, ${DROP ? "plain PUB (drops at the HWM)" : "no drop (XPUB_NODROP / noDrop)"}, HWM ${HWM} — N = ${count.toLocaleString("en-US")} per batch` +
      `${ROUNDS > 1 ? `, median of ${ROUNDS} interleaved rounds` : ""}`,
  );
  console.log(
    `${"implementation".padEnd(w)} ${"msgs/s per SUB".padStart(15)} ${"all SUBs".padStart(9)} ${"vs libzmq".padStart(9)}` +
      ` ${"SUB CPU ns/msg".padStart(14)} ${"PUB CPU ns/msg".padStart(14)}` +
      `${DROP ? ` ${"published/s".padStart(11)} ${"drop %".padStart(7)}` : ""}${ROUNDS > 1 ? "   per SUB per round" : ""}`,
  );
  console.log("-".repeat(w + 66 + (DROP ? 20 : 0) + (ROUNDS > 1 ? 30 : 0)));
  for (const r of rows) {
    if (r.perSub === null) {
      console.log(`${r.label.padEnd(w)} ${"FAILED".padStart(15)}   ${r.error ?? ""}`);
      continue;
    }
    const ratio = r.ratio === null ? "n/a" : `${r.ratio.toFixed(2)}×`;
    const drop = DROP ? ` ${rate(r.published!).padStart(11)} ${((1 - r.delivered!) * 100).toFixed(1).padStart(7)}` : "";
    const spread = ROUNDS > 1 ? `   ${r.rounds.map((x) => rate(x.perSub)).join(" / ")}` : "";
    const cpu = (ns: number | null) => (ns === null ? "n/a" : ns.toFixed(0)).padStart(14);
    console.log(
      `${r.label.padEnd(w)} ${rate(r.perSub).padStart(15)} ${rate(r.perSub * subCount).padStart(9)} ${ratio.padStart(9)} ${cpu(r.subCpuNs)} ${cpu(r.pubCpuNs)}${drop}${spread}`,
    );
    if (r.error) console.log(`${"".padEnd(w)}   (some rounds failed: ${r.error})`);
  }
}
