// PUSH -> proxy (PULL front end, PUSH back end) -> PULL throughput over tcp and ipc: bunzmq's Proxy
// against libzmq 4.3's zmq_proxy in the same run, and the same sender and receiver with no proxy
// for reference. Run: `bun run bench:proxy` (~2 min) or `bun run bench:proxy --quick` (~40 s).
//
// Design (docs/benchmarks.md, "Proxy", says how to read it):
// - Only the proxy differs between rows. The sender is always a libzmq PUSH in this process
//   (blocking zmq_send from one reused buffer, as bench/scenarios/push-pull.ts's libzmq rows), the receiver
//   always a libzmq PULL in a child process (bench/fixtures/pull-fixture.ts), so the proxy is what is slow.
// - Each proxy runs in its own child process (bench/fixtures/proxy-fixture.ts): bunzmq's `Proxy.run()` in
//   its event loop, or libzmq's zmq_proxy in a Worker (it blocks its thread). Every row has its own
//   receiver and proxy processes; idle ones cost nothing.
// - One mitata iteration = one batch of N messages, timed from the first send to the receiver's
//   `OK` line (bench/peers/pairs.ts, receiver.ts); N is calibrated per size as in push-pull, rows run
//   interleaved in rounds and the figure is the median; the ratio column is against zmq_proxy.
//
// Options: USAGE below (`--help`); Ctrl-C as in push-pull (what was measured is shown, nothing saved).

import { benchCommand, COMMON_OPTIONS, reportInterrupted } from "../harness/command.ts";
import { calibrate } from "./calibrate.ts";
import { Child } from "../harness/child.ts";
import { measureAll, type Group } from "./measure.ts";
import { lastBatchAt, libzmqPair, type Pair, type Row } from "../peers/pairs.ts";
import { Receiver } from "../peers/receiver.ts";
import { contextLine, finishRun, runContext } from "../report/run-record.ts";
import { printTable, sizeLabel, type SizeResult } from "../report/table.ts";
import { bindEndpoint, parseTransports, removeIpcDirectory, transportLabel } from "../harness/transports.ts";

const USAGE = `
usage: bun run bench:proxy [options]

PUSH → proxy → PULL throughput: bunzmq's Proxy against libzmq's zmq_proxy, and no proxy for reference.

options:
  --quick                one round, shorter batches
  --sizes 16,256,65536   message sizes in bytes
  --transports tcp,ipc   tcp and/or ipc (the proxy is another process: no inproc)
  --rounds N             interleaved rounds per row (default 3; --quick 1)
  --no-save              do not write bench/results/*.json
`;
const { cli, interrupt } = benchCommand("proxy", USAGE, {
  ...COMMON_OPTIONS,
  sizes: { type: "string" },
  transports: { type: "string" },
  rounds: { type: "string" },
});
const QUICK = cli.flag("quick");
const SAVE = !cli.flag("no-save");
const SIZES = cli.numbers("sizes", "16,256,65536");
const ROUNDS = cli.number("rounds", QUICK ? 1 : 3);
const TARGET_MS = QUICK ? 25 : 50;
const WATCHDOG_MS = 60_000;
const RECEIVE_HWM = 1000;

const TRANSPORTS = cli.convert("transports", (text) => parseTransports(text ?? "tcp,ipc"));
if (TRANSPORTS.includes("inproc"))
  cli.fail("--transports: the proxy runs in its own process, which inproc cannot reach; use tcp and/or ipc");
type NetTransport = "tcp" | "ipc";

const LABELS = {
  direct: "libzmq → libzmq  no proxy (reference)",
  libzmq: "libzmq → zmq_proxy → libzmq",
  bunzmq: "libzmq → bunzmq Proxy → libzmq",
};

interface Stoppable {
  stop(): Promise<void>;
}

/** A sender whose messages pass through a proxy child (`impl`) on their way to a fresh receiver. */
async function proxiedPair(impl: "bunzmq" | "libzmq", transport: NetTransport, children: Stoppable[]): Promise<Pair> {
  const receiver = await Receiver.spawn("libzmq", RECEIVE_HWM, transport);
  children.push(receiver);
  const proxy = await Child.spawn(`${impl} ${transport} proxy`, new URL("../fixtures/proxy-fixture.ts", import.meta.url), [
    impl,
    bindEndpoint(transport),
    receiver.endpoint,
  ]);
  children.push(proxy);
  return libzmqPair(`via ${impl} proxy`, { endpoint: proxy.endpoint, request: (count, size) => receiver.request(count, size) });
}

