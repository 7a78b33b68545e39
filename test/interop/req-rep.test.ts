// REQ/REP between bunzmq and libzmq 4.3 (zmtp-notes §6.2, §6.3, §9 items 2, 3, 5), in one process:
// libzmq's own I/O threads run while the JS thread awaits, so both sides make progress.

import { describe, expect, test } from "bun:test";
import type { LibzmqSocket } from "../../peers/libzmq/index.ts";
import { ZMQ } from "../../peers/libzmq/index.ts";
import { Dealer, Reply, Request, Router } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();
const TEST_TIMEOUT = 30_000;
type Order = "bunzmq binds" | "libzmq binds";
const ORDERS: Order[] = ["bunzmq binds", "libzmq binds"];
const ROUND_TRIPS = 1000;

type Ours = Request | Reply | Dealer | Router;

/** Our socket and a libzmq socket of `libzmqType`, joined in the given order. */
async function join<T extends Ours>(
  ours: T,
  libzmqType: number,
  order: Order,
  configure?: (peer: LibzmqSocket) => void,
): Promise<{ ours: T; peer: LibzmqSocket }> {
  cleanup.track(ours);
  const peer = cleanup.libzmq().socket(libzmqType);
  configure?.(peer);
  if (order === "bunzmq binds") {
    await ours.bind(TCP_ANY);
    peer.connect(ours.lastEndpoint!);
  } else {
    peer.bind(TCP_ANY);
    ours.connect(peer.lastEndpoint);
  }
  return { ours, peer };
}

function receive(socket: Ours, what = "a message on the bunzmq socket"): Promise<Buffer[]> {
  return withTimeout(socket.receive(), 5000, what);
}

const text = (message: Buffer[]): string[] => message.map(String);

describe("bunzmq REQ to libzmq REP", () => {
  for (const order of ORDERS) {
    test(
      `${ROUND_TRIPS} round trips succeed and the REP sees only the body when ${order}`,
      async () => {
        const { ours: req, peer: rep } = await join(new Request({ linger: 0 }), ZMQ.REP, order);
        for (let i = 0; i < ROUND_TRIPS; i++) {
          await req.send(["q", String(i)]);
          expect(text(await rep.receive())).toEqual(["q", String(i)]);
          await rep.send(["r", String(i)]);
          expect(text(await receive(req))).toEqual(["r", String(i)]);
        }
      },
      TEST_TIMEOUT,
    );
  }

  test("a correlated relaxed REQ takes only the reply to its latest request from libzmq REP", async () => {
    const { ours: req, peer: rep } = await join(new Request({ linger: 0, correlate: true, relaxed: true }), ZMQ.REP, "libzmq binds");
    await req.send("first");
    expect(text(await rep.receive())).toEqual(["first"]);
    // libzmq REP must answer before taking the next request; the answer is now stale.
    await rep.send(["answer to first"]);
    await req.send("second");
    expect(text(await rep.receive())).toEqual(["second"]);
    await rep.send(["answer to second"]);
    expect(text(await receive(req))).toEqual(["answer to second"]);
  });
});

describe("libzmq REQ to bunzmq REP", () => {
  for (const order of ORDERS) {
    test(
      `${ROUND_TRIPS} round trips succeed and each reply starts with the empty delimiter when ${order}`,
      async () => {
        const { ours: rep, peer: req } = await join(new Reply({ linger: 0 }), ZMQ.REQ, order);
        for (let i = 0; i < ROUND_TRIPS; i++) {
          await req.send(["q", String(i)]);
          expect(text(await receive(rep))).toEqual(["q", String(i)]);
          await rep.send(["r", String(i)]);
          // libzmq REQ drops the connection on a reply without the delimiter, so this proves it is there.
          expect(text(await req.receive())).toEqual(["r", String(i)]);
        }
      },
      TEST_TIMEOUT,
    );
  }
});

