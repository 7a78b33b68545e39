// close() and linger for messages queued towards a peer that is not connected: a positive linger
// waits for the peer (redialling, as libzmq does); 0 and -1 drop them at once, so a closed socket
// never waits for ever for a peer that may never come. Over TCP, the peer appearing after close().

import { describe, expect, test } from "bun:test";
import { Pull, Push } from "../../src/index.ts";
import { receiveText, useSockets } from "./support.ts";

const sockets = useSockets();

/** A Push closed with `linger` while its one message waits for a peer at `endpoint`. */
function closedWithQueuedMessage(endpoint: string, linger: number): void {
  const push = new Push({ linger, reconnectInterval: 10 });
  push.connect(endpoint);
  void push.send("queued before the peer came");
  push.close();
}

describe("close() with a message queued for an absent peer", () => {
  test("a positive linger delivers it to a peer that binds within the linger", async () => {
    const endpoint = await sockets.unusedEndpoint();
    closedWithQueuedMessage(endpoint, 10_000);
    const pull = sockets.open(Pull);
    await pull.bind(endpoint);
    expect(await receiveText(pull)).toEqual(["queued before the peer came"]);
  });

  for (const linger of [0, -1]) {
    test(`linger ${linger} drops it at once: a later peer receives only later messages`, async () => {
      const endpoint = await sockets.unusedEndpoint();
      closedWithQueuedMessage(endpoint, linger);
      const pull = sockets.open(Pull);
      await pull.bind(endpoint);
      // The closed socket dials no more, so nothing of it can arrive after this marker either.
      const marker = sockets.open(Push);
      marker.connect(endpoint);
      await marker.send("marker");
      expect(await receiveText(pull)).toEqual(["marker"]);
    });
  }
});
