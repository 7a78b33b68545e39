// PUSH -> PULL throughput over tcp, ipc and inproc, bunzmq against libzmq 4.3.x in the same run,
// driven by mitata. Run: `bun run bench` (~3 min) or `bun run bench --quick` (~50 s).
//
// Design: every implementation is measured the same way (docs/benchmarks.md says how to read it):
// - The SENDER is always this process. Over tcp and ipc the RECEIVER is a child process
//   (bench/fixtures/pull-fixture.ts) with its own PULL, bound to tcp://127.0.0.1:* or an ipc:// path. Over
//   inproc it is in this process (bench/peers/inproc-pairs.ts): bunzmq's in this event loop, libzmq's in
//   a Worker sharing the sender's context. Each pair has its own sockets (and child or Worker), so idle
//   pairs cost nothing and nothing is fair-queued between pairs.
// - One mitata iteration = one batch: write `<N> <size>` to the receiver's stdin, send N messages
//   of <size> bytes, then wait for the receiver's `OK <N> <bad>` line on its stdout. That line is
//   the only control traffic (one pipe write each way per batch, a few µs against 20–100 ms), and it
//   never touches the measured sockets. msgs/s = N / mitata's average iteration time, i.e. from
//   the first send to the receiver holding the last message, the same for both sides.
// - bunzmq sends the way users do: `trySend` in a loop, `await send()` once when it returns false
//   (the fast path), and a plain `await send()` loop as a second row. It receives with
//   `receiveBatch()`, counting messages and checking their size.
// - zeromq.js (npm `zeromq` v6) cannot load under Bun, so its row runs both ends in Node children
//   (bench/peers/zeromqjs-pairs.ts): the bench writes the batch line to its receiver and to its sender,
//   and the iteration still ends when the receiver holds the last message. It is calibrated on its
//   own (its N for ~the same batch time). Each table also prints bunzmq's best row ÷ zeromq.js. bench/harness/zeromqjs-setup.ts installs it on first use, or
//   the bench says why it skips those rows.
// - libzmq is driven through bun:ffi (FFI cost is ~10 ns a call, bun-notes §5) exactly as a C
//   program would: blocking zmq_send from one reused buffer on the sender; blocking zmq_msg_recv
//   into one reused zmq_msg_t, no copy out, on the receiver (perf-anchors caveat 4). One I/O thread
//   per context and HWM 1000 both ways, the libzmq defaults; bunzmq also keeps its defaults.
// - Rows of one transport and size run interleaved in rounds (A, B, C, A, B, C, ...); a row's figure
//   is the median of its rounds and the ratio is bunzmq's median over libzmq→libzmq's median from
//   the same run, transport and size. One table per transport.
// - N is calibrated per transport and size at start-up (after warm-up batches) so that an iteration takes ~50 ms
//   (quick: ~25 ms) at the geometric mean of the pairs' speeds; every row of that size uses it.
//   All sizes run in one mitata run() call (each call spends ~3 s measuring its own overhead).
// Children exit on their own when their stdin closes, i.e. when this process exits or dies.
//
// A pair that fails (a receiver reports `STALL`: no message for 2 s; a libzmq send finds no room for
// 5 s; a count or size mismatch) is marked broken: its rows print the error and the run goes on.
//
// Options: USAGE below (`--help`). Ctrl-C: the iteration under way ends, the rest are not run, the
// tables show what was measured, nothing is saved (exit 130).
//
// This file is the driver: options, the pairs and rows, the watchdog, the run. pairs.ts sends,
// receiver.ts talks to the receivers, calibrate.ts picks N, measure.ts runs mitata, table.ts
// computes medians and ratios and prints, results-file.ts writes the JSON.

import { benchCommand, COMMON_OPTIONS, reportInterrupted } from "../harness/command.ts";
import { calibrate } from "./calibrate.ts";
import { bunzmqInprocPair, libzmqInprocPair } from "../peers/inproc-pairs.ts";
import { measureAll, type Group } from "./measure.ts";
import { bunzmqPair, lastBatchAt, libzmqPair, type Pair, type Row } from "../peers/pairs.ts";
import { Receiver } from "../peers/receiver.ts";
import { describeRun, saveReport } from "../report/results-file.ts";
import { printTable, sizeLabel } from "../report/table.ts";
import { parseTransports, removeIpcDirectory, transportLabel, type Transport } from "../harness/transports.ts";
import { zeromqjsPair, type Stoppable } from "../peers/zeromqjs-pairs.ts";
import { prepareZeromqjs, zeromqjsLabel, type Zeromqjs } from "../harness/zeromqjs-setup.ts";

