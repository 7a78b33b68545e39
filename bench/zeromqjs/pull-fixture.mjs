// The zeromq.js receiver of bench/push-pull.ts over tcp and ipc: a zeromq.js PULL under Node,
// speaking bench/pull-fixture.ts's protocol so that bench/receiver.ts drives it like the others.
//
//   node bench/zeromqjs/pull-fixture.mjs <receiveHighWaterMark> <bind endpoint>
//
// Binds, prints `ENDPOINT <endpoint>`; for every stdin line `<count> <size>` answers
// `OK <count> <bad>` once <count> more messages arrived (`STALL <received> <count>` once if none
// came for 2 s). Receives the way zeromq.js users do: `for await (const frames of pull)`.
// Exits when stdin closes or the parent dies.

import { Pull } from "zeromq";
import { BatchCounter } from "./batch-counter.mjs";
import { die, onStdinLines, say } from "./lines.mjs";

const [hwmArg, endpoint] = process.argv.slice(2);
const receiveHighWaterMark = Number(hwmArg);
if (!Number.isInteger(receiveHighWaterMark) || receiveHighWaterMark < 0 || !endpoint) {
  die("pull-fixture.mjs", "usage: node pull-fixture.mjs <receiveHighWaterMark> <bind endpoint>");
}

const pull = new Pull({ linger: 0, receiveHighWaterMark });
await pull.bind(endpoint);
const counter = new BatchCounter((count, bad) => say(`OK ${count} ${bad}`));
counter.watchStalls((received, count) => say(`STALL ${received} ${count}`));
onStdinLines(
  (line) => {
    const error = counter.request(line);
    if (error) die("pull-fixture.mjs", error);
  },
  () => {
    pull.close();
    process.exit(0);
  },
);
say(`ENDPOINT ${pull.lastEndpoint}`);
for await (const frames of pull) counter.message(frames);
