// The receiving side of bench/push-pull.ts: one PULL socket (bunzmq or libzmq) in its own process.
//
//   bun bench/pull-fixture.ts bunzmq|libzmq [receiveHighWaterMark, default 1000] [bind endpoint]
//                             [--curve <secret key, Z85>]
//
// With --curve the PULL is a CURVE server holding that secret key (bench/curve.ts); without, NULL.
// Binds the endpoint (default tcp://127.0.0.1:*; push-pull.ts passes an ipc:// path for ipc) and
// prints `ENDPOINT <endpoint>` on stdout. Then, for every line `<count> <size>` read from stdin, it
// receives exactly <count> single-frame messages and prints `OK <count> <bad>`, where <bad> counts
// messages that were not one frame of <size> bytes. That line is the only control traffic per
// batch; the data path carries nothing but the messages.
// Each message is only counted and its size checked: neither receiver copies or reads the bytes.
// If a batch makes no progress for 2 s, it prints `STALL <received> <count>` once (and keeps going).
//
// Lifetime: exits 0 when stdin closes. If the parent dies mid-batch, the bunzmq receiver still sees
// stdin close (its event loop is free); the libzmq receiver blocks in zmq_msg_recv, so it wakes every
// second (RCVTIMEO) and exits when its parent is gone (ppid changed) or no message came for 30 s.

import { readSync, writeSync } from "node:fs";
import { Pull } from "../src/index.ts";
import { LibzmqContext, ZMQ } from "../peers/libzmq/index.ts";

const STALL_REPORT_S = 2;
const STALL_LIMIT_S = 30;
const parentPid = process.ppid;

function say(line: string): void {
  writeSync(1, `${line}\n`);
}

function die(message: string): never {
  process.stderr.write(`pull-fixture: ${message}\n`);
  process.exit(1);
}

function parseRequest(line: string): { count: number; size: number } {
  const [count, size] = line.trim().split(/\s+/).map(Number);
  if (!Number.isInteger(count) || !Number.isInteger(size) || count! <= 0 || size! < 0) die(`bad request line "${line}"`);
  return { count: count!, size: size! };
}

// libzmq: the fair method of perf-anchors caveat 4 — blocking zmq_msg_recv into one reused zmq_msg_t.
function runLibzmq(highWaterMark: number, endpoint: string, curveSecretKey: string | undefined): void {
  const pull = new LibzmqContext().socket(ZMQ.PULL);
  pull.setInt(ZMQ.RCVHWM, highWaterMark);
  if (curveSecretKey !== undefined) {
    pull.setInt(ZMQ.CURVE_SERVER, 1);
    pull.setBytes(ZMQ.CURVE_SECRETKEY, curveSecretKey);
  }
  pull.setInt(ZMQ.RCVTIMEO, 1000);
  pull.bind(endpoint);
  say(`ENDPOINT ${pull.lastEndpoint}`);
  const input = Buffer.alloc(4096);
  let pending = "";
  for (;;) {
    let newline = pending.indexOf("\n");
    while (newline < 0) {
      const n = readSync(0, input, 0, input.length, null);
      if (n === 0) {
        pull.context.term();
        process.exit(0);
      }
      pending += input.toString("latin1", 0, n);
      newline = pending.indexOf("\n");
    }
    const { count, size } = parseRequest(pending.slice(0, newline));
    pending = pending.slice(newline + 1);
    let bad = 0;
    let idleSeconds = 0;
    let seenAtLastTimeout = -1;
    for (let i = 0; i < count; ) {
      const got = pull.receiveSize();
      if (got >= 0) {
        if (got !== size) bad++;
        i++;
        continue;
      }
      // RCVTIMEO expired: stay only while the parent lives and the batch is not stuck for good.
      if (process.ppid !== parentPid) process.exit(0);
      idleSeconds = i === seenAtLastTimeout ? idleSeconds + 1 : 1;
      seenAtLastTimeout = i;
      if (idleSeconds === STALL_REPORT_S) say(`STALL ${i} ${count}`);
      if (idleSeconds >= STALL_LIMIT_S) die(`stalled at ${i}/${count} messages`);
    }
    say(`OK ${count} ${bad}`);
  }
}

// bunzmq: the idiomatic fast receiver, receiveBatch() (every ready message per await).
async function runBunzmq(highWaterMark: number, endpoint: string, curveSecretKey: string | undefined): Promise<void> {
  const curve = curveSecretKey !== undefined ? { curveServer: true, curveSecretKey } : {};
  const pull = new Pull({ linger: 0, receiveHighWaterMark: highWaterMark, ...curve });
  await pull.bind(endpoint);
  const requests: string[] = [];
  let wake: (() => void) | null = null;
  let pending = "";
  process.stdin.on("data", (chunk: Buffer) => {
    pending += chunk.toString("latin1");
    let newline: number;
    while ((newline = pending.indexOf("\n")) >= 0) {
      requests.push(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
    }
    wake?.();
  });
  const exit = () => {
    pull.close();
    process.exit(0);
  };
  process.stdin.on("end", exit);
  process.stdin.on("close", exit);

  // Progress of the batch in hand, sampled once a second by the stall reporter.
  let count = 0;
  let received = 0;
  let lastSample = -1;
  let idleSeconds = 0;
  const stallTimer = setInterval(() => {
    if (received >= count) return void (idleSeconds = 0);
    idleSeconds = received === lastSample ? idleSeconds + 1 : 0;
    lastSample = received;
    if (idleSeconds === STALL_REPORT_S) say(`STALL ${received} ${count}`);
  }, 1000);
  stallTimer.unref();

  say(`ENDPOINT ${pull.lastEndpoint}`);
  for (;;) {
    while (requests.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
    const request = parseRequest(requests.shift()!);
    const size = request.size;
    count = request.count;
    received = 0;
    lastSample = -1;
    idleSeconds = 0;
    let bad = 0;
    while (received < count) {
      const messages = await pull.receiveBatch(Math.min(4096, count - received));
      for (let i = 0; i < messages.length; i++) {
        const message = messages[i]!;
        if (message.length !== 1 || message[0]!.length !== size) bad++;
      }
      received += messages.length;
    }
    say(`OK ${received} ${bad}`);
  }
}

const args = process.argv.slice(2);
const curveAt = args.indexOf("--curve");
const curveSecretKey = curveAt >= 0 ? args.splice(curveAt, 2)[1] : undefined;
if (curveAt >= 0 && curveSecretKey?.length !== 40) die("--curve needs the server's secret key as 40 characters of Z85");
const [impl, hwmArg, endpoint = "tcp://127.0.0.1:*"] = args;
const highWaterMark = Number(hwmArg ?? 1000);
if (!Number.isInteger(highWaterMark) || highWaterMark < 0) die(`bad receiveHighWaterMark "${hwmArg}"`);
if (impl === "libzmq") runLibzmq(highWaterMark, endpoint, curveSecretKey);
else if (impl === "bunzmq") await runBunzmq(highWaterMark, endpoint, curveSecretKey);
else die(`usage: bun bench/pull-fixture.ts bunzmq|libzmq [receiveHighWaterMark] [bind endpoint] [--curve <secret key>] (got ${impl})`);
