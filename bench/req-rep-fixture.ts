// The two sides of bench/req-rep-latency.ts, each in its own process.
//
//   bun bench/req-rep-fixture.ts rep bunzmq|libzmq [bind endpoint, default tcp://127.0.0.1:*]
//     Binds a REP, prints `ENDPOINT <endpoint>`, echoes every request (same size) until stdin
//     closes or its parent dies.
//   bun bench/req-rep-fixture.ts req bunzmq|libzmq <endpoint>|inproc|inproc-one-thread
//     Connects a REQ (with `inproc`, to a REP it starts in this process: bench/req-rep-inproc.ts;
//     libzmq only: `inproc-one-thread` keeps that REP in the REQ's thread), prints `READY`, then
//     serves control lines on stdin:
//       WARM <count> <size>  -> `DONE <count>`            round trips, not recorded
//       RUN <count> <size>   -> `DONE <count> <p50 ns>`   round trips, each one timed and recorded
//       STATS                -> `STATS <n> <min> <p50> <p90> <p99> <max> <mean>` (ns) over every RUN
//                               sample since the last STATS, then forgets them
//     Any failure answers `FAIL <reason>` (then the REQ is unusable: the row is broken).
//
// Timing: each round trip (send one message, receive the one reply) is timed on its own with
// Bun.nanoseconds() around it, in the client's own process, and the client computes the
// percentiles (nearest rank) over all samples. We do not use mitata here: mitata times batches of
// calls and reports statistics of per-batch averages, while a latency p99 needs every single
// round trip. Bun.nanoseconds() costs ~30 ns, far below a ~100 µs round trip.
//
// libzmq is driven like a C program (perf-anchors caveat 4): blocking zmq_send from one reused
// buffer, blocking zmq_msg_recv into one reused zmq_msg_t, no copy out. Its REP echoes by sending
// a buffer of the received size (the reply's bytes are not the request's; only sizes are checked).
// bunzmq is driven the zeromq.js way: `await req.send(msg); await req.receive()`, and the REP is
// `for await (const [msg] of rep) await rep.send(msg)`.

import { writeSync } from "node:fs";
import { BlockingLineReader, onStdinLines, percentile } from "./child.ts";
import { cBuffer, LibzmqContext, ZMQ } from "../peers/libzmq/index.ts";
import { bunzmqInprocRep, libzmqInprocRep, libzmqOneThreadRep } from "./req-rep-inproc.ts";

const TIMEOUT_MS = 2000;
const parentPid = process.ppid;

function say(line: string): void {
  writeSync(1, `${line}\n`);
}

function die(message: string): never {
  process.stderr.write(`req-rep-fixture: ${message}\n`);
  process.exit(1);
}

interface ReqLike {
  connect(endpoint: string): void;
  send(message: Uint8Array): Promise<void>;
  receive(): Promise<Buffer[]>;
  close(): void;
}
interface RepLike extends AsyncIterable<Buffer[]> {
  bind(endpoint: string): Promise<void>;
  readonly lastEndpoint: string | null;
  send(message: Uint8Array): Promise<void>;
  close(): void;
}
type Api = { Request?: new (options?: object) => ReqLike; Reply?: new (options?: object) => RepLike };

/** bunzmq's Request/Reply, or null while src/index.ts does not export them yet. */
export async function bunzmqReqRep(): Promise<{ Request: NonNullable<Api["Request"]>; Reply: NonNullable<Api["Reply"]> } | null> {
  const api = (await import("../src/index.ts")) as unknown as Api;
  return api.Request && api.Reply ? { Request: api.Request, Reply: api.Reply } : null;
}

/** Samples of the RUN lines since the last STATS, in ns. */
class Samples {
  #values: number[] = [];

  add(ns: number): void {
    this.#values.push(ns);
  }

