// A peer's last messages before it disconnects are received, as libzmq delivers them: a ROUTER (or
// REP) keeps a departed peer's queue until it has been read. With I/O threads the last message and
// the close reach the socket in one pump, so this is where dropping them would show.

import { describe, expect, test } from "bun:test";
import { Dealer, Request, Reply, Router } from "../../src/index.ts";
import { useSockets } from "./support.ts";

const sockets = useSockets();
const PEERS = 6;

describe("messages sent just before a peer closes", () => {
  test("a ROUTER receives every Dealer's last message, with its routing id", async () => {
    const router = sockets.open(Router, { receiveTimeout: 10_000 });
    await router.bind("tcp://127.0.0.1:*");
    const dealers = Array.from({ length: PEERS }, (_, i) => sockets.open(Dealer, { routingId: `d${i}` }));
    for (const dealer of dealers) {
      dealer.connect(router.lastEndpoint!);
      await dealer.send("hello");
    }
    for (let i = 0; i < PEERS; i++) await router.receive();
    for (const dealer of dealers) {
      dealer.trySend("bye");
      dealer.close();
    }
    const last: string[] = [];
    for (let i = 0; i < PEERS; i++) {
      const [id, body] = await router.receive();
      last.push(`${id}:${body}`);
    }
    expect(last.sort()).toEqual(dealers.map((_, i) => `d${i}:bye`));
  });

  test("a Reply receives a request whose Request socket has already closed", async () => {
    const reply = sockets.open(Reply, { receiveTimeout: 10_000 });
    await reply.bind("tcp://127.0.0.1:*");
    const request = sockets.open(Request);
    request.connect(reply.lastEndpoint!);
    await request.send("first");
    expect((await reply.receive()).toString()).toBe("first");
    await reply.send("answer");
    expect((await request.receive()).toString()).toBe("answer");
    request.trySend("last words");
    request.close();
    expect((await reply.receive()).toString()).toBe("last words");
    await reply.send("nobody hears this");
  });
});
