// bunzmq talking to libzmq over TCP, both ways: a bunzmq PUSH feeds a libzmq PULL, then a libzmq
// PUSH feeds a bunzmq PULL. libzmq (through bun:ffi) runs in a child process, so this is two
// processes and a real TCP connection, exactly as with a C or Python peer.
//
// Every message is checked byte for byte and in order on the receiving side (after the last one
// arrived, so checking does not slow the transfer). Elapsed time is the receiver's, first to last
// message. Exit code 0 only if both directions delivered everything intact; 130 after Ctrl-C, which
// stops the direction under way and skips the other. Options: USAGE below (`--help`).

import { Pull, Push } from "../../src/index.ts";
import { DEMO_COUNT, checkDemoMessage, demoBytes, demoMessage, isLarge, isMultipart } from "./messages.ts";
import { parseCommandLine } from "../../common/command-line.ts";
import { INTERRUPTED_EXIT, INTERRUPTED_MESSAGE, watchInterrupt } from "../../common/interrupt.ts";
import { readLines } from "../../common/read-lines.ts";

const USAGE = `
usage: bun run demo:interop [options]

bunzmq and libzmq (in a child process, through bun:ffi) over TCP, both ways: a bunzmq PUSH feeds a
libzmq PULL, then a libzmq PUSH feeds a bunzmq PULL. Messages of 16–255 B, every 1000th 64 KiB, every
5000th multipart with an empty frame, each checked byte for byte and in order.

options:
  --count N          messages each way (default 100000)
  --receive-hwm N    the bunzmq PULL's receiveHighWaterMark (default bunzmq's, 1000)
`;
const cli = parseCommandLine({ usage: USAGE, options: { count: { type: "string" }, "receive-hwm": { type: "string" } } });
const COUNT = cli.number("count", DEMO_COUNT);
const RECEIVE_HWM = cli.number("receive-hwm");
if (!Number.isInteger(COUNT) || COUNT < 1) cli.fail("--count needs a whole number >= 1");
const interrupt = watchInterrupt("demo:interop: Ctrl-C — the direction under way stops, the summary follows");
/** The libzmq side, run as a separate process. */
const PEER = new URL("./libzmq-peer.ts", import.meta.url).pathname;
/** A direction that makes no progress for this long has failed. */
const STALL_MS = 2_000;
/** Whole-direction bound, so the demo always ends well inside 20 s. */
const DIRECTION_MS = 7_000;

interface Outcome {
  title: string;
  endpoint: string;
  messages: number;
  bytes: number;
  elapsedMs: number;
  error: string | null;
}

/** The libzmq peer process: stdout read line by line; killed (by its pid) if it outstays us. */
class Peer {
  readonly proc: Bun.Subprocess<"pipe", "pipe", "inherit">;
  readonly #lines: AsyncGenerator<string>;

  constructor(args: string[]) {
    this.proc = Bun.spawn([process.execPath, PEER, ...args], {
      stdin: "pipe",
      stdout: "pipe",
      stderr: "inherit",
    });
    this.#lines = readLines(this.proc.stdout);
  }

  /** The next stdout line, or null if the peer ended or `ms` passed first. */
  line(ms: number): Promise<string | null> {
    return within(
      this.#lines.next().then((r) => (r.done ? null : r.value)),
      ms,
      null,
    );
  }

  async stop(): Promise<void> {
    this.proc.stdin.end();
    if ((await within(this.proc.exited, 2000, "late")) === "late") {
      this.proc.kill();
      await this.proc.exited;
    }
  }
}

/** `promise`, or `fallback` if `ms` pass first; the timer is cleared either way (a pending
 * timer would keep the process alive after the demo is done). */
function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<F>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const TIMED_OUT = Symbol("timed out");

// Direction 1: bunzmq PUSH (here) connects to a libzmq PULL (child) and sends.
async function bunzmqToLibzmq(messages: Uint8Array[][]): Promise<Outcome> {
  const title = "bunzmq PUSH → libzmq PULL";
  const peer = new Peer(["pull", String(COUNT)]);
  const push = new Push({ linger: 2000 });
  let endpoint = "";
  try {
    const first = await peer.line(5000);
    if (!first?.startsWith("ENDPOINT ")) throw new Error(`libzmq peer did not start (said: ${first})`);
    endpoint = first.slice("ENDPOINT ".length);
    push.connect(endpoint);
    const sendAll = async () => {
      for (const message of messages) {
        interrupt.check();
        if (!push.trySend(message)) await push.send(message);
      }
    };
    if ((await within(sendAll(), DIRECTION_MS, TIMED_OUT)) === TIMED_OUT) {
      throw new Error(`sending did not finish within ${DIRECTION_MS / 1000} s`);
    }
    const report = await peer.line(DIRECTION_MS);
    if (report === null) throw new Error("the libzmq peer did not report what it received");
    const r = JSON.parse(report) as { received: number; bytes: number; elapsedMs: number; error: string | null };
    return { title, endpoint, messages: r.received, bytes: r.bytes, elapsedMs: r.elapsedMs, error: r.error };
  } catch (error) {
    return { title, endpoint, messages: 0, bytes: 0, elapsedMs: 0, error: (error as Error).message };
  } finally {
    push.close();
    await peer.stop();
  }
}

