// Our Proxy between libzmq 4.3 peers on both sides (zmtp-notes: a proxy is only sockets, so this is
// ROUTER, DEALER, PULL, PUSH, XSUB and XPUB interop under load), plus a libzmq reader of the capture.

import { describe, expect, test } from "bun:test";
import type { LibzmqSocket } from "../../peers/libzmq/index.ts";
import { ZMQ } from "../../peers/libzmq/index.ts";
import { Dealer, Proxy, Pull, Push, Router, type Socket, XPublisher, XSubscriber } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { BODY_SIZES, collectFrom, pattern } from "../helpers/payload.ts";
import { awaitJoined, nextMessage, SYNC_TOPIC } from "../helpers/pubsub.ts";
import { withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();
const TEST_TIMEOUT = 15_000;

function libzmqSocket(type: number): LibzmqSocket {
  return cleanup.libzmq().socket(type);
}

/** Binds our two ends on loopback and starts the proxy; the returned stop() terminates it and awaits run(). */
async function start<F extends Socket, B extends Socket>(front: F, back: B, capture?: Socket) {
  cleanup.track(front);
  cleanup.track(back);
  await front.bind(TCP_ANY);
  await back.bind(TCP_ANY);
  const proxy = new Proxy(front, back, { capture: capture ?? null });
  const done = proxy.run();
  return {
    front: front.lastEndpoint!,
    back: back.lastEndpoint!,
    stop: async () => {
      proxy.terminate();
      await withTimeout(done, 5000, "run() to resolve after terminate()");
    },
  };
}

const text = (message: Buffer[]) => message.map(String);

describe("our Proxy between libzmq peers", () => {
  test(
    "libzmq REQ -> our ROUTER/DEALER proxy -> libzmq REP: round trips keep their envelope",
    async () => {
      const proxy = await start(new Router({ linger: 0 }), new Dealer({ linger: 0 }));
      const req = libzmqSocket(ZMQ.REQ);
      const rep = libzmqSocket(ZMQ.REP);
      req.connect(proxy.front);
      rep.connect(proxy.back);
      for (const question of ["one", "two", "three"]) {
        await req.send([question]);
        expect(text(await rep.receive())).toEqual([question]);
        await rep.send([`${question}!`]);
        expect(text(await req.receive())).toEqual([`${question}!`]);
      }
      await proxy.stop();
    },
    TEST_TIMEOUT,
  );

  test(
    "libzmq DEALERs -> our ROUTER/DEALER proxy -> libzmq ROUTER: each reply finds its client",
    async () => {
      const proxy = await start(new Router({ linger: 0 }), new Dealer({ linger: 0 }));
      const clients = ["alice", "bob"].map((id) => {
        const dealer = libzmqSocket(ZMQ.DEALER);
        dealer.setBytes(ZMQ.ROUTING_ID, id);
        dealer.connect(proxy.front);
        return dealer;
      });
      const worker = libzmqSocket(ZMQ.ROUTER);
      worker.connect(proxy.back);
      for (const client of clients) await client.send(["", "hello"]);
      for (let i = 0; i < clients.length; i++) {
        // The worker sees [proxy's id at the worker, client id, "", "hello"] and answers along it.
        const request = await worker.receive();
        expect(text(request).slice(2)).toEqual(["", "hello"]);
        await worker.send([...request.slice(0, 3), Buffer.from(`hi ${request[1]}`)]);
      }
      expect(text(await clients[0]!.receive())).toEqual(["", "hi alice"]);
      expect(text(await clients[1]!.receive())).toEqual(["", "hi bob"]);
      await proxy.stop();
    },
    TEST_TIMEOUT,
  );

  test(
    "libzmq PUSH -> our PULL/PUSH proxy -> libzmq PULL: 2000 multipart messages in order, bodies intact",
    async () => {
      const proxy = await start(new Pull({ linger: 0 }), new Push({ linger: 0 }));
      const push = libzmqSocket(ZMQ.PUSH);
      const pull = libzmqSocket(ZMQ.PULL);
      push.connect(proxy.front);
      pull.connect(proxy.back);
      for (let i = 0; i < 2000; i++) await push.send([`m${i}`, "two"]);
      const [received] = await collectFrom([pull], 2000, 10_000);
      expect(received!.map((m) => m.join("|"))).toEqual(Array.from({ length: 2000 }, (_, i) => `m${i}|two`));
      for (const size of BODY_SIZES) await push.send([pattern(size)]);
      for (const size of BODY_SIZES) expect((await pull.receive())[0]!.equals(pattern(size))).toBe(true);
      await proxy.stop();
    },
    TEST_TIMEOUT,
  );

  test(
    "libzmq PUB -> our XSUB/XPUB proxy -> libzmq SUB: the subscription goes up, matching messages come down",
    async () => {
      const proxy = await start(new XSubscriber({ linger: 0 }), new XPublisher({ linger: 0 }));
      const pub = libzmqSocket(ZMQ.PUB);
      const sub = libzmqSocket(ZMQ.SUB);
      pub.connect(proxy.front);
      sub.connect(proxy.back);
      sub.setBytes(ZMQ.SUBSCRIBE, SYNC_TOPIC);
      sub.setBytes(ZMQ.SUBSCRIBE, "news");
      await awaitJoined(
        () => pub.trySend([SYNC_TOPIC]),
        () => sub.tryReceive(),
      );
      await pub.send(["sport", "dropped by the PUB"]);
      await pub.send(["news", "delivered"]);
      expect(await nextMessage(() => sub.tryReceive())).toBe("news|delivered");
      await proxy.stop();
    },
    TEST_TIMEOUT,
  );

  test(
    "a libzmq PULL reading our capture socket sees every forwarded message, frames included",
    async () => {
      const capture = cleanup.track(new Push({ linger: 0 }));
      await capture.bind(TCP_ANY);
      const tap = libzmqSocket(ZMQ.PULL);
      tap.connect(capture.lastEndpoint!);
      const proxy = await start(new Pull({ linger: 0 }), new Push({ linger: 0 }), capture);
      const push = libzmqSocket(ZMQ.PUSH);
      const pull = libzmqSocket(ZMQ.PULL);
      push.connect(proxy.front);
      pull.connect(proxy.back);
      for (let i = 0; i < 500; i++) await push.send([`m${i}`, "", "end"]);
      const expected = Array.from({ length: 500 }, (_, i) => [`m${i}`, "", "end"]);
      const [delivered, captured] = await collectFrom([pull, tap], 1000, 10_000);
      expect(delivered).toEqual(expected);
      expect(captured).toEqual(expected);
      await proxy.stop();
    },
    TEST_TIMEOUT,
  );
});
