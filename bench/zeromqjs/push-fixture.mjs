// The zeromq.js sender of bench/push-pull.ts: a zeromq.js PUSH under Node. The bench process runs
// Bun and zeromq.js cannot load there, so this child sends on the bench's request.
//
//   node bench/zeromqjs/push-fixture.mjs <endpoint>
//     tcp and ipc: connects a PUSH to the receiver (pull-fixture.mjs) and prints `READY`. For every
//     stdin line `<count> <size>` it sends <count> messages of <size> bytes and answers
//     `SENT <count>` (or `FAIL <reason>`). The bench times the batch until the RECEIVER's `OK`,
//     not until this answer, which only says the sender is free again.
//   node bench/zeromqjs/push-fixture.mjs inproc <receiveHighWaterMark>
//     inproc: the PUSH and a PULL (bound to an inproc name) in this one event loop, as bunzmq's
//     inproc row. Prints `ENDPOINT inproc://...`; for every `<count> <size>` it sends <count>
//     messages and answers `OK <count> <bad>` when the PULL holds all of them, the protocol of
//     pull-fixture.mjs, so the bench drives it as a receiver.
//
// Sends the way zeromq.js users do: `for (...) await push.send(msg)`, one reused Buffer. A send
// that finds no room for 5 s fails (the libzmq sender's SNDTIMEO in bench/pairs.ts).

import { Pull, Push } from "zeromq";
import { BatchCounter } from "./batch-counter.mjs";
import { body, die, lineQueue, say } from "./lines.mjs";

const SEND_TIMEOUT_MS = 5_000;
const FIXTURE = "push-fixture.mjs";

const [target, hwmArg] = process.argv.slice(2);
if (!target) die(FIXTURE, "usage: node push-fixture.mjs <endpoint> | inproc <receiveHighWaterMark>");

const push = new Push({ linger: 0, sendTimeout: SEND_TIMEOUT_MS });
let pull = null;
let counter = null;
if (target === "inproc") {
  const receiveHighWaterMark = Number(hwmArg ?? 1000);
  pull = new Pull({ linger: 0, receiveHighWaterMark });
  await pull.bind("inproc://bench-zeromqjs-pull");
  counter = new BatchCounter((count, bad) => say(`OK ${count} ${bad}`));
  counter.watchStalls((received, count) => say(`STALL ${received} ${count}`));
  // Runs for the life of the process, beside the send loop below, in the same event loop.
  (async () => {
    for await (const frames of pull) counter.message(frames);
  })();
}
push.connect(pull ? pull.lastEndpoint : target);
const lines = lineQueue(() => {
  push.close();
  pull?.close();
  process.exit(0);
});
say(pull ? `ENDPOINT ${pull.lastEndpoint}` : "READY");

const bodies = new Map();
for (;;) {
  const line = await lines.next();
  const [count, size] = line.trim().split(/\s+/).map(Number);
  if (!Number.isInteger(count) || !Number.isInteger(size) || count <= 0 || size < 0) die(FIXTURE, `bad request line "${line}"`);
  if (counter) counter.request(line);
  let message = bodies.get(size);
  if (!message) bodies.set(size, (message = body(size)));
  try {
    for (let i = 0; i < count; i++) await push.send(message);
  } catch (error) {
    say(`FAIL ${error.code ?? ""} ${error.message}`);
    continue;
  }
  if (!counter) say(`SENT ${count}`);
}