// ---------------------------------------------------------------------------------------------
// Options

const USAGE = `
usage: bun run bench:push-pull [options]

PUSH → PULL throughput over tcp, ipc and inproc: bunzmq, libzmq and zeromq.js in the same run.

options:
  --quick                one round, shorter batches (~50 s)
  --sizes 16,256,65536   message sizes in bytes
  --transports LIST      tcp,ipc,inproc (default all three)
  --rounds N             interleaved rounds per row (default 3; --quick 1)
  --rcvhwm N             receive HWM of every receiver (default 1000, as libzmq; 0 = unlimited)
  --no-mixed             skip the bunzmq <-> libzmq pairs
  --no-zeromqjs          skip the zeromq.js rows
  --no-save              do not write bench/results/*.json
`;
const { cli, interrupt } = benchCommand("push-pull", USAGE, {
  ...COMMON_OPTIONS,
  sizes: { type: "string" },
  transports: { type: "string" },
  rounds: { type: "string" },
  rcvhwm: { type: "string" },
  "no-mixed": { type: "boolean" },
  "no-zeromqjs": { type: "boolean" },
});
const QUICK = cli.flag("quick");
const MIXED = !cli.flag("no-mixed");
const SAVE = !cli.flag("no-save");
const SIZES = cli.numbers("sizes", "16,256,65536");
const ROUNDS = cli.number("rounds", QUICK ? 1 : 3);
const RCVHWM = cli.number("rcvhwm", 1000);
const TRANSPORTS = cli.convert("transports", parseTransports);
const TARGET_MS = QUICK ? 25 : 50;
/** Last resort: no batch finished (or failed) for this long, so the bench reports a hang and exits. */
const WATCHDOG_MS = 60_000;

// ---------------------------------------------------------------------------------------------
// Main

function startWatchdog(): ReturnType<typeof setInterval> {
  const watchdog = setInterval(() => {
    if (performance.now() - lastBatchAt() < WATCHDOG_MS) return;
    process.stderr.write(`push-pull: no batch finished for ${WATCHDOG_MS / 1000} s — a hang; giving up\n`);
    process.exit(2);
  }, 1000);
  watchdog.unref();
  return watchdog;
}

/** The three rows every transport has; `bb` and `ll` are its bunzmq and libzmq pairs. */
function baseRows(bb: Pair, ll: Pair): Row[] {
  return [
    { label: "bunzmq → bunzmq  trySend", pair: bb, mode: "trySend", family: "bunzmq" },
    { label: "bunzmq → bunzmq  await send", pair: bb, mode: "send", family: "bunzmq" },
    { label: "libzmq → libzmq  zmq_send", pair: ll, baseline: true },
  ];
}

/** The zeromq.js row, last in every table; its children join `children` for cleanup. */
async function zeromqjsRow(zeromqjs: Zeromqjs, transport: Transport, pairs: Pair[], children: Stoppable[]): Promise<Row> {
  const pair = await zeromqjsPair("zeromq.js→zeromq.js", zeromqjs.node, transport, RCVHWM, children);
  pairs.push(pair);
  return { label: "zeromq.js → zeromq.js  await send (Node)", pair, mode: "send", family: "zeromq.js" };
}

/**
 * Sets up one transport's pairs: over tcp and ipc a receiver child per pair, over inproc both ends
 * in this process (zeromq.js's in one Node child). `pairs` and `receivers` collect them for cleanup.
 */
async function setUpRows(transport: Transport, zeromqjs: Zeromqjs | null, pairs: Pair[], receivers: Stoppable[]): Promise<Row[]> {
  const rows = await setUpBunAndLibzmqRows(transport, pairs, receivers);
  // zeromq.js's prebuilt libzmq has no ws://.
  if (zeromqjs && transport !== "ws") rows.push(await zeromqjsRow(zeromqjs, transport, pairs, receivers));
  return rows;
}

