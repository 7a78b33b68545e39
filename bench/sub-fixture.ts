// The receiving side of bench/pub-fanout.ts: one SUB (bunzmq or libzmq), subscribed to everything,
// in its own process.
//
//   bun bench/sub-fixture.ts bunzmq|libzmq <publisher endpoint>
//
// Connects, subscribes to everything and prints `READY`. Then, per stdin line:
//   JOIN                       -> `JOINED` as soon as any message arrives (slow-joiner check; up to 10 s)
//   <count> <size> <quietMs>   -> receives until <count> messages of <size> bytes arrived, or until
//                                 none arrived for <quietMs> (with drops the count is never reached);
//                                 answers `OK <received> <ns from first to last>`. Messages of any
//                                 other size (the 1 B warm-up messages still in flight) are ignored.
// Neither receiver copies or reads the bytes. libzmq: blocking zmq_msg_recv into one reused
// zmq_msg_t with RCVTIMEO; bunzmq: receiveBatch(). Exits on stdin EOF or when its parent dies.

import { writeSync } from "node:fs";
import { BlockingLineReader, onStdinLines } from "./child.ts";
import { LibzmqContext, ZMQ } from "../peers/libzmq/index.ts";
import { Subscriber } from "../src/index.ts";

const JOIN_MS = 10_000;
/** With no message at all, a batch ends after this long (answering OK 0 ...). */
const NOTHING_MS = 5_000;
const parentPid = process.ppid;

function say(line: string): void {
  writeSync(1, `${line}\n`);
}

function die(message: string): never {
  process.stderr.write(`sub-fixture: ${message}\n`);
  process.exit(1);
}

function parseBatch(line: string): { count: number; size: number; quietMs: number } {
  const [count, size, quietMs] = line.trim().split(/\s+/).map(Number);
  if (!Number.isInteger(count) || !Number.isInteger(size) || !Number.isInteger(quietMs) || count! <= 0 || quietMs! <= 0) {
    die(`bad request line "${line}"`);
  }
  return { count: count!, size: size!, quietMs: quietMs! };
}

function runLibzmq(endpoint: string): void {
  const sub = new LibzmqContext().socket(ZMQ.SUB);
  sub.setInt(ZMQ.RCVHWM, Number(process.env.BENCH_HWM ?? 1000));
  sub.connect(endpoint);
  sub.setBytes(ZMQ.SUBSCRIBE, ""); // everything
  say("READY");
  const lines = new BlockingLineReader();
  for (let line = lines.next(); line !== null; line = lines.next()) {
    if (line.trim() === "JOIN") {
      sub.setInt(ZMQ.RCVTIMEO, 100);
      const start = performance.now();
      while (sub.receiveSize() < 0) {
        if (process.ppid !== parentPid) process.exit(0);
        if (performance.now() - start > JOIN_MS) die("no message within 10 s of JOIN");
      }
      say("JOINED");
      continue;
    }
    const { count, size, quietMs } = parseBatch(line);
    sub.setInt(ZMQ.RCVTIMEO, quietMs);
    let received = 0;
    let first = 0;
    let last = 0;
    const start = Bun.nanoseconds();
    while (received < count) {
      const got = sub.receiveSize();
      if (got < 0) {
        if (process.ppid !== parentPid) process.exit(0);
        if (received > 0 || Bun.nanoseconds() - start > NOTHING_MS * 1e6) break;
        continue;
      }
      if (got !== size) continue;
      last = Bun.nanoseconds();
      if (received === 0) first = last;
      received++;
    }
    say(`OK ${received} ${last - first}`);
  }
  sub.context.term();
  process.exit(0);
}

async function runBunzmq(endpoint: string): Promise<void> {
  const sub = new Subscriber({ linger: 0, receiveHighWaterMark: Number(process.env.BENCH_HWM ?? 1000) });
  sub.connect(endpoint);
  sub.subscribe();
  const requests: string[] = [];
  let wake: (() => void) | null = null;
  onStdinLines(
    (line) => {
      requests.push(line);
      wake?.();
    },
    () => {
      sub.close();
      process.exit(0);
    },
  );
  setInterval(() => process.ppid !== parentPid && process.exit(0), 1000).unref();
  say("READY");
  // One receiveBatch() outstanding at a time; a batch ends on count, or on a quiet timer.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const quietOr = <T>(receive: Promise<T>, ms: number) =>
    Promise.race([receive, new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)))]).finally(() => clearTimeout(timer));
  let outstanding: Promise<Buffer[][]> | null = null;
  const next = () => (outstanding ??= sub.receiveBatch(4096));
  for (;;) {
    while (requests.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
    const line = requests.shift()!.trim();
    if (line === "JOIN") {
      const messages = await quietOr(next(), JOIN_MS);
      if (messages === null) die("no message within 10 s of JOIN");
      outstanding = null;
      say("JOINED");
      continue;
    }
    const { count, size, quietMs } = parseBatch(line);
    let received = 0;
    let first = 0;
    let last = 0;
    while (received < count) {
      const messages = await quietOr(next(), received > 0 ? quietMs : NOTHING_MS);
      if (messages === null) break;
      outstanding = null;
      const now = Bun.nanoseconds();
      for (let i = 0; i < messages.length; i++) {
        const message = messages[i]!;
        if (message.length !== 1 || message[0]!.length !== size) continue;
        if (received === 0) first = now;
        received++;
      }
      last = now;
    }
    // (With the count reached, a batch of a few extra messages would be lost here; a batch only
    // ever carries <count> messages of <size>, so only 1 B warm-up strays can be in it.)
    say(`OK ${received} ${last - first}`);
  }
}

const [impl, endpoint] = process.argv.slice(2);
if (!endpoint) die("usage: bun bench/sub-fixture.ts bunzmq|libzmq <endpoint>");
if (impl === "libzmq") runLibzmq(endpoint);
else if (impl === "bunzmq") await runBunzmq(endpoint);
else die(`unknown implementation ${impl}`);
