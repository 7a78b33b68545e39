// The `swap` option (docs/swap.md): how fast a socket spills messages to disk beside how fast the
// same disk takes the same bytes in the same run, what a send costs while spilling, how fast the
// spilled messages drain, and the RSS it takes. The measured side is a child process
// (bench/fixtures/swap-fixture.ts) so that the RSS is its alone. For each message size and mode: a
// connecting PUSH with no peer yet takes `--megabytes` of messages by trySend (all past the
// high-water mark, so all spilled); then the same bytes are written to a file on the same file
// system with one write(2) per 256 KiB batch (the queue's batch size); then a PULL binds and
// receives them all. Ratio = spill MB/s ÷ the disk's MB/s, both over the bytes of the swap files
// (records: payload plus 16 bytes a message). Medians of interleaved repeats. Mode `spill` (swap
// alone) and the baseline never fsync: both measure the write path into the page cache, which is
// what a spill costs; mode `durable` (a swapDirectory journal, swapSync "batch") adds an fsync per
// batch, which the baseline does not, so its ratio shows what durability costs.
// Run: `bun run bench:swap [options]` (`--help`). Ctrl-C: the run under way ends, the rows printed
// stand, nothing is saved (exit 130).

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMMON_OPTIONS, Interrupted, benchCommand, reportInterrupted } from "../harness/command.ts";
import { Child } from "../harness/child.ts";
import { contextLine, finishRun, runContext } from "../report/run-record.ts";

const USAGE = `
usage: bun run bench:swap [options]

Spill throughput of the swap option beside the disk's own sequential write speed in the same run,
send latency while spilling, drain throughput and RSS, per message size.

options:
  --quick              64 MB per size, one repeat
  --sizes LIST         message sizes in bytes (default 16,256,4096)
  --megabytes N        payload per size and repeat (default 256)
  --repeats N          interleaved repeats, the median reported (default 3)
  --modes LIST         spill (swap alone), durable (a journal, fsync per batch) or both (default)
  --directory PATH     the baseline's and the journal's directory (default: a new one under the
                       system's tmpdir, where spill files go)
  --no-save            do not write bench/results/*.json
`;
const { cli, interrupt } = benchCommand("swap", USAGE, {
  ...COMMON_OPTIONS,
  sizes: { type: "string" },
  megabytes: { type: "string" },
  repeats: { type: "string" },
  modes: { type: "string" },
  directory: { type: "string" },
});
const MODES = cli.text("modes", "spill,durable").split(",");
if (MODES.some((mode) => mode !== "spill" && mode !== "durable")) cli.fail("--modes: spill, durable or both");
const QUICK = cli.flag("quick");
const SIZES = cli.numbers("sizes", "16,256,4096");
const MEGABYTES = cli.number("megabytes", QUICK ? 64 : 256);
const REPEATS = cli.number("repeats", QUICK ? 1 : 3);

interface Sample {
  spillSeconds: number;
  bytesOnDisk: number;
  diskSeconds: number;
  drainSeconds: number;
  latencyUs: { p50: number; p99: number; p999: number; max: number };
  rssGrowth: number;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const mbps = (bytes: number, seconds: number): number => bytes / 1e6 / seconds;

function row(size: number, count: number, samples: Sample[]): Record<string, number> {
  const m = (pick: (s: Sample) => number): number => median(samples.map(pick));
  const spill = m((s) => mbps(s.bytesOnDisk, s.spillSeconds));
  const disk = m((s) => mbps(s.bytesOnDisk, s.diskSeconds));
  return {
    size,
    count,
    spillMessagesPerSecond: Math.round(m((s) => count / s.spillSeconds)),
    spillMBps: Math.round(spill),
    diskMBps: Math.round(disk),
    ratio: Math.round(m((s) => s.diskSeconds / s.spillSeconds) * 100) / 100,
    drainMessagesPerSecond: Math.round(m((s) => count / s.drainSeconds)),
    p50Us: m((s) => s.latencyUs.p50),
    p99Us: m((s) => s.latencyUs.p99),
    p999Us: m((s) => s.latencyUs.p999),
    maxUs: m((s) => s.latencyUs.max),
    rssGrowthMiB: Math.round((m((s) => s.rssGrowth) / 2 ** 20) * 10) / 10,
  };
}

function printRow(mode: string, r: Record<string, number>): void {
  console.log(
    `${mode.padEnd(8)}${String(r.size).padStart(6)} B  ${String(r.count).padStart(9)} msgs  spill ${String(r.spillMessagesPerSecond).padStart(9)} msg/s ` +
      `${String(r.spillMBps).padStart(5)} MB/s  disk ${String(r.diskMBps).padStart(5)} MB/s  ratio ${r.ratio!.toFixed(2)}  ` +
      `send p50 ${r.p50Us} µs p99 ${r.p99Us} µs p99.9 ${r.p999Us} µs max ${r.maxUs} µs  ` +
      `drain ${String(r.drainMessagesPerSecond).padStart(9)} msg/s  RSS +${r.rssGrowthMiB} MiB`,
  );
}

async function main(): Promise<number> {
  const startedAt = performance.now();
  const context = runContext();
  console.log(contextLine(context));
  const chosen = cli.text("directory");
  const directory = chosen ?? mkdtempSync(join(tmpdir(), "bunzmq-bench-swap-"));
  console.log(`swap files in ${directory}; ${MEGABYTES} MB of payload per size, median of ${REPEATS}\n`);
  const keys = MODES.flatMap((mode) => SIZES.map((size) => ({ mode, size, key: `${mode} ${size}` })));
  const samples = new Map<string, Sample[]>(keys.map(({ key }) => [key, []]));
  const rows: Array<Record<string, number | string>> = [];
  const failed: string[] = [];
  try {
    for (let repeat = 0; repeat < REPEATS; repeat++) {
      for (const { mode, size, key } of keys) {
        interrupt.check();
        const child = await Child.spawn(`swap ${key} B`, new URL("../fixtures/swap-fixture.ts", import.meta.url), []);
        try {
          const count = Math.ceil((MEGABYTES * 1e6) / size);
          const answer = await child.askWithin(`${size} ${count} ${directory} ${mode}`, 600_000);
          if (!answer.startsWith("DONE ")) failed.push(`${key} B: ${answer}`);
          else samples.get(key)!.push(JSON.parse(answer.slice(5)) as Sample);
        } finally {
          await child.stop();
        }
      }
    }
    for (const { mode, size, key } of keys) {
      const got = samples.get(key)!;
      if (got.length === 0) continue;
      const r = row(size, Math.ceil((MEGABYTES * 1e6) / size), got);
      rows.push({ mode, ...r });
      printRow(mode, r);
    }
  } catch (error) {
    if (error instanceof Interrupted) return reportInterrupted("bench:swap", startedAt);
    throw error;
  } finally {
    if (chosen === undefined) rmSync(directory, { recursive: true, force: true });
  }
  return finishRun({
    bench: "swap",
    context,
    footer: "ratio = spill MB/s ÷ the same disk's MB/s for the same bytes in one write per 256 KiB (1.00: as fast as the disk)",
    failed,
    save: !cli.flag("no-save"),
    record: { sizes: SIZES, modes: MODES, megabytes: MEGABYTES, repeats: REPEATS, rows },
  });
}

process.exit(await main());
