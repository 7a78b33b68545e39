// REQ <-> REP round-trip latency over tcp, ipc and inproc, bunzmq against libzmq 4.3.x in the same
// run. Run: `bun run bench:latency` (~30 s) or `bun run bench:latency --quick` (< 10 s).
//
// Design (docs/benchmarks.md, "REQ/REP latency", says how to read it):
// - Every implementation is measured the same way. Over tcp and ipc each row has one REP child
//   process (bound to tcp://127.0.0.1:* or an ipc:// path, echoing) and one REQ child process
//   (connected to it) that times every round trip itself — see bench/fixtures/req-rep-fixture.ts. Over inproc the row
//   is one child: the REQ, with its REP in the same process (bench/fixtures/req-rep-inproc.ts: bunzmq's in
//   its event loop, libzmq's in a Worker sharing the context). This process only orchestrates over
//   the children's stdin/stdout; nothing it does runs during a round trip.
// - Transport by transport (each with its own children, stopped before the next), per size: WARM
//   (1,000 round trips, not recorded) for every row, then ROUNDS interleaved rounds (A, B, A, B,
//   ...) of COUNT/ROUNDS recorded round trips each; then each client reports the percentiles over
//   all its recorded round trips of that size (default 4 × 5,000 = 20,000). One table per transport.
// - The table shows median, p90 and p99 per round trip in µs, and bunzmq / libzmq for the median
//   and the p99 (lower is better). perf-anchors.md quotes one-way latency = round trip / 2.
// - zeromq.js (npm `zeromq` v6, under Node: bench/fixtures/zeromqjs/req-rep-fixture.mjs) is a third row
//   with the same children and protocol; each table ends with zeromq.js ÷ bunzmq (p50 and p99:
//   how many times shorter bunzmq's round trip is). bench/harness/zeromqjs-setup.ts installs it on first
//   use, or the bench prints why it skips that row.
// - Until src/index.ts exports Request and Reply, the bunzmq row prints "not available yet".
// Options: USAGE below (`--help`). Ctrl-C: the round under way ends, the transports' tables printed
// so far stand, the rest is not measured, nothing is saved (exit 130).

import { benchCommand } from "../harness/command.ts";
import { bunzmqReqRep } from "../fixtures/req-rep-fixture.ts";
import { Child } from "../harness/child.ts";
import { type LatencyRow, latencyPlan, LATENCY_OPTIONS, measureLatencySize, runLatencyBench, runTransportRows } from "./latency-rows.ts";
import { printLatencyTable, type RowResult, type SizeResult } from "../report/latency-table.ts";
import { contextLine, runContext } from "../report/run-record.ts";
import { bindEndpoint, parseTransports, type Transport } from "../harness/transports.ts";
import { prepareZeromqjs, type Zeromqjs } from "../harness/zeromqjs-setup.ts";

const USAGE = `
usage: bun run bench:latency [options]

REQ ↔ REP round-trip latency over tcp, ipc and inproc: bunzmq, libzmq and zeromq.js in the same run.

options:
  --quick              5,000 round trips after 500 warm-up, one round
  --sizes 64,4096      message sizes in bytes
  --transports LIST    tcp,ipc,inproc (default all three)
  --count N            recorded round trips per row and size (default 20,000)
  --warmup N           unrecorded round trips first (default 1,000), repeated until --warmup-ms passed
  --warmup-ms N        the least warm-up per row and size, ms (default 1,000; --quick 500)
  --rounds N           interleaved rounds (default 4; --quick 1)
  --pin same|split     pin every row's REP and REQ to CPU 0 (same) or to CPUs 0 and 1 (split);
                       inproc rows to CPU 0. Default: where the kernel puts them
  --no-zeromqjs        skip the zeromq.js rows
  --no-save            do not write bench/results/*.json
`;
const { cli, interrupt } = benchCommand("req-rep-latency", USAGE, {
  ...LATENCY_OPTIONS,
  pin: { type: "string" },
  "no-zeromqjs": { type: "boolean" },
});
const { sizes: SIZES, plan: PLAN } = latencyPlan(cli, interrupt);
const QUICK = PLAN.quick;
const TRANSPORTS = cli.convert("transports", parseTransports);
// Where a round trip's two processes run decides most of its median on a VM (docs/benchmarks.md,
// "What makes the tail"): pinned, every row meets the same placement.
const PIN = cli.text("pin", "");
if (PIN !== "" && PIN !== "same" && PIN !== "split") cli.fail(`--pin: "same" or "split", not "${PIN}"`);
const PIN_CPUS: { rep: number; req: number } | null = PIN === "" ? null : { rep: 0, req: PIN === "same" ? 0 : 1 };

interface Row extends LatencyRow {
  impl: "bunzmq" | "libzmq" | "zeromq.js" | "raw";
  baseline: boolean;
  /** inproc only: libzmq's REP in the REQ's own thread instead of a Worker. */
  oneThread?: boolean;
}

