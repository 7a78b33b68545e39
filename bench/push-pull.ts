// PUSH -> PULL throughput over TCP loopback between two processes, bunzmq against libzmq 4.3.x in
// the same run, driven by mitata. Run: `bun run bench` (~1 min) or `bun run bench --quick` (<30 s).
//
// Design: every implementation is measured the same way (bench/README.md says how to read it):
// - The SENDER is always this process; the RECEIVER is always a child process (bench/pull-fixture.ts)
//   with its own PULL, bound to tcp://127.0.0.1:*. Each sender/receiver pair has its own socket pair
//   and its own child, so idle pairs cost nothing and nothing is fair-queued between pairs.
// - One mitata iteration = one batch: write `<N> <size>` to the receiver's stdin, send N messages
//   of <size> bytes, then wait for the receiver's `OK <N> <bad>` line on its stdout. That line is
//   the only control traffic (one pipe write each way per batch, a few µs against 20–100 ms), and it
//   never touches the measured sockets. msgs/s = N / mitata's average iteration time, i.e. from
//   the first send to the receiver holding the last message, the same for both sides.
// - bunzmq sends the way users do: `trySend` in a loop, `await send()` once when it returns false
//   (the fast path), and a plain `await send()` loop as a second row. It receives with
//   `receiveBatch()`, counting messages and checking their size.
// - libzmq is driven through bun:ffi (FFI cost is ~10 ns a call, bun-notes §5) exactly as a C
//   program would: blocking zmq_send from one reused buffer on the sender; blocking zmq_msg_recv
//   into one reused zmq_msg_t, no copy out, on the receiver (perf-anchors caveat 4). One I/O thread
//   per context and HWM 1000 both ways, the libzmq defaults; bunzmq also keeps its defaults.
// - Rows of one size run interleaved in rounds (A, B, C, A, B, C, ...); a row's figure is the median
//   of its rounds and the ratio is bunzmq's median over libzmq→libzmq's median from the same run.
// - N is calibrated per size at start-up (after warm-up batches) so that an iteration takes ~50 ms
//   (quick: ~25 ms) at the geometric mean of the pairs' speeds; every row of that size uses it.
//   All sizes run in one mitata run() call (each call spends ~3 s measuring its own overhead).
// Children exit on their own when their stdin closes, i.e. when this process exits or dies.
//
// A pair that fails (a receiver reports `STALL`: no message for 2 s; a libzmq send finds no room for
// 5 s; a count or size mismatch) is marked broken: its rows print the error and the run goes on.
//
// Options: --quick (one round, shorter batches), --no-mixed (skip the bunzmq<->libzmq pairs),
//          --sizes 16,256,65536, --rounds N, --rcvhwm N (receive HWM of every receiver, default
//          1000 as in libzmq; 0 = unlimited), --no-save (do not write bench/results/*.json).

import { run, bench } from "mitata";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { Push } from "../src/index.ts";
import { RawSocket, ZMQ, cBuffer, libzmqVersion } from "./libzmq-raw.ts";
import { Receiver } from "./receiver.ts";

// ---------------------------------------------------------------------------------------------
// Options

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const value = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const QUICK = flag("--quick");
const MIXED = !flag("--no-mixed");
const SAVE = !flag("--no-save");
const SIZES = (value("--sizes") ?? "16,256,65536").split(",").map(Number);
const ROUNDS = Number(value("--rounds") ?? (QUICK ? 1 : 3));
const RCVHWM = Number(value("--rcvhwm") ?? 1000);
const TARGET_MS = QUICK ? 25 : 50;
/** Probe batch per size for calibration: ~10–30 ms for libzmq on a 2-vCPU VM. */
const probeCount = (size: number) => (size <= 256 ? 20_000 : size <= 8192 ? 5_000 : 150);
/** A libzmq sender that finds no room for this long gives up (its receiver is stuck). */
const SEND_TIMEOUT_MS = 5_000;
/** Last resort: no batch finished (or failed) for this long, so the bench reports a hang and exits. */
const WATCHDOG_MS = 60_000;
const ROOT = join(import.meta.dir, "..");