describe("REQ and ROUTER across bunzmq and libzmq", () => {
  test("libzmq ROUTER receives [routing id, empty delimiter, body] from a bunzmq REQ with a routing id", async () => {
    const { ours: req, peer: router } = await join(new Request({ linger: 0, routingId: "ours" }), ZMQ.ROUTER, "libzmq binds");
    await req.send("hello");
    expect(text(await router.receive())).toEqual(["ours", "", "hello"]);
    await router.send(["ours", "", "back"]);
    expect(text(await receive(req))).toEqual(["back"]);
  });

  test("bunzmq ROUTER exposes a libzmq REQ's ROUTING_ID and routes the reply back", async () => {
    const { ours: router, peer: req } = await join(new Router({ linger: 0 }), ZMQ.REQ, "bunzmq binds", (peer) =>
      peer.setBytes(ZMQ.ROUTING_ID, "peerA"),
    );
    await req.send(["hello"]);
    expect(text(await receive(router))).toEqual(["peerA", "", "hello"]);
    await router.send(["peerA", "", "back"]);
    expect(text(await req.receive())).toEqual(["back"]);
  });
});

describe("DEALER and REP across bunzmq and libzmq", () => {
  test("a bunzmq DEALER talks to libzmq REP with an explicit envelope", async () => {
    const { ours: dealer, peer: rep } = await join(new Dealer({ linger: 0 }), ZMQ.REP, "libzmq binds");
    await dealer.send(["hop", "", "q"]);
    expect(text(await rep.receive())).toEqual(["q"]);
    await rep.send(["r"]);
    expect(text(await receive(dealer))).toEqual(["hop", "", "r"]);
  });

  test("a libzmq DEALER talks to bunzmq REP with an explicit envelope", async () => {
    const { ours: rep, peer: dealer } = await join(new Reply({ linger: 0 }), ZMQ.DEALER, "bunzmq binds");
    await dealer.send(["hop2", "hop1", "", "q"]);
    expect(text(await receive(rep))).toEqual(["q"]);
    await rep.send("r");
    expect(text(await dealer.receive())).toEqual(["hop2", "hop1", "", "r"]);
  });
});

describe("a REQ -> ROUTER/DEALER proxy -> REP chain", () => {
  test(
    "libzmq REQ reaches libzmq REP through a bunzmq ROUTER/DEALER proxy and back",
    async () => {
      const frontend = cleanup.track(new Router({ linger: 0 }));
      const backend = cleanup.track(new Dealer({ linger: 0 }));
      await frontend.bind(TCP_ANY);
      await backend.bind(TCP_ANY);
      const context = cleanup.libzmq();
      const req = context.socket(ZMQ.REQ);
      const rep = context.socket(ZMQ.REP);
      req.connect(frontend.lastEndpoint!);
      rep.connect(backend.lastEndpoint!);
      for (let i = 0; i < 20; i++) {
        await req.send([`q${i}`]);
        await backend.send(await receive(frontend, "the request at the proxy frontend"));
        expect(text(await rep.receive())).toEqual([`q${i}`]);
        await rep.send([`r${i}`]);
        await frontend.send(await receive(backend, "the reply at the proxy backend"));
        expect(text(await req.receive())).toEqual([`r${i}`]);
      }
    },
    TEST_TIMEOUT,
  );

  test(
    "bunzmq REQ reaches bunzmq REP through a libzmq ROUTER/DEALER proxy and back",
    async () => {
      const context = cleanup.libzmq();
      const frontend = context.socket(ZMQ.ROUTER);
      const backend = context.socket(ZMQ.DEALER);
      frontend.bind(TCP_ANY);
      backend.bind(TCP_ANY);
      const req = cleanup.track(new Request({ linger: 0 }));
      const rep = cleanup.track(new Reply({ linger: 0 }));
      req.connect(frontend.lastEndpoint);
      rep.connect(backend.lastEndpoint);
      for (let i = 0; i < 20; i++) {
        await req.send(`q${i}`);
        await backend.send(await frontend.receive());
        expect(text(await receive(rep))).toEqual([`q${i}`]);
        await rep.send(`r${i}`);
        await frontend.send(await backend.receive());
        expect(text(await receive(req))).toEqual([`r${i}`]);
      }
    },
    TEST_TIMEOUT,
  );
});
