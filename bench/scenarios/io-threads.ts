// I/O threads against none (issue 8): the same sender with its connecting engines on the
// application thread (ioThreads 0) or in 1 or 2 Bun Workers, in the same run. The receiver is always
// a bunzmq PULL in a child process (bench/fixtures/pull-fixture.ts), engines on its own thread.
//   plain        PUSH → PULL over tcp, 16 B and 64 KiB: msgs/s; 64 KiB again with the body from
//                `push.allocate` (shared with the Workers, so it crosses without a copy)
//   curve        the same with CURVE at 1 KiB (the Worker seals; the child opens)
//   busy app     the application thread spending 5 µs of CPU per message before each send: 16 B
//                plain, and 1 KiB under CURVE (where the Worker takes the sealing off that thread)
//   latency      REQ → REP round trip at 64 B (the REP in this process, on the application thread)
//   1000 conns   one PUSH connected 1,000 times to the receiver: time to connect them all and
//                msgs/s of 16 B spread over them
// Run: `bun run bench:io-threads [--quick] [--no-save]` (`--help`). Medians of 3 rounds (quick: 1).
// Ctrl-C: the cell under way ends, the rows printed so far stand, nothing is saved (exit 130).

import { Context, Push, Reply, Request, curveKeyPair } from "../../src/index.ts";
import { benchCommand, COMMON_OPTIONS, Interrupted, reportInterrupted } from "../harness/command.ts";
import { Receiver } from "../peers/receiver.ts";
import { type CpuSplit, startCpuSplit } from "../harness/thread-cpu.ts";
import { type CpuRow, medianSplit, printCpuTable } from "../report/cpu-table.ts";
import { finishRun, runContext } from "../report/run-record.ts";

const USAGE = `
usage: bun run bench:io-threads [options]

The same PUSH sender (and a REQ) with ioThreads 0, 1 and 2 in one run: plain and CURVE throughput, a
busy application thread, round-trip latency, 1,000 connections. The receiver is a bunzmq child process.

options:
  --quick      a quarter of the messages, one round
  --no-save    do not write bench/results/*.json
  --only TEXT  only the rows whose name contains TEXT (for example "busy")

After the rates, a CPU table (Linux) shows what each message cost the application thread, the
sender's other threads and the receiver, and the ceilings that puts on each row.
`;
const { cli, interrupt } = benchCommand("io-threads", USAGE, { ...COMMON_OPTIONS, only: { type: "string" } });
const ONLY = cli.text("only");
const QUICK = cli.flag("quick");
const ROUNDS = QUICK ? 1 : 3;
const THREADS = [0, 1, 2] as const;
const scale = (n: number) => (QUICK ? Math.ceil(n / 4) : n);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

/** Spends `us` microseconds of CPU: the game logic of a busy application thread. */
function spin(us: number): void {
  const end = performance.now() + us / 1000;
  while (performance.now() < end);
}

/** One cell's figure, and for throughput cells where each side's CPU went. */
interface Sample {
  value: number;
  cpu?: CpuSplit | undefined;
}

interface ThroughputOptions {
  curve?: boolean;
  /** CPU µs the application spends before each send. */
  busyUs?: number;
  /** The body comes from `push.allocate` (shared with the I/O threads: no copy crosses). */
  allocated?: boolean;
}

async function throughput(context: Context, size: number, count: number, options: ThroughputOptions = {}): Promise<Sample> {
  const { curve = false, busyUs = 0, allocated = false } = options;
  const server = curve ? curveKeyPair() : null;
  const client = curve ? curveKeyPair() : null;
  const receiver = await Receiver.spawn("bunzmq", 1000, "tcp", server?.secretKey);
  const keys =
    server && client ? { curveServerKey: server.publicKey, curvePublicKey: client.publicKey, curveSecretKey: client.secretKey } : {};
  const push = new Push({ context, linger: 0, ...keys });
  push.connect(receiver.endpoint);
  const body = allocated ? push.allocate(size).fill(1) : Buffer.alloc(size, 1);
  const send = async (n: number) => {
    const ack = receiver.request(n, size);
    for (let i = 0; i < n; i++) {
      if (busyUs > 0) spin(busyUs);
      if (!push.trySend(body)) await push.send(body);
    }
    await ack;
  };
  try {
    // Half the count again as warm-up: each cell's Context starts fresh Workers, whose code is
    // compiled anew; a short warm-up leaves that compiling inside the measured window.
    await send(Math.ceil(count / 2));
    const cpu = startCpuSplit(receiver.pid);
    const start = performance.now();
    await send(count);
    return { value: count / ((performance.now() - start) / 1000), cpu: cpu?.stop(count) };
  } finally {
    push.close();
    await receiver.stop();
  }
}

async function latency(context: Context, count: number): Promise<{ p50: number; p99: number }> {
  const rep = new Reply({ linger: 0 });
  await rep.bind("tcp://127.0.0.1:*");
  const req = new Request({ context, linger: 0 });
  req.connect(rep.lastEndpoint!);
  const serving = (async () => {
    for await (const message of rep) await rep.send(message);
  })().catch(() => {});
  const body = Buffer.alloc(64, 1);
  const times: number[] = [];
  for (let i = 0; i < count + 500; i++) {
    const start = performance.now();
    await req.send(body);
    await req.receive();
    if (i >= 500) times.push((performance.now() - start) * 1000);
  }
  req.close();
  rep.close();
  await serving;
  times.sort((a, b) => a - b);
  return { p50: times[times.length >> 1]!, p99: times[Math.floor(times.length * 0.99)]! };
}

