// zeromq.js's socket close contract, the part about what a closed socket holds on to: nothing keeps
// its Context reachable once it is closed, not even a dial the kernel is still refusing.

import { describe, expect, test } from "bun:test";
import { Context, Dealer } from "../../src/index.ts";
import { useSockets } from "../api/support.ts";

const sockets = useSockets();

/** A full collection, a turn of the event loop (WeakRefs made in a turn live through it), another. */
async function collectGarbage(): Promise<void> {
  Bun.gc(true);
  await new Promise((resolve) => setImmediate(resolve));
  Bun.gc(true);
}

describe("a closed socket releases its Context", () => {
  for (const [transport, endpoint] of [
    ["tcp (a refused dial still in flight)", () => sockets.unusedEndpoint()],
    ["ipc", async () => `ipc://@bunzmq-close-${process.pid}`],
    ["inproc", async () => "inproc://nobody-binds-this"],
  ] as const) {
    test(`over ${transport}`, async () => {
      let context: WeakRef<Context> | undefined;
      const connectSendClose = async (): Promise<void> => {
        const owned = new Context();
        context = new WeakRef(owned);
        const socket = new Dealer({ context: owned, linger: 0 });
        socket.connect(await endpoint());
        await socket.send("queued, then dropped");
        socket.close();
      };
      await connectSendClose();
      await collectGarbage();
      expect(context!.deref()).toBeUndefined();
    });
  }
});
