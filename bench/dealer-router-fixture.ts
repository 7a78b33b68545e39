// The two sides of bench/dealer-router.ts, each in its own process.
//
//   bun bench/dealer-router-fixture.ts router <impl> <bind endpoint>
//     Binds a ROUTER, prints `ENDPOINT <endpoint>`, echoes every request to its sender ([id, body]
//     in, [id, body] out) until stdin closes or its parent dies.
//   bun bench/dealer-router-fixture.ts dealer <impl> <endpoint> <in flight>
//     Connects a DEALER, prints `READY`, then serves control lines on stdin:
//       WARM <count> <size>  -> `DONE <count> <elapsed ns>`  from the first send to the last reply
//       RUN <count> <size>   -> `DONE <count> <elapsed ns>`  the same, and each request's latency kept
//       STATS                -> `STATS <n> <p50> <p99>` per-request latency (ns) over every RUN
//                               since the last STATS, then forgets them
//     Any failure answers `FAIL <reason>`; the DEALER is then unusable.
//   <impl>: `libzmq` (blocking, C style), `bunzmq` (zeromq.js API: await send, await receive /
//   for await), `bunzmq-batch` (bunzmq's receiveBatch + trySend, await send only when full).
//
// The DEALER keeps exactly <in flight> requests outstanding: it sends that many, then one new
// request per reply, until <count> replies are in. Replies come back in request order (one
// connection, and every ROUTER here echoes in arrival order), so reply k answers request k and its
// latency is "now" minus the send time kept in a ring of <in flight> slots. Bun.nanoseconds()
// (~30 ns) is read once per request and once per reply, in every implementation alike.

import { writeSync } from "node:fs";
import { Dealer, Router } from "../src/index.ts";
import { BlockingLineReader, onStdinLines, percentile } from "./child.ts";
import { cBuffer, LibzmqContext, ZMQ } from "../peers/libzmq/index.ts";

const TIMEOUT_MS = 2000;
const parentPid = process.ppid;

type Impl = "libzmq" | "bunzmq" | "bunzmq-batch";

function say(line: string): void {
  writeSync(1, `${line}\n`);
}

function die(message: string): never {
  process.stderr.write(`dealer-router-fixture: ${message}\n`);
  process.exit(1);
}

/** One control line, parsed; null for STATS. */
function parseLine(line: string): { record: boolean; count: number; size: number } | null {
  const words = line.trim().split(/\s+/);
  if (words[0] === "STATS") return null;
  const count = Number(words[1]);
  const size = Number(words[2]);
  const known = words[0] === "RUN" || words[0] === "WARM";
  if (!known || !Number.isInteger(count) || count <= 0 || !Number.isInteger(size) || size < 0 || size > 65536) die(`bad line "${line}"`);
  return { record: words[0] === "RUN", count, size };
}

/** Per-request latencies of the RUN lines since the last STATS. */
class Latencies {
  #runs: Float64Array[] = [];

  /** Room for one RUN's samples, kept until the next take(). */
  next(count: number): Float64Array {
    const samples = new Float64Array(count);
    this.#runs.push(samples);
    return samples;
  }

