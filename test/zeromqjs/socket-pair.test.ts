// PAIR to PAIR (zeromq.js's socket-pair unit file): one side sends four messages, the other echoes
// each from a for await loop, and the replies come back in order; closing the echo side ends its loop.

import { expect, test } from "bun:test";
import { Pair } from "../../src/index.ts";
import { ALL_TRANSPORTS, forEachTransport, freshEndpoint, useSockets, withTimeout } from "./support.ts";

const sockets = useSockets();
const MESSAGES = ["foo", "bar", "baz", "qux"];

forEachTransport(ALL_TRANSPORTS, (transport) => {
  test("messages sent one way are echoed back in order, and close() ends the echo loop", async () => {
    const [a, b] = [sockets.open(Pair), sockets.open(Pair)];
    await a.bind(freshEndpoint(transport));
    b.connect(a.lastEndpoint!);

    let echoed = 0;
    const echo = async () => {
      for await (const message of b) {
        await b.send(message);
        echoed++;
      }
    };
    const received: string[] = [];
    const converse = async () => {
      for (const text of MESSAGES) await a.send(text);
      for await (const [frame] of a) if (received.push(frame!.toString()) === MESSAGES.length) break;
      b.close();
    };

    await withTimeout(Promise.all([echo(), converse()]), 5000, "the echo conversation");
    expect(received).toEqual(MESSAGES);
    expect(echoed).toBe(MESSAGES.length);
  });
});
