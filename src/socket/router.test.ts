// ROUTER routing core driven with in-memory pipes: id prefixing, addressing, mandatory, handover,
// duplicate ids and probeRouter. No sockets.

import { describe, expect, test } from "bun:test";
import type { ZmqError } from "../core/errors.ts";
import type { Message } from "../core/message.ts";
import { createPipePair, type PipeEnd } from "../pipe/pipe-end.ts";
import { RouterSocket } from "./router.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const b = (text: string): Uint8Array => encoder.encode(text);
const text = (message: Message | undefined): string[] | undefined => message?.map((f) => decoder.decode(f));

function connect(router: RouterSocket, id: string, hwm = 100): { peer: PipeEnd; socketEnd: PipeEnd } {
  const pair = createPipePair(hwm, hwm, { routingId: b(id), address: "test" });
  router.attachPipe(pair.socketEnd);
  return { peer: pair.peerEnd, socketEnd: pair.socketEnd };
}

function code(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    return (error as ZmqError).code;
  }
  return "no error";
}

describe("ROUTER core", () => {
  test("incoming messages carry the peer's id first and outgoing ones are routed by it", () => {
    const router = new RouterSocket();
    const a = connect(router, "A").peer;
    const c = connect(router, "C").peer;
    a.outbound.write([b("hi")]);
    expect(text(router.tryReceive())).toEqual(["A", "hi"]);
    router.trySend([b("C"), b("x"), b("y")]);
    expect(text(c.inbound.read())).toEqual(["x", "y"]);
    expect(a.inbound.size).toBe(0);
  });

  test("a peer without an id gets a 5-byte auto id starting with a zero byte", () => {
    const router = new RouterSocket(0x01020304);
    const anonymous = connect(router, "").peer;
    anonymous.outbound.write([b("m")]);
    expect(Array.from(router.tryReceive()![0]!)).toEqual([0, 1, 2, 3, 4]);
  });

  test("unknown ids and single-frame messages are dropped silently; mandatory throws EHOSTUNREACH", () => {
    const router = new RouterSocket();
    expect(router.trySend([b("nobody"), b("x")])).toBe(true);
    expect(router.trySend([b("only an id")])).toBe(true);
    router.mandatory = true;
    expect(code(() => router.trySend([b("nobody"), b("x")]))).toBe("EHOSTUNREACH");
  });

  test("a full peer drops the message, or with mandatory makes the send wait", () => {
    const router = new RouterSocket();
    const { peer } = connect(router, "A", 1);
    router.trySend([b("A"), b("1")]);
    expect(router.trySend([b("A"), b("2")])).toBe(true);
    expect(peer.inbound.size).toBe(1);
    router.mandatory = true;
    expect(router.writable).toBe(false);
    expect(router.trySend([b("A"), b("3")])).toBe(false);
    peer.inbound.read();
    expect(router.trySend([b("A"), b("3")])).toBe(true);
  });

  test("a second peer with an id in use is ignored", () => {
    const router = new RouterSocket();
    const first = connect(router, "X").peer;
    const second = connect(router, "X").peer;
    second.outbound.write([b("ignored")]);
    first.outbound.write([b("heard")]);
    expect(text(router.tryReceive())).toEqual(["X", "heard"]);
    expect(router.tryReceive()).toBeUndefined();
    router.trySend([b("X"), b("r")]);
    expect(first.inbound.size).toBe(1);
    expect(second.inbound.size).toBe(0);
  });

  test("with handover the newer peer takes the id over", () => {
    const router = new RouterSocket();
    router.handover = true;
    const first = connect(router, "X").peer;
    const second = connect(router, "X").peer;
    router.trySend([b("X"), b("r")]);
    expect(first.inbound.size).toBe(0);
    expect(second.inbound.size).toBe(1);
    first.outbound.write([b("old")]);
    second.outbound.write([b("new")]);
    expect(text(router.tryReceive())).toEqual(["X", "new"]);
    expect(router.tryReceive()).toBeUndefined();
  });

  test("a peer that leaves frees its id", () => {
    const router = new RouterSocket();
    const { socketEnd } = connect(router, "X");
    router.detachPipe(socketEnd);
    router.mandatory = true;
    expect(code(() => router.trySend([b("X"), b("r")]))).toBe("EHOSTUNREACH");
    const again = connect(router, "X").peer;
    router.trySend([b("X"), b("r")]);
    expect(again.inbound.size).toBe(1);
  });

  test("what a peer sent before it left is still received with its id, while sends to it fail", () => {
    const router = new RouterSocket();
    router.mandatory = true;
    const { peer, socketEnd } = connect(router, "X");
    const staying = connect(router, "Y").peer;
    peer.outbound.write([b("1")]);
    peer.outbound.write([b("bye")]);
    router.detachPipe(socketEnd);
    expect(code(() => router.trySend([b("X"), b("r")]))).toBe("EHOSTUNREACH");
    staying.outbound.write([b("y")]);
    const received = [router.tryReceive(), router.tryReceive(), router.tryReceive()].map(text);
    expect(received).toContainEqual(["X", "1"]);
    expect(received).toContainEqual(["X", "bye"]);
    expect(received).toContainEqual(["Y", "y"]);
    expect(router.tryReceive()).toBeUndefined();
    // A peer that comes back under the same id is a new queue: nothing of the old one remains.
    const again = connect(router, "X").peer;
    again.outbound.write([b("new")]);
    expect(text(router.tryReceive())).toEqual(["X", "new"]);
    expect(router.readable).toBe(false);
  });

  test("probeRouter sends an empty message to each peer as it attaches", () => {
    const router = new RouterSocket();
    router.probeRouter = true;
    expect(text(connect(router, "A").peer.inbound.read())).toEqual([""]);
  });
});
