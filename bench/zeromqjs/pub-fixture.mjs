// The zeromq.js publisher of bench/pub-fanout.ts: a zeromq.js Publisher under Node. The bench
// process runs Bun and zeromq.js cannot load there, so this child publishes on its request.
//
//   node bench/zeromqjs/pub-fixture.mjs drop|nodrop <sendHighWaterMark>
//
// Binds tcp://127.0.0.1:*, prints `ENDPOINT <endpoint>`; for every stdin line `<count> <size>`
// publishes <count> messages of <size> bytes and answers `SENT <count>` (or `FAIL <reason>`).
// The bench times a batch until the slowest SUBSCRIBER holds its last message, not until this
// answer. `nodrop` sets `noDrop` (ZMQ_XPUB_NODROP), as the bench's other publishers do by default.
// At the HWM, zeromq.js 6's `await pub.send()` then rejects with EAGAIN at once instead of waiting
// (measured: a noDrop Publisher fails after ~4,500 messages to one slow SUB, whatever its
// sendTimeout; libzmq's PUB reports itself writable even when full), so a user who wants no drops
// retries: this publisher yields with setImmediate and sends again. No room for 5 s fails the batch
// (the libzmq publisher's SNDTIMEO).

import { Publisher } from "zeromq";
import { body, die, lineQueue, say } from "./lines.mjs";

const FIXTURE = "pub-fixture.mjs";
const SEND_TIMEOUT_MS = 5_000;

const [mode, hwmArg] = process.argv.slice(2);
const sendHighWaterMark = Number(hwmArg);
if ((mode !== "drop" && mode !== "nodrop") || !Number.isInteger(sendHighWaterMark) || sendHighWaterMark < 0) {
  die(FIXTURE, "usage: node pub-fixture.mjs drop|nodrop <sendHighWaterMark>");
}

const pub = new Publisher({ linger: 0, noDrop: mode === "nodrop", sendHighWaterMark, sendTimeout: SEND_TIMEOUT_MS });
await pub.bind("tcp://127.0.0.1:*");
const lines = lineQueue(() => {
  pub.close();
  process.exit(0);
});
say(`ENDPOINT ${pub.lastEndpoint}`);

/** `await pub.send(message)`, retried after a turn of the event loop while it rejects with EAGAIN. */
async function sendOrRetry(message) {
  const since = performance.now();
  for (;;) {
    try {
      return await pub.send(message);
    } catch (error) {
      if (error.code !== "EAGAIN" || performance.now() - since > SEND_TIMEOUT_MS) throw error;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const bodies = new Map();
for (;;) {
  const line = await lines.next();
  const [count, size] = line.trim().split(/\s+/).map(Number);
  if (!Number.isInteger(count) || !Number.isInteger(size) || count <= 0 || size < 0) die(FIXTURE, `bad request line "${line}"`);
  let message = bodies.get(size);
  if (!message) bodies.set(size, (message = body(size)));
  try {
    for (let i = 0; i < count; i++) await sendOrRetry(message);
  } catch (error) {
    say(`FAIL ${error.code ?? ""} ${error.message}`);
    continue;
  }
  say(`SENT ${count}`);
}
