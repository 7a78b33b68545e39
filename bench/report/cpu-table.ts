// The I/O-thread bench's CPU table: per throughput row and ioThreads, the CPU microseconds each
// message cost the application thread, the sender's other threads and the receiver process
// (bench/harness/thread-cpu.ts measures them), and the two ceilings those costs put on the rate:
//   app bound        1 s ÷ the application thread's cost: no faster while that thread is busy
//   two-core bound   2 s ÷ the total: no faster while every thread shares this machine's 2 cores
// The measured rate sits under the lower of the two. Moving engines into a Worker lowers the first
// and adds the hop to the second; threads can only win a row whose app bound is the lower one.
// "starved" is the share of the window the application thread was runnable but had no CPU: other
// processes on a busy machine, or this run's own threads outnumbering the cores.
// No I/O besides console.log.

import type { CpuSplit } from "../harness/thread-cpu.ts";

/** One throughput row: its measured rate per ioThreads and each side's CPU per message. */
export interface CpuRow {
  name: string;
  rate: Record<number, number>;
  cpu: Partial<Record<number, CpuSplit>>;
}

const CORES = 2;

const middle = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

/** The median of each side over rounds (each side on its own: rounds vary independently). */
export function medianSplit(splits: CpuSplit[]): CpuSplit {
  return {
    app: middle(splits.map((split) => split.app)),
    others: middle(splits.map((split) => split.others)),
    receiver: middle(splits.map((split) => split.receiver)),
    appStarved: middle(splits.map((split) => split.appStarved)),
  };
}

const rate = (perSecond: number) => (perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(2)} M` : `${(perSecond / 1e3).toFixed(1)} k`);

/** Prints one line per row and ioThreads; nothing when no row has CPU figures. */
export function printCpuTable(rows: CpuRow[]): void {
  if (rows.length === 0) return;
  console.log("\nCPU µs per message: application thread, the sender's other threads (I/O Workers, GC helpers), the receiver process;");
  console.log(
    `app bound = 1 s ÷ app, two-core bound = ${CORES} s ÷ total; starved = share of the wall time the application thread waited for a CPU`,
  );
  const header = `${"row".padEnd(38)} io    app  others  receiver  total   app bound  two-core bound  measured  starved`;
  console.log(header);
  console.log("-".repeat(header.length));
  for (const row of rows) {
    for (const [threads, split] of Object.entries(row.cpu)) {
      if (split === undefined) continue;
      const total = split.app + split.others + split.receiver;
      const cells = [split.app, split.others, split.receiver, total].map((us, i) => us.toFixed(2).padStart(i === 2 ? 8 : 6));
      console.log(
        `${row.name.padEnd(38)} ${threads.padStart(2)} ${cells.join("  ")}  ${rate(1e6 / split.app).padStart(10)}  ${rate((CORES * 1e6) / total).padStart(14)}  ${rate(row.rate[Number(threads)]!).padStart(8)}  ${`${(split.appStarved * 100).toFixed(0)} %`.padStart(7)}`,
      );
    }
  }
}