/** zeromq.js's p50 and p99 over bunzmq's, when both rows have figures. */
function versusZeromqjs(rows: Row[], results: RowResult[]): SizeResult["zeromqjsOverBunzmq"] {
  const of = (impl: Row["impl"]) => results[rows.findIndex((r) => r.impl === impl)]?.stats ?? null;
  const bunzmq = of("bunzmq");
  const zeromqjs = of("zeromq.js");
  return bunzmq && zeromqjs ? { p50: zeromqjs.p50 / bunzmq.p50, p99: zeromqjs.p99 / bunzmq.p99 } : null;
}

/** Starts a row's children (collected in `children` for cleanup): REP then REQ, or one REQ with its REP inside. */
async function startRow(transport: Transport, row: Row, children: Child[], zeromqjs: Zeromqjs | null): Promise<void> {
  // zeromq.js's fixture takes no implementation argument and runs under Node; the others under Bun.
  const [fixture, impl, runtime] =
    row.impl === "zeromq.js"
      ? [new URL("../fixtures/zeromqjs/req-rep-fixture.mjs", import.meta.url), [], zeromqjs!.node]
      : [new URL("../fixtures/req-rep-fixture.ts", import.meta.url), [row.impl], process.execPath];
  let target = row.oneThread ? "inproc-one-thread" : "inproc";
  if (transport !== "inproc") {
    const rep = ["rep", ...impl, bindEndpoint(transport)];
    const server = await Child.spawn(`${row.impl} ${transport} REP`, fixture, rep, runtime, PIN_CPUS?.rep ?? null);
    children.push(server);
    target = server.endpoint;
  }
  const reqCpu = PIN_CPUS === null ? null : transport === "inproc" ? PIN_CPUS.rep : PIN_CPUS.req;
  const client = await Child.spawn(`${row.impl} ${transport} REQ`, fixture, ["req", ...impl, target], runtime, reqCpu);
  children.push(client);
  if (client.hello !== "READY") throw new Error(`REQ said "${client.hello}"`);
  row.client = client;
}

/** One size of one transport: warm-up, the interleaved rounds, then every row's statistics and ratios. */
async function measureSize(transport: Transport, rows: Row[], size: number): Promise<SizeResult> {
  const baseline = rows.findIndex((r) => r.baseline);
  const results = await measureLatencySize(transport, rows, size, baseline, PLAN);
  return { transport, size, rows: results, zeromqjsOverBunzmq: versusZeromqjs(rows, results) };
}

/** One transport's rows, sizes and table; its children are stopped before it returns. */
async function runTransport(
  transport: Transport,
  bunzmqReady: boolean,
  zeromqjs: Zeromqjs | null,
  children: Child[],
): Promise<{ sizes: SizeResult[]; failed: string[] }> {
  const rows: Row[] = [
    { label: "bunzmq ↔ bunzmq", impl: "bunzmq", baseline: false, client: null, error: null },
    { label: "libzmq ↔ libzmq", impl: "libzmq", baseline: true, client: null, error: null },
  ];
  if (transport === "inproc") {
    rows.push({ label: "libzmq ↔ libzmq  one thread", impl: "libzmq", baseline: false, oneThread: true, client: null, error: null });
  }
  // The floor: Bun's own sockets with no ZeroMQ logic (bench/fixtures/raw-round-trip.ts).
  if (transport === "tcp" || transport === "ipc") {
    rows.push({ label: "raw Bun ↔ raw Bun (floor)", impl: "raw", baseline: false, client: null, error: null });
  }
  // zeromq.js's prebuilt libzmq has no ws://.
  if (zeromqjs && transport !== "ws")
    rows.push({ label: "zeromq.js ↔ zeromq.js (Node)", impl: "zeromq.js", baseline: false, client: null, error: null });
  return runTransportRows({
    transport,
    rows,
    children,
    sizes: SIZES,
    unavailable: (row) => (row.impl === "bunzmq" && !bunzmqReady ? "not available yet (src/index.ts exports no Request/Reply)" : null),
    start: (row) => startRow(transport, row, children, zeromqjs),
    measure: (size) => measureSize(transport, rows, size),
    print: (sizes) => printLatencyTable(transport, sizes, PLAN),
  });
}

process.exitCode = await runLatencyBench({
  bench: "req-rep-latency",
  transports: TRANSPORTS,
  plan: PLAN,
  roundTrip: "send one request + receive its reply, timed in the REQ's own process",
  async start() {
    const { zeromqjs, status } = await prepareZeromqjs(cli.argv);
    const context = runContext(status);
    const pinned = PIN === "" ? "" : PIN === "same" ? ", REQ and REP pinned to CPU 0" : ", REP pinned to CPU 0 and REQ to CPU 1";
    console.log(`REQ ↔ REP round trip over ${TRANSPORTS.join(", ")} — ${contextLine(context)}${QUICK ? ", --quick" : ""}${pinned}`);
    const bunzmqReady = (await bunzmqReqRep()) !== null;
    return { context, run: (transport, children) => runTransport(transport, bunzmqReady, zeromqjs, children) };
  },
});