async function setUpBunAndLibzmqRows(transport: Transport, pairs: Pair[], receivers: Stoppable[]): Promise<Row[]> {
  if (transport === "inproc") {
    const bb = await bunzmqInprocPair("bunzmq→bunzmq", RCVHWM);
    pairs.push(bb);
    const ll = libzmqInprocPair("libzmq→libzmq", RCVHWM);
    pairs.push(ll);
    return baseRows(bb, ll);
  }
  const spawn = async (impl: "bunzmq" | "libzmq") => {
    const r = await Receiver.spawn(impl, RCVHWM, transport);
    receivers.push(r);
    return r;
  };
  const bb = bunzmqPair("bunzmq→bunzmq", await spawn("bunzmq"));
  pairs.push(bb);
  const ll = libzmqPair("libzmq→libzmq", await spawn("libzmq"));
  pairs.push(ll);
  const rows = baseRows(bb, ll);
  if (MIXED) {
    const bl = bunzmqPair("bunzmq→libzmq", await spawn("libzmq"));
    pairs.push(bl);
    const lb = libzmqPair("libzmq→bunzmq", await spawn("bunzmq"));
    pairs.push(lb);
    rows.push(
      { label: "bunzmq → libzmq  trySend (interop)", pair: bl, mode: "trySend", interop: true },
      { label: "libzmq → bunzmq  zmq_send (interop)", pair: lb, interop: true },
    );
  }
  return rows;
}

/** The heading of a transport's table: where the senders and receivers run. */
function tableTitle(transport: Transport, zeromqjs: boolean): string {
  const where =
    transport === "inproc"
      ? "sender and receiver in this process (libzmq's receiver in a Worker sharing the context" +
        `${zeromqjs ? "; zeromq.js's both in one Node child" : ""})`
      : `sender in this process, receiver in a child process${zeromqjs ? " (zeromq.js: sender and receiver in two Node children)" : ""}`;
  return `${transportLabel(transport)} — ${where}`;
}

async function main(): Promise<number> {
  const started = performance.now();
  const watchdog = startWatchdog();
  const receivers: Stoppable[] = [];
  const pairs: Pair[] = [];
  let exitCode = 0;
  try {
    const { zeromqjs, status } = await prepareZeromqjs(cli.argv);
    const report = describeRun({
      quick: QUICK,
      rounds: ROUNDS,
      targetMs: TARGET_MS,
      receiveHighWaterMark: RCVHWM,
      transports: TRANSPORTS,
      zeromqjs: status,
    });
    const sha = report.commit;
    console.log(
      `push-pull over ${TRANSPORTS.join(", ")} — ${report.machine.cpu}, ${report.machine.nproc} CPUs, ` +
        `Bun ${Bun.version}, libzmq ${report.machine.libzmq}${zeromqjs ? `, ${zeromqjsLabel(zeromqjs.versions)}` : ""}, ` +
        `${sha || "no git"}${report.dirty ? " (dirty)" : ""}` +
        `${QUICK ? ", --quick" : ""}${RCVHWM !== 1000 ? `, receive HWM ${RCVHWM || "unlimited"}` : ""}`,
    );
    const groups: Group[] = [];
    for (const transport of TRANSPORTS) {
      interrupt.check();
      const rows = await setUpRows(transport, zeromqjs, pairs, receivers);
      // zeromq.js's row gets its own N: in the shared geometric mean it would shorten every other row's batches.
      const own = rows.filter((r) => r.family === "zeromq.js");
      const shared = [...new Set(rows.filter((r) => !own.includes(r)).map((r) => r.pair))];
      for (const size of SIZES) {
        interrupt.check();
        const count = await calibrate(transport, shared, size, TARGET_MS);
        const ownCounts = new Map<Row, number>();
        for (const row of own) ownCounts.set(row, await calibrate(transport, [row.pair], size, TARGET_MS));
        groups.push({ transport, size, count, rows, ownCounts });
      }
    }
    const onTransportDone = (results: typeof report.sizes) =>
      printTable(tableTitle(results[0]!.transport, zeromqjs !== null), results, ROUNDS);
    report.sizes.push(...(await measureAll(groups, ROUNDS, onTransportDone, interrupt)));
    if (interrupt.requested) return reportInterrupted("push-pull", started);
    const elapsed = (performance.now() - started) / 1000;
    console.log(`\nMB/s counts payload bytes (10^6 B/s). Whole run: ${elapsed.toFixed(1)} s.`);
    const failed = report.sizes.flatMap((s) => s.rows.filter((r) => r.error).map((r) => `${s.transport} ${sizeLabel(s.size)} ${r.label}`));
    if (failed.length > 0) {
      console.log(`FAILED rows (exit code 1): ${failed.join("; ")}`);
      exitCode = 1;
    }
    if (SAVE) console.log(`Results: ${saveReport(report, elapsed)}`);
  } catch (error) {
    if (interrupt.requested) return reportInterrupted("push-pull", started);
    process.stderr.write(`push-pull failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    exitCode = 1;
  } finally {
    for (const pair of pairs) pair.close();
    await Promise.all(receivers.map((r) => r.stop()));
    removeIpcDirectory();
    clearInterval(watchdog);
  }
  return exitCode;
}

process.exitCode = await main();
