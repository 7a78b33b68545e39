// The libzmq side of the interop demo (./demo.ts), in its own process: libzmq through the
// repository's binding (peers/libzmq).
//
//   bun examples/interop/libzmq-peer.ts pull <count>              binds tcp://127.0.0.1:*, receives
//   bun examples/interop/libzmq-peer.ts push <count> <endpoint>   connects, sends
//
// The pull side prints `ENDPOINT <endpoint>` first. Both end with one JSON line on stdout:
//   pull: {"received":N,"bytes":B,"elapsedMs":T,"error":null|"..."}   T = first to last message
//   push: {"sent":N,"elapsedMs":T,"error":null|"..."}
// The messages are ./messages.ts's sequence; the pull side checks every byte after
// the last one arrived (so checking does not slow the transfer down).
// Lifetime: blocking calls wake every second (RCVTIMEO/SNDTIMEO); the peer exits when its parent
// is gone (ppid changed) or after 15 s in all, so it never outlives the demo.

import { writeSync } from "node:fs";
import { LibzmqContext, ZMQ } from "../../peers/libzmq/index.ts";
import { checkDemoMessage, demoMessage } from "./messages.ts";

const DEADLINE_MS = 15_000;
const parentPid = process.ppid;
const started = performance.now();

function say(record: object | string): void {
  writeSync(1, `${typeof record === "string" ? record : JSON.stringify(record)}\n`);
}

/** Called whenever a blocking call timed out: give up if the parent died or time ran out. */
function stillWanted(): string | null {
  if (process.ppid !== parentPid) process.exit(0);
  return performance.now() - started > DEADLINE_MS ? `gave up after ${DEADLINE_MS / 1000} s` : null;
}

function pull(count: number): void {
  const socket = new LibzmqContext().socket(ZMQ.PULL);
  socket.setInt(ZMQ.RCVTIMEO, 1000);
  socket.bind("tcp://127.0.0.1:*");
  say(`ENDPOINT ${socket.lastEndpoint}`);
  const messages: Buffer[][] = new Array(count);
  let received = 0;
  let bytes = 0;
  let first = 0;
  let last = 0;
  let error: string | null = null;
  while (received < count && error === null) {
    const frames = socket.receiveBlocking();
    if (frames === null) {
      error = stillWanted();
      continue;
    }
    for (const frame of frames) bytes += frame.length;
    last = performance.now();
    if (received === 0) first = last;
    messages[received++] = frames;
  }
  socket.context.term();
  for (let i = 0; i < received && error === null; i++) error = checkDemoMessage(i, messages[i]!);
  if (error === null && received < count) error = `received ${received} of ${count} messages`;
  say({ received, bytes, elapsedMs: last - first, error });
}

function push(count: number, endpoint: string): void {
  const socket = new LibzmqContext().socket(ZMQ.PUSH);
  socket.setInt(ZMQ.SNDTIMEO, 1000);
  socket.connect(endpoint);
  const messages = Array.from({ length: count }, (_, i) => demoMessage(i));
  let sent = 0;
  let error: string | null = null;
  const t0 = performance.now();
  while (sent < count) {
    // A message may time out at the HWM (then retry); libzmq takes a multipart message whole.
    while (error === null && !socket.sendBlocking(messages[sent]!)) error = stillWanted();
    if (error !== null) break;
    sent++;
  }
  const elapsedMs = performance.now() - t0;
  // Linger until the peer has everything (bounded), then report.
  socket.close({ linger: error === null ? 3000 : 0 });
  socket.context.term();
  say({ sent, elapsedMs, error });
}

const [role, countArg, endpoint] = process.argv.slice(2);
const count = Number(countArg);
if (!Number.isInteger(count) || count <= 0) throw new Error(`bad count "${countArg}"`);
if (role === "pull") pull(count);
else if (role === "push" && endpoint) push(count, endpoint);
else throw new Error("usage: libzmq-peer.ts pull <count> | push <count> <endpoint>");
process.exit(0);
