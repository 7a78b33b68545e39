// The libzmq side of scripts/demo.ts, in its own process (libzmq through bun:ffi).
//
//   bun scripts/demo-libzmq-peer.ts pull <count>              binds tcp://127.0.0.1:*, receives
//   bun scripts/demo-libzmq-peer.ts push <count> <endpoint>   connects, sends
//
// The pull side prints `ENDPOINT <endpoint>` first. Both end with one JSON line on stdout:
//   pull: {"received":N,"bytes":B,"elapsedMs":T,"error":null|"..."}   T = first to last message
//   push: {"sent":N,"elapsedMs":T,"error":null|"..."}
// The messages are scripts/demo-messages.ts's sequence; the pull side checks every byte after
// the last one arrived (so checking does not slow the transfer down).
// Lifetime: blocking calls wake every second (RCVTIMEO/SNDTIMEO); the peer exits when its parent
// is gone (ppid changed) or after 15 s in all, so it never outlives the demo.

import { writeSync } from "node:fs";
import { RawSocket, ZMQ } from "../bench/libzmq-raw.ts";
import { checkDemoMessage, demoMessage } from "./demo-messages.ts";

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
  const socket = new RawSocket(ZMQ.PULL);
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
    const frames: Buffer[] = [];
    for (;;) {
      const frame = socket.receiveFrame();
      if (frame === null) {
        // Only between messages: libzmq delivers a multipart message whole.
        error = stillWanted();
        if (error !== null) break;
        continue;
      }
      frames.push(frame.data);
      bytes += frame.data.length;
      if (!frame.more) break;
    }
    if (error !== null) break;
    last = performance.now();
    if (received === 0) first = last;
    messages[received++] = frames;
  }
  socket.close(0);
  for (let i = 0; i < received && error === null; i++) error = checkDemoMessage(i, messages[i]!);
  if (error === null && received < count) error = `received ${received} of ${count} messages`;
  say({ received, bytes, elapsedMs: last - first, error });
}

function push(count: number, endpoint: string): void {
  const socket = new RawSocket(ZMQ.PUSH);
  socket.setInt(ZMQ.SNDTIMEO, 1000);
  socket.connect(endpoint);
  const messages = Array.from({ length: count }, (_, i) => demoMessage(i));
  let sent = 0;
  let error: string | null = null;
  const t0 = performance.now();
  while (sent < count) {
    const frames = messages[sent]!;
    // The first frame may time out at the HWM (then retry); the rest of a message never blocks.
    while (error === null && !socket.sendFrame(frames[0]!, frames.length > 1)) error = stillWanted();
    if (error !== null) break;
    for (let f = 1; f < frames.length; f++) socket.sendFrame(frames[f]!, f < frames.length - 1);
    sent++;
  }
  const elapsedMs = performance.now() - t0;
  // Linger until the peer has everything (bounded), then report.
  socket.close(error === null ? 3000 : 0);
  say({ sent, elapsedMs, error });
}

const [role, countArg, endpoint] = process.argv.slice(2);
const count = Number(countArg);
if (!Number.isInteger(count) || count <= 0) throw new Error(`bad count "${countArg}"`);
if (role === "pull") pull(count);
else if (role === "push" && endpoint) push(count, endpoint);
else throw new Error("usage: demo-libzmq-peer.ts pull <count> | push <count> <endpoint>");
process.exit(0);
