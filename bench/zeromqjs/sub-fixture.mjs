// The zeromq.js subscriber of bench/pub-fanout.ts: a zeromq.js Subscriber under Node, subscribed
// to everything, with bench/sub-fixture.ts's protocol.
//
//   node bench/zeromqjs/sub-fixture.mjs <publisher endpoint>     (RCVHWM from $BENCH_HWM, default 1000)
//
// Connects, subscribes and prints `READY`. Then, per stdin line:
//   JOIN                       -> `JOINED` as soon as any message arrives (slow-joiner check; up to 10 s)
//   <count> <size> <quietMs>   -> receives until <count> messages of <size> bytes arrived, or until
//                                 none arrived for <quietMs>; answers `OK <received> <ns from first
//                                 to last>`. Other sizes (the 1 B join messages) are ignored.
// Receives as zeromq.js users do, `await sub.receive()`, with the quiet period as the socket's
// receiveTimeout (set once per batch, not a timer per message). Never reads the bytes.

import { Subscriber } from "zeromq";
import { die, lineQueue, say } from "./lines.mjs";

const FIXTURE = "sub-fixture.mjs";
const JOIN_MS = 10_000;
/** With no message at all, a batch ends after this long (answering OK 0 ...), as the Bun fixture. */
const NOTHING_MS = 5_000;

const [endpoint] = process.argv.slice(2);
if (!endpoint) die(FIXTURE, "usage: node sub-fixture.mjs <endpoint>");

const sub = new Subscriber({ linger: 0, receiveHighWaterMark: Number(process.env.BENCH_HWM ?? 1000) });
sub.connect(endpoint);
sub.subscribe();
const lines = lineQueue(() => {
  sub.close();
  process.exit(0);
});
say("READY");

/** The next message, or null once `receiveTimeout` passed without one. */
async function receiveOrQuiet() {
  try {
    return await sub.receive();
  } catch (error) {
    if (error.code === "EAGAIN") return null;
    throw error;
  }
}

async function batch(line) {
  const [count, size, quietMs] = line.trim().split(/\s+/).map(Number);
  if (![count, size, quietMs].every(Number.isInteger) || count <= 0 || quietMs <= 0) die(FIXTURE, `bad request line "${line}"`);
  sub.receiveTimeout = NOTHING_MS;
  let received = 0;
  let first = 0;
  let last = 0;
  while (received < count) {
    const frames = await receiveOrQuiet();
    if (frames === null) break;
    if (frames.length !== 1 || frames[0].length !== size) continue;
    last = performance.now();
    if (received === 0) {
      first = last;
      sub.receiveTimeout = quietMs;
    }
    received++;
  }
  say(`OK ${received} ${Math.round((last - first) * 1e6)}`);
}

for (;;) {
  const line = await lines.next();
  if (line.trim() !== "JOIN") {
    await batch(line);
    continue;
  }
  sub.receiveTimeout = JOIN_MS;
  if ((await receiveOrQuiet()) === null) die(FIXTURE, "no message within 10 s of JOIN");
  say("JOINED");
}
