// SUB and XSUB routing cores driven with in-memory pipes: what goes upstream (subscriptions, their
// encoding mark, reference counts, re-sending after reconnect) and SUB's local filter. No sockets.

import { describe, expect, test } from "bun:test";
import type { Message } from "../core/message.ts";
import { createPipePair, type PipeEnd } from "../pipe/pipe-end.ts";
import { SubSocket } from "./sub.ts";
import { XSubSocket } from "./xsub.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const b = (text: string): Uint8Array => encoder.encode(text);

/** Connects a fresh pipe pair to `socket`; returns the publisher's end. */
function connect(socket: SubSocket | XSubSocket): PipeEnd {
  return connectBoth(socket).peerEnd;
}

/** Connects a fresh pipe pair to `socket`; returns both ends (the socket's for pipeReconnected). */
function connectBoth(socket: SubSocket | XSubSocket): { socketEnd: PipeEnd; peerEnd: PipeEnd } {
  const pair = createPipePair(1000, 1000, { routingId: new Uint8Array(0), address: "test" });
  socket.attachPipe(pair.socketEnd);
  return pair;
}

/** Everything the socket sent upstream on this connection: `+topic`/`-topic` for marked subscriptions, raw text otherwise. */
function upstream(publisher: PipeEnd): string[] {
  const out: string[] = [];
  for (let m = publisher.inbound.read(); m !== undefined; m = publisher.inbound.read()) {
    const body = m[0]!;
    out.push(m.isSubscription === true ? `${body[0] === 1 ? "+" : "-"}${decoder.decode(body.subarray(1))}` : decoder.decode(body));
  }
  return out;
}

function publish(publisher: PipeEnd, ...frames: string[]): void {
  publisher.outbound.write(frames.map(b) as Message);
}

function received(socket: SubSocket | XSubSocket): string[] {
  const out: string[] = [];
  for (let m = socket.tryReceive(); m !== undefined; m = socket.tryReceive()) out.push(m.map((f) => decoder.decode(f)).join("|"));
  return out;
}

describe("SUB subscriptions upstream", () => {
  test("subscribe sends a marked SUBSCRIBE every time; unsubscribe sends CANCEL only for the last reference", () => {
    const sub = new SubSocket();
    const pub = connect(sub);
    sub.subscribe(b("a"));
    sub.subscribe(b("a"));
    sub.unsubscribe(b("a"));
    expect(upstream(pub)).toEqual(["+a", "+a"]);
    sub.unsubscribe(b("a"));
    expect(upstream(pub)).toEqual(["-a"]);
    sub.unsubscribe(b("never"));
    expect(upstream(pub)).toEqual([]);
  });

  test("a newly attached publisher gets every current subscription once, the empty one first", () => {
    const sub = new SubSocket();
    sub.subscribe(b("b"));
    sub.subscribe(b(""));
    sub.subscribe(b("b"));
    expect(upstream(connect(sub))).toEqual(["+", "+b"]);
  });

  test("a reconnected publisher gets every current subscription again", () => {
    const sub = new SubSocket();
    const { socketEnd, peerEnd: pub } = connectBoth(sub);
    sub.subscribe(b("x"));
    upstream(pub);
    sub.pipeReconnected(socketEnd);
    expect(upstream(pub)).toEqual(["+x"]);
  });

  test("subscriptions are queued even past the send high-water mark", () => {
    const sub = new SubSocket();
    const { socketEnd, peerEnd } = createPipePair(1, 1, { routingId: new Uint8Array(0), address: "test" });
    sub.attachPipe(socketEnd);
    sub.subscribe(b("1"));
    sub.subscribe(b("2"));
    expect(upstream(peerEnd)).toEqual(["+1", "+2"]);
  });
});

describe("SUB filtering", () => {
  test("delivers only messages whose first frame starts with a subscription", () => {
    const sub = new SubSocket();
    const pub = connect(sub);
    sub.subscribe(b("ab"));
    publish(pub, "a", "ab");
    publish(pub, "abc", "x");
    publish(pub, "b", "ab");
    expect(sub.readable).toBe(true);
    expect(received(sub)).toEqual(["abc|x"]);
    expect(sub.readable).toBe(false);
  });

  test("invertMatching delivers only the messages that match no subscription", () => {
    const sub = new SubSocket();
    sub.invertMatching = true;
    const pub = connect(sub);
    sub.subscribe(b("a"));
    publish(pub, "a1");
    publish(pub, "b1");
    expect(received(sub)).toEqual(["b1"]);
  });

  test("SUB cannot send", () => {
    const sub = new SubSocket();
    expect(() => (sub as XSubSocket).trySend([b("x")])).toThrow("Operation not supported");
    expect(sub.writable).toBe(false);
  });
});

describe("XSUB", () => {
  test("app subscriptions go upstream as unmarked data frames and are re-sent marked on reconnect", () => {
    const xsub = new XSubSocket();
    const { socketEnd, peerEnd: pub } = connectBoth(xsub);
    expect(xsub.trySend([Uint8Array.of(1, 0x61)])).toBe(true);
    expect(upstream(pub)).toEqual(["\x01a"]);
    xsub.pipeReconnected(socketEnd);
    expect(upstream(pub)).toEqual(["+a"]);
  });

  test("an app cancel goes upstream only when its last reference goes", () => {
    const xsub = new XSubSocket();
    const pub = connect(xsub);
    xsub.trySend([Uint8Array.of(1, 0x61)]);
    xsub.trySend([Uint8Array.of(1, 0x61)]);
    xsub.trySend([Uint8Array.of(0, 0x61)]);
    expect(upstream(pub)).toEqual(["\x01a", "\x01a"]);
    xsub.trySend([Uint8Array.of(0, 0x61)]);
    expect(upstream(pub)).toEqual(["\x00a"]);
  });

  test("other messages go to every publisher and everything received is delivered unfiltered", () => {
    const xsub = new XSubSocket();
    const [p1, p2] = [connect(xsub), connect(xsub)];
    xsub.trySend([b("hello")]);
    expect(upstream(p1)).toEqual(["hello"]);
    expect(upstream(p2)).toEqual(["hello"]);
    publish(p1, "anything");
    publish(p2, "else");
    expect(received(xsub).sort()).toEqual(["anything", "else"]);
  });
});
