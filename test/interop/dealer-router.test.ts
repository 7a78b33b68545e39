// DEALER/ROUTER between bunzmq and libzmq 4.3 (zmtp-notes §6.4, §6.5, §9 items 4-6): routing ids
// from READY's Identity, auto ids `00 xx xx xx xx`, CONNECT_ROUTING_ID, mandatory and duplicates.

import { describe, expect, test } from "bun:test";
import type { LibzmqSocket } from "../../peers/libzmq/index.ts";
import { ZMQ } from "../../peers/libzmq/index.ts";
import { Dealer, Router } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { waitFor, withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();
type Order = "bunzmq binds" | "libzmq binds";
const ORDERS: Order[] = ["bunzmq binds", "libzmq binds"];

/** Our socket and a libzmq socket of `libzmqType`, joined in the given order once both are configured. */
async function join<T extends Dealer | Router>(
  ours: T,
  libzmqType: number,
  order: Order,
  configure?: (peer: LibzmqSocket) => void,
): Promise<LibzmqSocket> {
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
  return peer;
}

function receive(socket: Dealer | Router, what = "a message on the bunzmq socket"): Promise<Buffer[]> {
  return withTimeout(socket.receive(), 5000, what);
}

function handshaken(socket: Dealer | Router): Promise<void> {
  return new Promise((resolve) => socket.events.on("handshake", () => resolve()));
}

const text = (message: Buffer[]): string[] => message.map(String);

/** A libzmq ROUTER_MANDATORY send: false while the peer is unknown (EHOSTUNREACH) or full. */
function sendUnlessUnreachable(router: LibzmqSocket, frames: string[]): boolean {
  try {
    return router.trySend(frames);
  } catch (error) {
    if ((error as { code?: string }).code === "EHOSTUNREACH") return false;
    throw error;
  }
}

describe("bunzmq DEALER to libzmq ROUTER", () => {
  for (const order of ORDERS) {
    test(`libzmq sees our routingId and its replies reach us when ${order}`, async () => {
      const dealer = new Dealer({ linger: 0, routingId: "ours" });
      const router = await join(dealer, ZMQ.ROUTER, order);
      await dealer.send(["a", "b"]);
      expect(text(await router.receive())).toEqual(["ours", "a", "b"]);
      await router.send(["ours", "reply"]);
      expect(text(await receive(dealer))).toEqual(["reply"]);
    });

    test(`without a routingId libzmq assigns a 5-byte 00 xx xx xx xx id when ${order}`, async () => {
      const dealer = new Dealer({ linger: 0 });
      const router = await join(dealer, ZMQ.ROUTER, order);
      await dealer.send(["anonymous"]);
      const [id, body] = await router.receive();
      expect(id!.length).toBe(5);
      expect(id![0]).toBe(0);
      expect(String(body)).toBe("anonymous");
      await router.send([id!, "reply"]);
      expect(text(await receive(dealer))).toEqual(["reply"]);
    });
  }

  test("probeRouter makes libzmq ROUTER receive an empty message on connect", async () => {
    const dealer = new Dealer({ linger: 0, routingId: "prober", probeRouter: true });
    const router = await join(dealer, ZMQ.ROUTER, "libzmq binds");
    expect(text(await router.receive())).toEqual(["prober", ""]);
  });
});

describe("libzmq DEALER to bunzmq ROUTER", () => {
  for (const order of ORDERS) {
    test(`we expose libzmq's ROUTING_ID as the first frame and route replies by it when ${order}`, async () => {
      const router = new Router({ linger: 0 });
      const dealer = await join(router, ZMQ.DEALER, order, (peer) => peer.setBytes(ZMQ.ROUTING_ID, "peerA"));
      await dealer.send(["x", ""]);
      expect(text(await receive(router))).toEqual(["peerA", "x", ""]);
      await router.send(["peerA", "y"]);
      expect(text(await dealer.receive())).toEqual(["y"]);
    });

    test(`a libzmq peer without ROUTING_ID gets our 5-byte auto id when ${order}`, async () => {
      const router = new Router({ linger: 0 });
      const dealer = await join(router, ZMQ.DEALER, order);
      await dealer.send(["x"]);
      const [id, body] = await receive(router);
      expect(id!.length).toBe(5);
      expect(id![0]).toBe(0);
      expect(String(body)).toBe("x");
      await router.send([id!, "y"]);
      expect(text(await dealer.receive())).toEqual(["y"]);
    });
  }

  test("consecutive anonymous peers get consecutive auto ids", async () => {
    const router = cleanup.track(new Router({ linger: 0 }));
    await router.bind(TCP_ANY);
    const context = cleanup.libzmq();
    const ids: number[] = [];
    for (let k = 0; k < 2; k++) {
      const dealer = context.socket(ZMQ.DEALER);
      dealer.connect(router.lastEndpoint!);
      await dealer.send([String(k)]);
      ids.push((await receive(router))[0]!.readUInt32BE(1));
    }
    expect((ids[1]! - ids[0]!) >>> 0).toBe(1);
  });

  test("mandatory: sending to an unknown routing id rejects with EHOSTUNREACH while a known one is delivered", async () => {
    const router = new Router({ linger: 0, mandatory: true });
    const dealer = await join(router, ZMQ.DEALER, "bunzmq binds", (peer) => peer.setBytes(ZMQ.ROUTING_ID, "known"));
    await dealer.send(["hello"]);
    await receive(router);
    await expect(router.send(["unknown", "x"])).rejects.toMatchObject({ code: "EHOSTUNREACH" });
    expect(() => router.trySend(["unknown", "x"])).toThrow(expect.objectContaining({ code: "EHOSTUNREACH" }));
    await router.send(["known", "x"]);
    expect(text(await dealer.receive())).toEqual(["x"]);
  });

  test("a second libzmq peer with a routing id in use is ignored", async () => {
    const router = cleanup.track(new Router({ linger: 0 }));
    await router.bind(TCP_ANY);
    let handshakes = 0;
    router.events.on("handshake", () => void handshakes++);
    const context = cleanup.libzmq();
    const first = context.socket(ZMQ.DEALER);
    first.setBytes(ZMQ.ROUTING_ID, "same");
    first.connect(router.lastEndpoint!);
    await first.send(["from first"]);
    expect(text(await receive(router))).toEqual(["same", "from first"]);
    const second = context.socket(ZMQ.DEALER);
    second.setBytes(ZMQ.ROUTING_ID, "same");
    second.connect(router.lastEndpoint!);
    await waitFor(() => handshakes >= 2, { what: "the second peer's handshake" });
    await second.send(["from second"]);
    await first.send(["first again"]);
    expect(text(await receive(router))).toEqual(["same", "first again"]);
    await router.send(["same", "to the first"]);
    expect(text(await first.receive())).toEqual(["to the first"]);
    expect(second.tryReceive()).toBeNull();
  });
});

describe("ROUTER to ROUTER across bunzmq and libzmq", () => {
  test("libzmq connects with CONNECT_ROUTING_ID to our bound ROUTER and both sides address each other by id", async () => {
    const ours = new Router({ linger: 0, routingId: "server" });
    const ready = handshaken(ours);
    const theirs = await join(ours, ZMQ.ROUTER, "bunzmq binds", (peer) => {
      peer.setBytes(ZMQ.ROUTING_ID, "client");
      peer.setBytes(ZMQ.CONNECT_ROUTING_ID, "to-server");
      peer.setInt(ZMQ.ROUTER_MANDATORY, 1);
    });
    await withTimeout(ready, 5000, "the ROUTER handshake");
    // libzmq's ROUTER names its peer only after its own side of the handshake: until then it refuses.
    await waitFor(() => sendUnlessUnreachable(theirs, ["to-server", "hello"]), { what: "libzmq ROUTER to know its peer" });
    expect(text(await receive(ours))).toEqual(["client", "hello"]);
    await ours.send(["client", "hi"]);
    expect(text(await theirs.receive())).toEqual(["to-server", "hi"]);
  });

  test("we connect with { routingId } to a bound libzmq ROUTER and both sides address each other by id", async () => {
    const ours = new Router({ linger: 0, routingId: "client" });
    cleanup.track(ours);
    const theirs = cleanup.libzmq().socket(ZMQ.ROUTER);
    theirs.setBytes(ZMQ.ROUTING_ID, "server");
    theirs.bind(TCP_ANY);
    const ready = handshaken(ours);
    ours.connect(theirs.lastEndpoint, { routingId: "to-server" });
    await withTimeout(ready, 5000, "the ROUTER handshake");
    await ours.send(["to-server", "hello"]);
    expect(text(await theirs.receive())).toEqual(["client", "hello"]);
    await theirs.send(["client", "hi"]);
    expect(text(await receive(ours))).toEqual(["to-server", "hi"]);
  });
});
