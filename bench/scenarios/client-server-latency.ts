// DRAFT CLIENT <-> SERVER round-trip latency over tcp and ipc, bunzmq beside libzmq 4.3.5 built with
// the draft API (shared/peers/, or $BUNZMQ_LIBZMQ_DRAFT) in the same run. Run:
// `bun run bench:client-server` (~20 s) or `bun run bench:client-server --quick` (< 10 s).
//
// Measured as req-rep-latency.ts measures REQ/REP (docs/benchmarks.md, "REQ/REP latency"): per
// transport one SERVER child process (bound, echoing each message to the routing id it came from)
// and one CLIENT child process that times every round trip itself
// (bench/fixtures/client-server-fixture.ts); per size a warm-up, then interleaved rounds; each client
// reports percentiles over all its recorded round trips. The table shows p50, p90 and p99 in µs and
// bunzmq / libzmq for p50 and p99 (lower is better). No inproc row: libzmq's inproc needs both
// sockets in one process, and zeromq.js's draft build is not what npm installs, so it has no row.
// Options: USAGE below (`--help`). Ctrl-C: the round under way ends, the tables printed so far
// stand, nothing is saved (exit 130).

import { draftLibzmqPath } from "../../peers/libzmq/index.ts";
import { Child } from "../harness/child.ts";
import { benchCommand } from "../harness/command.ts";
import { bindEndpoint } from "../harness/transports.ts";
import { type LatencyRow, latencyPlan, LATENCY_OPTIONS, measureLatencySize, runLatencyBench, runTransportRows } from "./latency-rows.ts";
import { printLatencyTable, type SizeResult } from "../report/latency-table.ts";
import { contextLine, runContext } from "../report/run-record.ts";

const USAGE = `
usage: bun run bench:client-server [options]

DRAFT CLIENT ↔ SERVER round-trip latency over tcp and ipc: bunzmq and libzmq 4.3.5 (draft API) in the
same run. The libzmq rows need the DRAFT build (../shared/peers/libzmq-4.3.5-draft, or
$BUNZMQ_LIBZMQ_DRAFT); without it they say why and the bunzmq rows still run.

options:
  --quick              5,000 round trips after 500 warm-up, one round
  --sizes 64,4096      message sizes in bytes
  --transports LIST    tcp,ipc (default both)
  --count N            recorded round trips per row and size (default 20,000)
  --warmup N           unrecorded round trips first (default 1,000), repeated until --warmup-ms passed
  --warmup-ms N        the least warm-up per row and size, ms (default 1,000; --quick 500)
  --rounds N           interleaved rounds (default 4; --quick 1)
  --no-save            do not write bench/results/*.json
`;
const { cli, interrupt } = benchCommand("client-server-latency", USAGE, LATENCY_OPTIONS);
const { sizes: SIZES, plan: PLAN } = latencyPlan(cli, interrupt);
const QUICK = PLAN.quick;
const TRANSPORTS = cli.convert("transports", (text) => {
  const list = (text ?? "tcp,ipc").split(",");
  for (const t of list) if (t !== "tcp" && t !== "ipc") throw new Error(`--transports takes tcp and ipc (not ${t})`);
  return list as Array<"tcp" | "ipc">;
});
const FIXTURE = new URL("../fixtures/client-server-fixture.ts", import.meta.url);
const DRAFT = draftLibzmqPath();

interface Row extends LatencyRow {
  impl: "bunzmq" | "libzmq";
}

async function startRow(transport: "tcp" | "ipc", row: Row, children: Child[]): Promise<void> {
  const library = row.impl === "libzmq" ? [DRAFT!] : [];
  const server = await Child.spawn(`${row.impl} ${transport} SERVER`, FIXTURE, ["server", row.impl, bindEndpoint(transport), ...library]);
  children.push(server);
  const client = await Child.spawn(`${row.impl} ${transport} CLIENT`, FIXTURE, ["client", row.impl, server.endpoint, ...library]);
  children.push(client);
  if (client.hello !== "READY") throw new Error(`CLIENT said "${client.hello}"`);
  row.client = client;
}

async function measureSize(transport: "tcp" | "ipc", rows: Row[], size: number): Promise<SizeResult> {
  const baseline = rows.findIndex((r) => r.impl === "libzmq");
  const results = await measureLatencySize(transport, rows, size, baseline, PLAN);
  return { transport, size, rows: results, zeromqjsOverBunzmq: null };
}

async function runTransport(transport: "tcp" | "ipc", children: Child[]): Promise<{ sizes: SizeResult[]; failed: string[] }> {
  const rows: Row[] = [
    { label: "bunzmq ↔ bunzmq", impl: "bunzmq", client: null, error: null },
    { label: "libzmq-draft ↔ libzmq-draft", impl: "libzmq", client: null, error: null },
  ];
  return runTransportRows({
    transport,
    rows,
    children,
    sizes: SIZES,
    unavailable: (row) =>
      row.impl === "libzmq" && DRAFT === null ? "not available (no DRAFT libzmq beside the repository; set $BUNZMQ_LIBZMQ_DRAFT)" : null,
    start: (row) => startRow(transport, row, children),
    measure: (size) => measureSize(transport, rows, size),
    print: (sizes) => printLatencyTable(transport, sizes, { ...PLAN, roles: ["CLIENT", "SERVER"] }),
  });
}

process.exitCode = await runLatencyBench({
  bench: "client-server-latency",
  transports: TRANSPORTS,
  plan: PLAN,
  roundTrip: "send one message + receive its echo, timed in the CLIENT's own process",
  async start() {
    const context = runContext();
    console.log(`CLIENT ↔ SERVER (DRAFT) round trip over ${TRANSPORTS.join(", ")} — ${contextLine(context)}${QUICK ? ", --quick" : ""}`);
    console.log(`libzmq rows: ${DRAFT ?? "no DRAFT build found"}`);
    return { context, run: runTransport };
  },
});