  take(): string {
    const all = new Float64Array(this.#runs.reduce((n, r) => n + r.length, 0));
    let at = 0;
    for (const run of this.#runs) {
      all.set(run, at);
      at += run.length;
    }
    this.#runs = [];
    all.sort();
    return `STATS ${all.length} ${Math.round(percentile(all, 50))} ${Math.round(percentile(all, 99))}`;
  }
}

/** The answer to a RUN or WARM line. */
function done(count: number, bad: number, elapsedNs: number): string {
  if (bad > 0) return `FAIL ${bad} of ${count} replies had the wrong size`;
  return `DONE ${count} ${Math.round(elapsedNs)}`;
}

function pattern(size: number, alloc: (n: number) => Uint8Array): Uint8Array {
  const body = alloc(size);
  for (let i = 0; i < size; i++) body[i] = (i * 31 + 7) & 0xff;
  return body;
}

// ---------------------------------------------------------------------------------------------
// libzmq: blocking calls, one reused zmq_msg_t for receiving, zmq_send from one reused buffer.

function libzmqRouter(bindTo: string): void {
  const router = new LibzmqContext().socket(ZMQ.ROUTER);
  router.setInt(ZMQ.RCVTIMEO, 500); // wake up to notice a dead parent
  router.setInt(ZMQ.SNDTIMEO, TIMEOUT_MS);
  router.bind(bindTo);
  say(`ENDPOINT ${router.lastEndpoint}`);
  for (;;) {
    if (router.echoMessage() < 0 && process.ppid !== parentPid) process.exit(0);
  }
}

function libzmqDealer(endpoint: string, inFlight: number): void {
  const dealer = new LibzmqContext().socket(ZMQ.DEALER);
  dealer.setInt(ZMQ.RCVTIMEO, TIMEOUT_MS);
  dealer.setInt(ZMQ.SNDTIMEO, TIMEOUT_MS);
  dealer.connect(endpoint);
  const body = pattern(65536, cBuffer);
  const latencies = new Latencies();
  const sentAt = new Float64Array(inFlight);
  const lines = new BlockingLineReader();
  say("READY");
  for (let line = lines.next(); line !== null; line = lines.next()) {
    const run = parseLine(line);
    if (run === null) {
      say(latencies.take());
      continue;
    }
    const { record, count, size } = run;
    const samples = record ? latencies.next(count) : null;
    const t0 = Bun.nanoseconds();
    let sent = 0;
    for (; sent < Math.min(inFlight, count); sent++) {
      sentAt[sent % inFlight] = Bun.nanoseconds();
      dealer.sendMany(body, size, 1);
    }
    let bad = 0;
    for (let received = 0; received < count; received++) {
      const got = dealer.receiveSize();
      const now = Bun.nanoseconds();
      if (got < 0) {
        say(`FAIL no reply in ${TIMEOUT_MS} ms (reply ${received} of ${count})`);
        process.exit(1);
      }
      if (got !== size) bad++;
      if (samples) samples[received] = now - sentAt[received % inFlight]!;
      if (sent < count) {
        sentAt[sent++ % inFlight] = now;
        dealer.sendMany(body, size, 1);
      }
    }
    say(done(count, bad, Bun.nanoseconds() - t0));
  }
  dealer.context.term();
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// bunzmq

async function bunzmqRouter(impl: Impl, bindTo: string): Promise<void> {
  const router = new Router({ linger: 0 });
  await router.bind(bindTo);
  onStdinLines(
    () => {},
    () => {
      router.close();
      process.exit(0);
    },
  );
  say(`ENDPOINT ${router.lastEndpoint}`);
  if (impl === "bunzmq") {
    for await (const [id, body] of router) await router.send([id!, body!]);
    return;
  }
  for (;;) {
    for (const message of await router.receiveBatch()) {
      if (!router.trySend(message)) await router.send(message);
    }
  }
}

/** One RUN or WARM: `count` requests of `body`, `inFlight` outstanding; returns the replies of the wrong size. */
async function bunzmqRequests(dealer: Dealer, batched: boolean, body: Uint8Array, count: number, inFlight: number, samples: Float64Array | null): Promise<number> {
  const sentAt = new Float64Array(inFlight);
  let sent = 0;
  for (; sent < Math.min(inFlight, count); sent++) {
    sentAt[sent % inFlight] = Bun.nanoseconds();
    if (!batched) await dealer.send(body);
    else if (!dealer.trySend(body)) await dealer.send(body);
  }
  let bad = 0;
  for (let received = 0; received < count; ) {
    // One reply at a time the zeromq.js way, or every reply that is there.
    const replies = batched ? await dealer.receiveBatch(inFlight) : [await dealer.receive()];
    const now = Bun.nanoseconds();
    for (const [reply] of replies) {
      if (reply?.length !== body.length) bad++;
      if (samples) samples[received] = now - sentAt[received % inFlight]!;
      received++;
      if (sent >= count) continue;
      sentAt[sent++ % inFlight] = now;
      if (!batched) await dealer.send(body);
      else if (!dealer.trySend(body)) await dealer.send(body);
    }
  }
  return bad;
}

async function bunzmqDealer(impl: Impl, endpoint: string, inFlight: number): Promise<void> {
  const dealer = new Dealer({ linger: 0, receiveTimeout: TIMEOUT_MS, sendTimeout: TIMEOUT_MS });
  dealer.connect(endpoint);
  const body = pattern(65536, (n) => new Uint8Array(n));
  const latencies = new Latencies();
  const requests: string[] = [];
  let wake: (() => void) | null = null;
  onStdinLines(
    (line) => {
      requests.push(line);
      wake?.();
    },
    () => {
      dealer.close();
      process.exit(0);
    },
  );
  say("READY");
  for (;;) {
    while (requests.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
    const run = parseLine(requests.shift()!);
    if (run === null) {
      say(latencies.take());
      continue;
    }
    const { record, count, size } = run;
    const t0 = Bun.nanoseconds();
    try {
      const bad = await bunzmqRequests(dealer, impl === "bunzmq-batch", body.subarray(0, size), count, inFlight, record ? latencies.next(count) : null);
      say(done(count, bad, Bun.nanoseconds() - t0));
    } catch (error) {
      say(`FAIL ${(error as Error).message}`);
      process.exit(1);
    }
  }
}

// ---------------------------------------------------------------------------------------------

if (import.meta.main) {
  const [role, impl, endpoint, inFlightText] = process.argv.slice(2) as [string?, Impl?, string?, string?];
  const inFlight = Number(inFlightText ?? 100);
  if (!Number.isInteger(inFlight) || inFlight < 1) die(`bad in-flight count "${inFlightText}"`);
  // A bunzmq fixture's event loop is free, so it sees stdin close; also leave when orphaned.
  if (impl !== "libzmq") setInterval(() => process.ppid !== parentPid && process.exit(0), 1000).unref();
  if (!endpoint || !(impl === "libzmq" || impl === "bunzmq" || impl === "bunzmq-batch")) {
    die(`usage: bun bench/dealer-router-fixture.ts router|dealer libzmq|bunzmq|bunzmq-batch <endpoint> [in flight] (got ${process.argv.slice(2).join(" ")})`);
  }
  if (role === "router" && impl === "libzmq") libzmqRouter(endpoint);
  else if (role === "router") await bunzmqRouter(impl, endpoint);
  else if (role === "dealer" && impl === "libzmq") libzmqDealer(endpoint, inFlight);
  else if (role === "dealer") await bunzmqDealer(impl, endpoint, inFlight);
  else die(`unknown role "${role}"`);
}