async function manyConnections(
  context: Context,
  connections: number,
  count: number,
): Promise<{ connectMs: number; msgsPerSecond: number }> {
  const receiver = await Receiver.spawn("bunzmq", 1000, "tcp");
  const push = new Push({ context, linger: 0 });
  try {
    let handshakes = 0;
    const allUp = new Promise<void>((resolve) => push.events.on("handshake", () => ++handshakes === connections && resolve()));
    const start = performance.now();
    for (let i = 0; i < connections; i++) push.connect(receiver.endpoint);
    await allUp;
    const connectMs = performance.now() - start;
    const body = Buffer.alloc(16, 1);
    const ack = receiver.request(count, 16);
    const sendStart = performance.now();
    for (let i = 0; i < count; i++) if (!push.trySend(body)) await push.send(body);
    await ack;
    return { connectMs, msgsPerSecond: count / ((performance.now() - sendStart) / 1000) };
  } finally {
    push.close();
    await receiver.stop();
  }
}

type Row = Record<(typeof THREADS)[number], number>;
const rows: Array<{ name: string; unit: string; higherIsBetter: boolean; values: Row }> = [];
const cpuRows: CpuRow[] = [];

async function measure(
  name: string,
  unit: string,
  higherIsBetter: boolean,
  run: (context: Context) => Promise<number | Sample>,
): Promise<void> {
  if (ONLY !== undefined && !name.includes(ONLY)) return;
  const values = {} as Row;
  const samples: Record<number, Sample[]> = { 0: [], 1: [], 2: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const threads of THREADS) {
      interrupt.check();
      const context = new Context({ ioThreads: threads });
      const sample = await run(context);
      samples[threads]!.push(typeof sample === "number" ? { value: sample } : sample);
      await context.close();
    }
  }
  const cpu: CpuRow["cpu"] = {};
  for (const threads of THREADS) {
    values[threads] = median(samples[threads]!.map((sample) => sample.value));
    const splits = samples[threads]!.flatMap((sample) => (sample.cpu ? [sample.cpu] : []));
    if (splits.length > 0) cpu[threads] = medianSplit(splits);
  }
  rows.push({ name, unit, higherIsBetter, values });
  if (Object.keys(cpu).length > 0) cpuRows.push({ name, rate: values, cpu });
  const cells = THREADS.map((t) => `${t}: ${format(values[t], unit)}`).join("   ");
  console.log(`${name.padEnd(40)} ${cells}`);
}

function format(value: number, unit: string): string {
  if (unit === "msgs/s") return value >= 1e6 ? `${(value / 1e6).toFixed(2)} M` : `${(value / 1e3).toFixed(1)} k`;
  return `${value.toFixed(unit === "ms" ? 0 : 1)} ${unit}`;
}

async function main(): Promise<number> {
  const started = performance.now();
  console.log(
    `I/O threads 0 / 1 / 2, ${QUICK ? "quick, 1 round" : `median of ${ROUNDS} rounds`} (sender in this process, bunzmq PULL receiver in a child)\n`,
  );
  let p99: Row | null = null;
  try {
    await measure("plain 16 B", "msgs/s", true, (c) => throughput(c, 16, scale(400_000)));
    await measure("plain 64 KiB", "msgs/s", true, (c) => throughput(c, 65536, scale(8_000)));
    await measure("plain 64 KiB, body from allocate()", "msgs/s", true, (c) => throughput(c, 65536, scale(8_000), { allocated: true }));
    await measure("CURVE 1 KiB", "msgs/s", true, (c) => throughput(c, 1024, scale(40_000), { curve: true }));
    await measure("busy app: 5 µs CPU per message, 16 B", "msgs/s", true, (c) => throughput(c, 16, scale(60_000), { busyUs: 5 }));
    await measure("busy app + CURVE 1 KiB", "msgs/s", true, (c) => throughput(c, 1024, scale(60_000), { curve: true, busyUs: 5 }));
    await measure("REQ/REP 64 B round trip p50", "µs", false, async (c) => {
      const { p50, p99: tail } = await latency(c, scale(5_000));
      p99 = { ...(p99 ?? ({} as Row)), [c.ioThreads]: tail } as Row;
      return p50;
    });
    if (p99 !== null) rows.push({ name: "REQ/REP 64 B round trip p99 (last round)", unit: "µs", higherIsBetter: false, values: p99 });
    await measure("1,000 connections: connect all", "ms", false, async (c) => (await manyConnections(c, 1000, scale(200_000))).connectMs);
    await measure(
      "1,000 connections: 16 B msgs/s",
      "msgs/s",
      true,
      async (c) => (await manyConnections(c, 1000, scale(200_000))).msgsPerSecond,
    );
  } catch (error) {
    if (error instanceof Interrupted) return reportInterrupted("io-threads", started);
    throw error;
  }
  console.log("\nratio against ioThreads 0 (above 1.00× means the threads help):");
  for (const row of rows) {
    const ratio = (t: 1 | 2) => (row.higherIsBetter ? row.values[t] / row.values[0] : row.values[0] / row.values[t]);
    console.log(`  ${row.name.padEnd(42)} 1 thread ${ratio(1).toFixed(2)}×   2 threads ${ratio(2).toFixed(2)}×`);
  }
  printCpuTable(cpuRows);
  return finishRun({
    bench: "io-threads",
    context: runContext(),
    footer: "Each cell is a fresh Context; the receiver's engines always run on its own application thread.",
    failed: [],
    save: !cli.flag("no-save"),
    record: { rounds: ROUNDS, quick: QUICK, rows, cpu: cpuRows },
  });
}

process.exitCode = await main();