async function setUpRows(transport: NetTransport, pairs: Pair[], children: Stoppable[]): Promise<Row[]> {
  const receiver = await Receiver.spawn("libzmq", RECEIVE_HWM, transport);
  children.push(receiver);
  const direct = libzmqPair("no proxy", receiver);
  const viaLibzmq = await proxiedPair("libzmq", transport, children);
  const viaBunzmq = await proxiedPair("bunzmq", transport, children);
  pairs.push(direct, viaLibzmq, viaBunzmq);
  return [
    { label: LABELS.direct, pair: direct },
    { label: LABELS.libzmq, pair: viaLibzmq, baseline: true },
    { label: LABELS.bunzmq, pair: viaBunzmq, family: "bunzmq" },
  ];
}

/** The line under each table: bunzmq's Proxy ÷ zmq_proxy per size. */
function ratioLine(results: SizeResult[]): string {
  const each = results.map((s) => {
    const ratio = s.rows.find((r) => r.label === LABELS.bunzmq)?.ratio;
    return `${sizeLabel(s.size)} ${ratio == null ? "n/a" : `${ratio.toFixed(2)}×`}`;
  });
  return `bunzmq Proxy ÷ zmq_proxy (msgs/s, same run): ${each.join(", ")}`;
}

async function main(): Promise<number> {
  const started = performance.now();
  const context = runContext();
  console.log(`PUSH → proxy → PULL over ${TRANSPORTS.join(", ")} — ${contextLine(context)}${QUICK ? ", --quick" : ""}`);
  const watchdog = setInterval(() => {
    if (performance.now() - lastBatchAt() < WATCHDOG_MS) return;
    process.stderr.write(`proxy: no batch finished for ${WATCHDOG_MS / 1000} s — a hang; giving up\n`);
    process.exit(2);
  }, 1000);
  watchdog.unref();
  const pairs: Pair[] = [];
  const children: Stoppable[] = [];
  let exitCode = 0;
  try {
    const groups: Group[] = [];
    for (const transport of TRANSPORTS as NetTransport[]) {
      interrupt.check();
      const rows = await setUpRows(transport, pairs, children);
      for (const size of SIZES)
        groups.push({
          transport,
          size,
          count: await calibrate(
            transport,
            rows.map((r) => r.pair),
            size,
            TARGET_MS,
          ),
          rows,
        });
    }
    const onTransportDone = (results: SizeResult[]) => {
      const title = `${transportLabel(results[0]!.transport)} — sender in this process; each proxy and each receiver in a child process`;
      printTable(title, results, ROUNDS);
      console.log(ratioLine(results));
    };
    const sizes = await measureAll(groups, ROUNDS, onTransportDone, interrupt);
    if (interrupt.requested) return reportInterrupted("proxy", started);
    const elapsed = (performance.now() - started) / 1000;
    const failed = sizes.flatMap((s) => s.rows.filter((r) => r.error).map((r) => `${s.transport} ${sizeLabel(s.size)} ${r.label}`));
    exitCode = finishRun({
      bench: "proxy",
      context,
      footer: `msgs/s = N / (first send → the receiver holding the last message). MB/s counts payload bytes. Whole run: ${elapsed.toFixed(1)} s.`,
      failed,
      save: SAVE,
      record: {
        mode: QUICK ? "quick" : "full",
        transports: TRANSPORTS,
        rounds: ROUNDS,
        unit: "messages per second",
        sizes,
        elapsedSeconds: elapsed,
      },
    });
  } catch (error) {
    if (interrupt.requested) return reportInterrupted("proxy", started);
    process.stderr.write(`proxy failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    exitCode = 1;
  } finally {
    for (const pair of pairs) pair.close();
    await Promise.all(children.map((c) => c.stop()));
    removeIpcDirectory();
    clearInterval(watchdog);
  }
  return exitCode;
}

process.exitCode = await main();