// ---------------------------------------------------------------------------------------------
// Pairs and rows

let lastProgress = performance.now();

interface Pair {
  name: string;
  receiver: Receiver;
  /** Sends one batch; resolves when the receiver reports all of it. */
  batch(size: number, count: number, mode?: "trySend" | "send"): Promise<void>;
  close(): void;
}

/**
 * Runs `attempt` unless the pair already failed; a failure marks it broken for good, because
 * messages of the failed batch may still be in flight (or stuck) between the two sockets.
 */
function guarded(name: string, attempt: Pair["batch"]): Pair["batch"] {
  let broken: Error | null = null;
  return async (size, count, mode) => {
    if (broken) throw new Error(`${name} unusable after an earlier failure: ${broken.message}`);
    try {
      await attempt(size, count, mode);
    } catch (error) {
      broken = error instanceof Error ? error : new Error(String(error));
      throw broken;
    } finally {
      lastProgress = performance.now();
    }
  };
}

function bodyFor(size: number): Uint8Array {
  const body = cBuffer(size).subarray(0, size);
  for (let i = 0; i < size; i++) body[i] = (i * 31 + 7) & 0xff;
  return body;
}

function bunzmqPair(name: string, receiver: Receiver): Pair {
  const push = new Push({ linger: 0 });
  push.connect(receiver.endpoint);
  const bodies = new Map<number, Uint8Array>();
  const sendFast = async (body: Uint8Array, count: number) => {
    for (let i = 0; i < count; i++) if (!push.trySend(body)) await push.send(body);
  };
  const sendPlain = async (body: Uint8Array, count: number) => {
    for (let i = 0; i < count; i++) await push.send(body);
  };
  return {
    name,
    receiver,
    batch: guarded(name, async (size, count, mode = "trySend") => {
      let body = bodies.get(size);
      if (!body) bodies.set(size, (body = bodyFor(size)));
      const ack = receiver.request(count, size);
      // all(): a receiver's STALL must end the iteration even while a send waits for room forever.
      await Promise.all([(mode === "trySend" ? sendFast : sendPlain)(body, count), ack]);
    }),
    close: () => push.close(),
  };
}

function libzmqPair(name: string, receiver: Receiver): Pair {
  const push = new RawSocket(ZMQ.PUSH);
  push.setInt(ZMQ.SNDTIMEO, SEND_TIMEOUT_MS); // a stuck receiver turns a blocked zmq_send into an error
  push.connect(receiver.endpoint);
  const bodies = new Map<number, Uint8Array>();
  return {
    name,
    receiver,
    batch: guarded(name, async (size, count) => {
      let body = bodies.get(size);
      if (!body) bodies.set(size, (body = bodyFor(size)));
      const ack = receiver.request(count, size);
      try {
        push.sendMany(body, size, count); // blocks this thread, like a C sender
      } catch (error) {
        // Prefer the receiver's account (STALL ...) if it has one ready.
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([ack, new Promise((resolve) => (timer = setTimeout(resolve, 100)))]).finally(() => clearTimeout(timer));
        throw error;
      }
      await ack;
    }),
    close: () => push.close(0),
  };
}

interface Row {
  label: string;
  pair: Pair;
  mode?: "trySend" | "send";
  /** This row is the libzmq baseline of the ratio column. */
  baseline?: boolean;
  interop?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Formatting

const sizeLabel = (size: number) => (size >= 1024 && size % 1024 === 0 ? `${size / 1024} KiB` : `${size} B`);
const rate = (n: number) =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
/** Two significant digits, so N reads well in the tables. */
function nice(n: number): number {
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(n)) - 1);
  return Math.max(1, Math.round(n / magnitude) * magnitude);
}

// ---------------------------------------------------------------------------------------------
// Main

