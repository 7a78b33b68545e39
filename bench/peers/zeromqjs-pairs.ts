// The zeromq.js pairs of bench/scenarios/push-pull.ts: zeromq.js → zeromq.js under Node. zeromq.js cannot
// load in this Bun process, so unlike the other rows the SENDER is a Node child too:
// - tcp and ipc: a receiver child (bench/fixtures/zeromqjs/pull-fixture.mjs) and a sender child
//   (bench/fixtures/zeromqjs/push-fixture.mjs) connected to it. A batch writes `<N> <size>` to the receiver,
//   then the same line to the sender, which sends N with `await push.send()`; it ends when the
//   RECEIVER answers `OK`, as for every other row. The sender's `SENT` only says it is free again.
// - inproc: one Node child with both sockets in one event loop (push-fixture.mjs inproc), as
//   bunzmq's inproc row; a batch is one request line and its `OK`.
// The iteration also awaits the sender's `SENT`, but that line is written while the last message
// is still on its way to the receiver, so it is in before the receiver's `OK`: the time measured
// is the request until the receiver holds the last message, plus one more control-line write than
// the other rows (a few µs against a batch of 20–100 ms).

import { Child } from "../harness/child.ts";
import { guarded, type Pair } from "./pairs.ts";
import { Receiver } from "./receiver.ts";
import type { Transport } from "../harness/transports.ts";

/** Anything push-pull must stop at the end: a receiver, or a zeromq.js sender child. */
export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * zeromq.js → zeromq.js over `transport`, its children started under `node` and added to
 * `children` (push-pull stops them at the end, whatever happens).
 */
export async function zeromqjsPair(
  name: string,
  node: string,
  transport: Transport,
  receiveHighWaterMark: number,
  children: Stoppable[],
): Promise<Pair> {
  const receiver = await Receiver.spawnZeromqjs(node, receiveHighWaterMark, transport);
  children.push(receiver);
  if (transport === "inproc") {
    return {
      name,
      batch: guarded(name, async (size, count) => void (await receiver.request(count, size))),
      close: () => {},
    };
  }
  const sender = await Child.spawn(
    `zeromq.js ${transport} sender`,
    new URL("../fixtures/zeromqjs/push-fixture.mjs", import.meta.url),
    [receiver.endpoint],
    node,
  );
  children.push(sender);
  if (sender.hello !== "READY") throw new Error(`${sender.name} said "${sender.hello}"`);
  return {
    name,
    batch: guarded(name, async (size, count) => {
      // The receiver's line first: it must expect the batch before the first message can arrive.
      const ack = receiver.request(count, size);
      const sent = sender.ask(`${count} ${size}`).then((answer) => {
        if (answer !== `SENT ${count}`) throw new Error(`zeromq.js sender answered "${answer}" for ${count} messages of ${size} B`);
      });
      // all(): a receiver's STALL must end the iteration even while the sender waits for room.
      await Promise.all([ack, sent]);
    }),
    close: () => {},
  };
}