  /** p50 of the last `count` samples (one RUN line's). */
  lastMedian(count: number): number {
    const tail = Float64Array.from(this.#values.slice(-count)).sort();
    return percentile(tail, 50);
  }

  /** The STATS line, and forget the samples. */
  take(): string {
    const sorted = Float64Array.from(this.#values).sort();
    this.#values = [];
    let sum = 0;
    for (const v of sorted) sum += v;
    const pick = (p: number) => Math.round(percentile(sorted, p));
    return `STATS ${sorted.length} ${Math.round(sorted[0] ?? NaN)} ${pick(50)} ${pick(90)} ${pick(99)} ${Math.round(sorted[sorted.length - 1] ?? NaN)} ${Math.round(sum / sorted.length)}`;
  }
}

function parseRun(words: string[]): { count: number; size: number } {
  const count = Number(words[1]);
  const size = Number(words[2]);
  if (!Number.isInteger(count) || count <= 0 || !Number.isInteger(size) || size < 0 || size > 65536) die(`bad line "${words.join(" ")}"`);
  return { count, size };
}

// ---------------------------------------------------------------------------------------------
// libzmq

function libzmqRep(bindTo: string): void {
  const rep = new LibzmqContext().socket(ZMQ.REP);
  rep.setInt(ZMQ.RCVTIMEO, 500); // wake up to notice a dead parent
  rep.setInt(ZMQ.SNDTIMEO, TIMEOUT_MS);
  rep.bind(bindTo);
  say(`ENDPOINT ${rep.lastEndpoint}`);
  const reply = cBuffer(65536);
  for (;;) {
    const size = rep.receiveSize();
    if (size < 0) {
      if (process.ppid !== parentPid) process.exit(0);
      continue;
    }
    rep.sendMany(reply, size, 1);
  }
}

function libzmqReq(target: string): void {
  const oneThread = target === "inproc-one-thread" ? libzmqOneThreadRep() : null;
  const inproc = target === "inproc" ? libzmqInprocRep() : oneThread;
  const echo = oneThread?.echo;
  const req = (inproc?.context ?? new LibzmqContext()).socket(ZMQ.REQ);
  req.setInt(ZMQ.RCVTIMEO, TIMEOUT_MS);
  req.setInt(ZMQ.SNDTIMEO, TIMEOUT_MS);
  req.connect(inproc?.endpoint ?? target);
  const body = cBuffer(65536);
  for (let i = 0; i < body.length; i++) body[i] = (i * 31 + 7) & 0xff;
  const samples = new Samples();
  const lines = new BlockingLineReader();
  say("READY");
  for (let line = lines.next(); line !== null; line = lines.next()) {
    const words = line.trim().split(/\s+/);
    if (words[0] === "STATS") {
      say(samples.take());
      continue;
    }
    const { count, size } = parseRun(words);
    const record = words[0] === "RUN";
    let bad = 0;
    for (let i = 0; i < count; i++) {
      const t0 = Bun.nanoseconds();
      req.sendMany(body, size, 1);
      echo?.();
      const got = req.receiveSize();
      const t1 = Bun.nanoseconds();
      if (got < 0) {
        say(`FAIL no reply in ${TIMEOUT_MS} ms (round trip ${i} of ${count})`);
        process.exit(1);
      }
      if (got !== size) bad++;
      if (record) samples.add(t1 - t0);
    }
    if (bad > 0) say(`FAIL ${bad} replies of the wrong size`);
    else say(record ? `DONE ${count} ${samples.lastMedian(count)}` : `DONE ${count}`);
  }
  req.close();
  if (inproc) inproc.close();
  else req.context.term();
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// bunzmq

async function bunzmqRep(bindTo: string): Promise<void> {
  const api = await bunzmqReqRep();
  if (!api) die("src/index.ts exports no Request/Reply yet");
  const rep = new api.Reply({ linger: 0 });
  await rep.bind(bindTo);
  onStdinLines(
    () => {},
    () => {
      rep.close();
      process.exit(0);
    },
  );
  say(`ENDPOINT ${rep.lastEndpoint}`);
  for await (const [msg] of rep) await rep.send(msg!);
}

async function bunzmqReq(target: string): Promise<void> {
  const api = await bunzmqReqRep();
  if (!api) die("src/index.ts exports no Request/Reply yet");
  const inproc = target === "inproc" ? await bunzmqInprocRep(api.Reply) : null;
  const req = new api.Request({ linger: 0, receiveTimeout: TIMEOUT_MS });
  req.connect(inproc?.endpoint ?? target);
  const body = new Uint8Array(65536);
  for (let i = 0; i < body.length; i++) body[i] = (i * 31 + 7) & 0xff;
  const samples = new Samples();
  const requests: string[] = [];
  let wake: (() => void) | null = null;
  onStdinLines(
    (line) => {
      requests.push(line);
      wake?.();
    },
    () => {
      req.close();
      inproc?.close();
      process.exit(0);
    },
  );
  say("READY");
  for (;;) {
    while (requests.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
    const words = requests.shift()!.trim().split(/\s+/);
    if (words[0] === "STATS") {
      say(samples.take());
      continue;
    }
    const { count, size } = parseRun(words);
    const record = words[0] === "RUN";
    const message = body.subarray(0, size);
    let bad = 0;
    try {
      for (let i = 0; i < count; i++) {
        const t0 = Bun.nanoseconds();
        await req.send(message);
        const [reply] = await req.receive();
        const t1 = Bun.nanoseconds();
        if (reply?.length !== size) bad++;
        if (record) samples.add(t1 - t0);
      }
    } catch (error) {
      say(`FAIL ${(error as Error).message}`);
      process.exit(1);
    }
    if (bad > 0) say(`FAIL ${bad} replies of the wrong size`);
    else say(record ? `DONE ${count} ${samples.lastMedian(count)}` : `DONE ${count}`);
  }
}

// ---------------------------------------------------------------------------------------------

if (import.meta.main) {
  const [role, impl, endpoint] = process.argv.slice(2);
  // A bunzmq fixture's event loop is free, so it sees stdin close; also leave when orphaned.
  if (impl === "bunzmq") setInterval(() => process.ppid !== parentPid && process.exit(0), 1000).unref();
  if (role === "rep" && impl === "libzmq") libzmqRep(endpoint ?? "tcp://127.0.0.1:*");
  else if (role === "rep" && impl === "bunzmq") await bunzmqRep(endpoint ?? "tcp://127.0.0.1:*");
  else if (role === "req" && impl === "libzmq" && endpoint) libzmqReq(endpoint);
  else if (role === "req" && impl === "bunzmq" && endpoint) await bunzmqReq(endpoint);
  else die(`usage: bun bench/req-rep-fixture.ts rep|req bunzmq|libzmq [endpoint] (got ${process.argv.slice(2).join(" ")})`);
}