// Direction 2: bunzmq PULL (here) binds; a libzmq PUSH (child) connects and sends.
async function libzmqToBunzmq(): Promise<Outcome> {
  const title = "libzmq PUSH → bunzmq PULL";
  const pull = new Pull({ linger: 0, ...(RECEIVE_HWM === undefined ? {} : { receiveHighWaterMark: RECEIVE_HWM }) });
  await pull.bind("tcp://127.0.0.1:*");
  const endpoint = pull.lastEndpoint!;
  const peer = new Peer(["push", String(COUNT), endpoint]);
  const received: Buffer[][] = [];
  let bytes = 0;
  let first = 0;
  let last = 0;
  let error: string | null = null;
  try {
    const deadline = performance.now() + DIRECTION_MS;
    while (received.length < COUNT) {
      interrupt.check();
      const batch = await within(pull.receiveBatch(4096), STALL_MS, null);
      if (batch === null) {
        throw new Error(`stalled: ${received.length} of ${COUNT} messages arrived, then none for ${STALL_MS / 1000} s`);
      }
      last = performance.now();
      if (received.length === 0) first = last;
      for (const message of batch) {
        received.push(message);
        for (const frame of message) bytes += frame.length;
      }
      if (last > deadline) throw new Error(`only ${received.length} of ${COUNT} messages within ${DIRECTION_MS / 1000} s`);
    }
    const report = await peer.line(DIRECTION_MS);
    const sent = report === null ? null : (JSON.parse(report) as { sent: number; error: string | null });
    if (sent === null) error = "the libzmq peer did not report what it sent";
    else if (sent.error !== null) error = `libzmq peer: ${sent.error}`;
    else if (sent.sent !== COUNT) error = `libzmq peer sent ${sent.sent} of ${COUNT}`;
    if (received.length > COUNT) error = `received ${received.length} messages, ${COUNT} were sent`;
    for (let i = 0; i < COUNT && error === null; i++) error = checkDemoMessage(i, received[i]!);
  } catch (e) {
    error = (e as Error).message;
  } finally {
    pull.close();
    if (error !== null) peer.proc.kill(); // it may be blocked sending to us
    await peer.stop();
  }
  return { title, endpoint, messages: received.length, bytes, elapsedMs: last - first, error };
}

function print(o: Outcome): void {
  const large = Array.from({ length: COUNT }, (_, i) => i).filter(isLarge).length;
  const multipart = Array.from({ length: COUNT }, (_, i) => i).filter(isMultipart).length;
  const seconds = o.elapsedMs / 1000;
  const verdict =
    o.error === null
      ? "OK — every message arrived intact and in order"
      : o.error === INTERRUPTED_MESSAGE
        ? `STOPPED — ${o.error}`
        : `FAILED — ${o.error}`;
  console.log(`\n${o.title}   (${o.endpoint || "no endpoint"})`);
  console.log(
    `  messages  ${o.messages.toLocaleString("en-US")} of ${COUNT.toLocaleString("en-US")} (${large} of 64 KiB, ${multipart} multipart)`,
  );
  console.log(`  bytes     ${(o.bytes / 1e6).toFixed(2)} MB of ${(demoBytes(COUNT) / 1e6).toFixed(2)} MB`);
  if (o.messages > 1) {
    console.log(`  elapsed   ${o.elapsedMs.toFixed(1)} ms (receiver, first to last message)`);
    console.log(
      `  rate      ${Math.round(o.messages / seconds).toLocaleString("en-US")} msgs/s, ${(o.bytes / 1e6 / seconds).toFixed(1)} MB/s`,
    );
  }
  console.log(`  result    ${verdict}`);
}

const started = performance.now();
console.log(`bunzmq ⇄ libzmq over tcp://127.0.0.1 — ${COUNT.toLocaleString("en-US")} messages each way, libzmq in a child process`);
const messages = Array.from({ length: COUNT }, (_, i) => demoMessage(i));
const outcomes = [await bunzmqToLibzmq(messages)];
if (!interrupt.requested) outcomes.push(await libzmqToBunzmq());
outcomes.forEach(print);
const took = `${((performance.now() - started) / 1000).toFixed(1)} s in all`;
if (interrupt.requested) {
  console.log(`\nInterrupted (Ctrl-C): ${outcomes.length} of 2 directions started, as shown above (${took})`);
  process.exitCode = INTERRUPTED_EXIT;
} else {
  const failed = outcomes.filter((o) => o.error !== null).length;
  console.log(`\n${failed === 0 ? "Both directions OK" : `${failed} of 2 directions FAILED`} (${took})`);
  console.log("Rates include the libzmq peer copying every frame through FFI; `bun run bench` measures throughput.");
  process.exitCode = failed === 0 ? 0 : 1;
}