function git(...args: string[]): string {
  try {
    return execFileSync("git", args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

/**
 * Picks N for one size: two warm-up batches per pair (JIT, TCP windows), then the best of three
 * timed probe batches, so a cold or disturbed probe does not skew N.
 */
async function calibrate(pairs: Pair[], size: number): Promise<number> {
  const probe = probeCount(size);
  const perMessageMs: number[] = [];
  const notes: string[] = [];
  for (const pair of pairs) {
    try {
      for (let i = 0; i < 2; i++) await pair.batch(size, probe);
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        await pair.batch(size, probe);
        best = Math.min(best, performance.now() - t0);
      }
      perMessageMs.push(best / probe);
      notes.push(`${pair.name} ${rate((1000 * probe) / best)}/s`);
    } catch (error) {
      notes.push(`${pair.name} FAILED`);
      process.stderr.write(`  ${sizeLabel(size)} probe: ${(error as Error).message}\n`);
    }
  }
  if (perMessageMs.length === 0) return probe;
  const geomean = Math.exp(perMessageMs.reduce((a, x) => a + Math.log(x), 0) / perMessageMs.length);
  const count = nice(Math.min(2_000_000, Math.max(20, TARGET_MS / geomean)));
  process.stderr.write(`${sizeLabel(size)}: probe ${notes.join(", ")} -> N = ${count}\n`);
  return count;
}

type Trial = Parameters<NonNullable<NonNullable<Parameters<typeof run>[0]>["observe"]>>[0];

interface RoundResult {
  avgNs?: number;
  msgsPerSec?: number;
  stats?: Record<string, unknown>;
  error?: string;
}

interface RowResult {
  label: string;
  interop: boolean;
  baseline: boolean;
  rounds: RoundResult[];
  /** Median over the rounds that completed; null if none did. */
  msgsPerSec: number | null;
  mbPerSec: number | null;
  /** msgsPerSec / the libzmq→libzmq row's msgsPerSec. */
  ratio: number | null;
  error?: string;
}

/** mitata's statistics without the samples and the generated benchmark source it also returns. */
function summaryOf(stats: object): Record<string, unknown> {
  const keep = ["min", "p25", "p50", "p75", "p99", "max", "avg", "ticks", "heap", "gc"];
  return Object.fromEntries(Object.entries(stats).filter(([key]) => keep.includes(key)));
}

interface SizeResult {
  size: number;
  count: number;
  rows: RowResult[];
}

function summarise(size: number, count: number, rows: Row[], rounds: Map<Row, RoundResult[]>): SizeResult {
  const out: RowResult[] = rows.map((row) => {
    const mine = rounds.get(row)!;
    const ok = mine.filter((r) => r.msgsPerSec !== undefined).map((r) => r.msgsPerSec!);
    const msgsPerSec = ok.length > 0 ? median(ok) : null;
    const result: RowResult = {
      label: row.label,
      interop: !!row.interop,
      baseline: !!row.baseline,
      rounds: mine,
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
  return { size, count, rows: out };
}

/**
 * Registers every size × round × row as one mitata bench and runs them in a single run() (each
 * run() call spends ~3 s measuring its own overhead). Within a size the rows are interleaved by
 * round; a size's table is printed as soon as its last bench finished.
 */
async function measureAll(rows: Row[], counts: Map<number, number>): Promise<SizeResult[]> {
  const plan = new Map<string, { row: Row; size: number }>();
  const rounds = new Map<number, Map<Row, RoundResult[]>>();
  const remaining = new Map<number, number>();
  const done: SizeResult[] = [];
  for (const size of SIZES) {
    const count = counts.get(size)!;
    rounds.set(size, new Map(rows.map((r) => [r, []])));
    remaining.set(size, ROUNDS * rows.length);
    for (let round = 1; round <= ROUNDS; round++) {
      for (const row of rows) {
        const name = `${sizeLabel(size)} ${row.label} #${round}`;
        plan.set(name, { row, size });
        const { pair, mode } = row;
        bench(name, () => pair.batch(size, count, mode));
      }
    }
  }
  await run({
    format: "quiet",
    throw: false, // a failing pair becomes an error row; the others still run
    observe: (t: Trial) => {
      for (const r of t.runs) {
        const { row, size } = plan.get(r.name)!;
        const count = counts.get(size)!;
        const mine = rounds.get(size)!.get(row)!;
        if (r.error || !r.stats) {
          const message = r.error instanceof Error ? r.error.message : String(r.error);
          mine.push({ error: message });
          process.stderr.write(`  ${r.name.padEnd(48)} error: ${message}\n`);
        } else {
          const stats = r.stats;
          const msgsPerSec = count / (stats.avg / 1e9);
          mine.push({ avgNs: stats.avg, msgsPerSec, stats: summaryOf(stats) });
          process.stderr.write(
            `  ${r.name.padEnd(48)} ${rate(msgsPerSec).padStart(8)} msgs/s  ` +
              `(${stats.ticks} iterations of ${(stats.avg / 1e6).toFixed(1)} ms)\n`,
          );
        }
        const left = remaining.get(size)! - 1;
        remaining.set(size, left);
        if (left === 0) {
          const result = summarise(size, count, rows, rounds.get(size)!);
          done.push(result);
          printTable(result);
        }
      }
      return t;
    },
  });
  return done;
}

function printTable({ size, count, rows }: SizeResult): void {
  const w = Math.max(...rows.map((r) => r.label.length)) + 2;
  const multi = ROUNDS > 1;
  console.log(
    `\n${sizeLabel(size)} messages — N = ${count.toLocaleString("en-US")} per iteration` +
      `${multi ? `, median of ${ROUNDS} interleaved rounds` : ""}`,
  );
  console.log(
    `${"implementation (sender → receiver)".padEnd(w)} ${"msgs/s".padStart(10)} ${"MB/s".padStart(8)}  ` +
      `${"vs libzmq".padStart(9)}${multi ? "   rounds (msgs/s)" : ""}`,
  );
  console.log("-".repeat(w + 32 + (multi ? 30 : 0)));
  for (const r of rows) {
    if (r.msgsPerSec === null) {
      console.log(`${r.label.padEnd(w)} ${"FAILED".padStart(10)}   ${r.error ?? ""}`);
      continue;
    }
    const spread = multi ? `   ${r.rounds.map((x) => (x.msgsPerSec === undefined ? "err" : rate(x.msgsPerSec))).join(" / ")}` : "";
    const ratio = r.ratio === null ? "n/a" : r.baseline ? "1.00×" : `${r.ratio.toFixed(2)}×`;
    console.log(
      `${r.label.padEnd(w)} ${rate(r.msgsPerSec).padStart(10)} ${r.mbPerSec!.toFixed(1).padStart(8)}  ${ratio.padStart(9)}${spread}`,
    );
    if (r.error) console.log(`${"".padEnd(w)}   (some rounds failed: ${r.error})`);
  }
}

function packageVersion(name: string): string {
  try {
    return JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")).version;
  } catch {
    return "unknown";
  }
}

function resultsPath(sha: string): string {
  const dir = join(import.meta.dir, "results");
  mkdirSync(dir, { recursive: true });
  const date = new Date().toISOString().slice(0, 10);
  let path = join(dir, `${date}-${sha || "nogit"}.json`);
  for (let i = 2; existsSync(path); i++) path = join(dir, `${date}-${sha || "nogit"}-${i}.json`);
  return path;
}

async function main(): Promise<number> {
  const started = performance.now();
  const watchdog = setInterval(() => {
    if (performance.now() - lastProgress < WATCHDOG_MS) return;
    process.stderr.write(`push-pull: no batch finished for ${WATCHDOG_MS / 1000} s — a hang; giving up\n`);
    process.exit(2);
  }, 1000);
  watchdog.unref();

  const receivers: Receiver[] = [];
  const pairs: Pair[] = [];
  const spawn = async (impl: "bunzmq" | "libzmq") => {
    const r = await Receiver.spawn(impl, RCVHWM);
    receivers.push(r);
    return r;
  };
  let exitCode = 0;
  try {
    const bb = bunzmqPair("bunzmq→bunzmq", await spawn("bunzmq"));
    const ll = libzmqPair("libzmq→libzmq", await spawn("libzmq"));
    pairs.push(bb, ll);
    const rows: Row[] = [
      { label: "bunzmq → bunzmq  trySend", pair: bb, mode: "trySend" },
      { label: "bunzmq → bunzmq  await send", pair: bb, mode: "send" },
      { label: "libzmq → libzmq  zmq_send", pair: ll, baseline: true },
    ];
    if (MIXED) {
      const bl = bunzmqPair("bunzmq→libzmq", await spawn("libzmq"));
      const lb = libzmqPair("libzmq→bunzmq", await spawn("bunzmq"));
      pairs.push(bl, lb);
      rows.push(
        { label: "bunzmq → libzmq  trySend (interop)", pair: bl, mode: "trySend", interop: true },
        { label: "libzmq → bunzmq  zmq_send (interop)", pair: lb, interop: true },
      );
    }

    const sha = git("rev-parse", "--short", "HEAD");
    const cpus = os.cpus();
    const report = {
      bench: "push-pull",
      date: new Date().toISOString(),
      commit: sha,
      // Tracked files changed since the commit (untracked files, e.g. a new bench, do not count).
      dirty: git("status", "--porcelain", "--untracked-files=no") !== "",
      mode: QUICK ? "quick" : "full",
      rounds: ROUNDS,
      targetIterationMs: TARGET_MS,
      receiveHighWaterMark: RCVHWM,
      machine: {
        cpu: cpus[0]?.model ?? "unknown",
        nproc: os.availableParallelism?.() ?? cpus.length,
        os: `${os.type()} ${os.release()} ${os.arch()}`,
        bun: Bun.version,
        bunRevision: Bun.revision,
        libzmq: libzmqVersion(),
        mitata: packageVersion("mitata"),
      },
      sizes: [] as SizeResult[],
    };
    console.log(
      `push-pull over tcp://127.0.0.1, two processes — ${report.machine.cpu}, ${report.machine.nproc} CPUs, ` +
        `Bun ${Bun.version}, libzmq ${report.machine.libzmq}, ${sha || "no git"}${report.dirty ? " (dirty)" : ""}` +
        `${QUICK ? ", --quick" : ""}${RCVHWM !== 1000 ? `, receive HWM ${RCVHWM || "unlimited"}` : ""}`,
    );
    const pairsInUse = [...new Set(rows.map((r) => r.pair))];
    const counts = new Map<number, number>();
    for (const size of SIZES) counts.set(size, await calibrate(pairsInUse, size));
    report.sizes.push(...(await measureAll(rows, counts)));
    const elapsed = (performance.now() - started) / 1000;
    console.log(`\nMB/s counts payload bytes (10^6 B/s). Whole run: ${elapsed.toFixed(1)} s.`);
    const failed = report.sizes.flatMap((s) => s.rows.filter((r) => r.error).map((r) => `${sizeLabel(s.size)} ${r.label}`));
    if (failed.length > 0) {
      console.log(`FAILED rows (exit code 1): ${failed.join("; ")}`);
      exitCode = 1;
    }
    if (SAVE) {
      const path = resultsPath(sha);
      writeFileSync(path, `${JSON.stringify({ ...report, elapsedSeconds: elapsed }, null, 2)}\n`);
      console.log(`Results: ${path.slice(ROOT.length + 1)}`);
    }
  } catch (error) {
    process.stderr.write(`push-pull failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    exitCode = 1;
  } finally {
    for (const pair of pairs) pair.close();
    await Promise.all(receivers.map((r) => r.stop()));
    clearInterval(watchdog);
  }
  return exitCode;
}

process.exitCode = await main();
