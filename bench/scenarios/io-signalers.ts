// The two doorbells of src/thread against each other (issue 8: "measure both and make the winner
// the default"): the application thread and a Worker that echoes records
// (peers/ring-echo-worker.ts), with both sides on "atomics" or both on "eventfd".
//   idle wake-up  one record there and back at a time, both threads asleep in between: median and
//                 p99 round trip
//   under load    200,000 records of 16 B streamed through the echo, rings of 64 KiB: records/s
//   idle CPU      both threads asleep for 2 s, measured first (before any load leaves garbage to
//                 collect): the process's CPU time meanwhile, beside the same wait with no Worker
// Run: `bun run bench:io-signalers [--quick] [--no-save]` (`--help`). Ctrl-C: the phase under way
// ends, the signalers measured so far are shown, nothing is saved (exit 130).

import { benchCommand, COMMON_OPTIONS, Interrupted, reportInterrupted } from "../harness/command.ts";
import { finishRun, runContext } from "../report/run-record.ts";
import { RingReader, RingWriter, createRing } from "../../src/thread/byte-ring.ts";
import { AtomicsDoorbell, AtomicsRinger, type Doorbell, type DoorbellAddress, type DoorbellRinger } from "../../src/thread/doorbell.ts";
import { EventfdDoorbell, EventfdRinger } from "../../src/thread/eventfd-doorbell.ts";

type Kind = "atomics" | "eventfd";
const USAGE = `
usage: bun run bench:io-signalers [options]

The two doorbells between the application thread and an I/O Worker, Atomics against eventfd: idle
wake-up round trip, records/s under load, CPU while idle.

options:
  --quick      fewer round trips and records, shorter idle wait
  --no-save    do not write bench/results/*.json
`;
const { cli, interrupt } = benchCommand("io-signalers", USAGE, COMMON_OPTIONS);
const QUICK = cli.flag("quick");
const ROUND_TRIPS = QUICK ? 2_000 : 10_000;
const STREAM = QUICK ? 50_000 : 200_000;
const IDLE_MS = QUICK ? 500 : 2_000;
const STOP = 0xffffffff;

interface Session {
  doorbell: Doorbell;
  worker: Worker;
  writer: RingWriter;
  reader: RingReader;
  workerBell: DoorbellRinger;
}

async function open(kind: Kind): Promise<Session> {
  const toWorker = createRing(64 * 1024);
  const fromWorker = createRing(64 * 1024);
  const doorbell: Doorbell = kind === "atomics" ? new AtomicsDoorbell() : new EventfdDoorbell();
  const worker = new Worker(new URL("../../peers/ring-echo-worker.ts", import.meta.url).href);
  const address = await new Promise<DoorbellAddress>((resolve) => {
    worker.onmessage = (event) => resolve(event.data as DoorbellAddress);
    worker.postMessage({ input: toWorker, output: fromWorker, kind, mainDoorbell: doorbell.address });
  });
  const workerBell = kind === "atomics" ? new AtomicsRinger(address) : new EventfdRinger(address);
  return { doorbell, worker, writer: new RingWriter(toWorker), reader: new RingReader(fromWorker), workerBell };
}

async function close(session: Session): Promise<void> {
  const stopped = new Promise<void>((resolve) => {
    session.worker.onmessage = (event) => event.data === "stopped" && resolve();
  });
  session.writer.tryWriteBytes(STOP, new Uint8Array(0));
  session.writer.publish();
  session.workerBell.ring();
  await stopped;
  session.worker.terminate();
  session.doorbell.close();
}

/** Median and p99 of one-record round trips, each starting with both threads asleep. */
async function idleWakeUp(session: Session): Promise<{ medianUs: number; p99Us: number }> {
  const { writer, reader, doorbell, workerBell } = session;
  const record = new Uint8Array(16);
  const times: number[] = [];
  for (let i = 0; i < ROUND_TRIPS + 200; i++) {
    const start = performance.now();
    writer.tryWriteBytes(i, record);
    writer.publish();
    workerBell.ring();
    while (reader.drain(() => {}) === 0) await doorbell.sleep(() => reader.readable);
    if (i >= 200) times.push((performance.now() - start) * 1000);
  }
  times.sort((a, b) => a - b);
  return { medianUs: times[times.length >> 1]!, p99Us: times[Math.floor(times.length * 0.99)]! };
}

/** Records per second streamed through the echo, with batches as large as the rings allow. */
async function underLoad(session: Session): Promise<number> {
  const { writer, reader, doorbell, workerBell } = session;
  const record = new Uint8Array(16);
  let sent = 0;
  let received = 0;
  const start = performance.now();
  while (received < STREAM) {
    while (sent < STREAM && writer.tryWriteBytes(sent, record)) sent++;
    if (writer.publish()) workerBell.ring();
    received += reader.drain(() => {});
    if (reader.takeWriterWaiting()) workerBell.ring();
    if (received === STREAM) break;
    await doorbell.sleep(() => reader.readable || (sent < STREAM && writer.waitForRecord(16)));
  }
  return STREAM / ((performance.now() - start) / 1000);
}

/** The process's CPU time (user + system, ms) while both threads sleep for IDLE_MS. */
async function idleCpu(): Promise<number> {
  const before = process.cpuUsage();
  await Bun.sleep(IDLE_MS);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

type Result = { medianUs: number; p99Us: number; recordsPerSecond: number; idleCpuMs: number };

/** Both signalers in turn, each with its own Worker (closed even when Ctrl-C stops the run). */
async function measureAll(results: Record<string, Result>): Promise<void> {
  for (const kind of ["atomics", "eventfd"] as const) {
    interrupt.check();
    const session = await open(kind);
    try {
      await Bun.sleep(300);
      const idleCpuMs = await idleCpu();
      interrupt.check();
      const wake = await idleWakeUp(session);
      interrupt.check();
      const recordsPerSecond = await underLoad(session);
      results[kind] = { ...wake, recordsPerSecond, idleCpuMs };
    } finally {
      await close(session);
    }
  }
}

function printResults(results: Record<string, Result>, baselineIdleCpuMs: number): void {
  console.log(`\nDoorbells between the application thread and one Worker (both sides the same kind); ${QUICK ? "quick" : "full"} run`);
  console.log(
    `signaler   idle round trip p50 / p99   16 B records/s under load   CPU while idle (no Worker: ${baselineIdleCpuMs.toFixed(1)} ms)`,
  );
  for (const [kind, r] of Object.entries(results)) {
    console.log(
      `${kind.padEnd(10)} ${`${r.medianUs.toFixed(1)} / ${r.p99Us.toFixed(1)} µs`.padEnd(27)} ${`${(r.recordsPerSecond / 1e6).toFixed(2)} M`.padEnd(27)} ${r.idleCpuMs.toFixed(1)} ms in ${IDLE_MS} ms`,
    );
  }
}

async function main(): Promise<number> {
  const started = performance.now();
  const results: Record<string, Result> = {};
  const baselineIdleCpuMs = await idleCpu();
  try {
    await measureAll(results);
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
    printResults(results, baselineIdleCpuMs);
    return reportInterrupted("io-signalers", started);
  }
  printResults(results, baselineIdleCpuMs);
  return finishRun({
    bench: "io-signalers",
    context: runContext(),
    footer: `${ROUND_TRIPS} round trips, ${STREAM} streamed records, ${IDLE_MS} ms idle per signaler.`,
    failed: [],
    save: !cli.flag("no-save"),
    record: { roundTrips: ROUND_TRIPS, streamed: STREAM, idleMs: IDLE_MS, baselineIdleCpuMs, results },
  });
}

process.exitCode = await main();
