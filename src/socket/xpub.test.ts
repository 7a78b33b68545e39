// XPUB and PUB routing cores driven with in-memory pipes: matching, drop / noDrop, notifications and
// their verbosity, disconnect cancels, welcome message, invert matching. No sockets.

import { describe, expect, test } from "bun:test";
import type { Message } from "../core/message.ts";
import { createPipePair, type PipeEnd } from "../pipe/pipe-end.ts";
import { PubSocket } from "./pub.ts";
import { XPubSocket } from "./xpub.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const b = (text: string): Uint8Array => encoder.encode(text);

/** Connects a subscriber; returns both ends (`peerEnd` plays the subscriber). */
function connect(socket: XPubSocket, sendHwm = 1000): { socketEnd: PipeEnd; peerEnd: PipeEnd } {
  const pair = createPipePair(sendHwm, 1000, { routingId: new Uint8Array(0), address: "test" });
  socket.attachPipe(pair.socketEnd);
  return pair;
}

/** The subscriber sends `\x01topic` (subscribe) or `\x00topic` (cancel), as the engine hands them up. */
function subscribe(subscriber: PipeEnd, topic: string, on = true): void {
  const body = new Uint8Array(topic.length + 1);
  body[0] = on ? 1 : 0;
  body.set(b(topic), 1);
  subscriber.outbound.write([body]);
}

function delivered(subscriber: PipeEnd): string[] {
  const out: string[] = [];
  for (let m = subscriber.inbound.read(); m !== undefined; m = subscriber.inbound.read())
    out.push(m.map((f) => decoder.decode(f)).join("|"));
  return out;
}

/** What the app receives, with `+`/`-` for subscription notifications. */
function notifications(xpub: XPubSocket): string[] {
  const out: string[] = [];
  for (let m = xpub.tryReceive(); m !== undefined; m = xpub.tryReceive()) {
    const f = m[0]!;
    out.push(f[0] === 1 ? `+${decoder.decode(f.subarray(1))}` : f[0] === 0 ? `-${decoder.decode(f.subarray(1))}` : decoder.decode(f));
  }
  return out;
}

const send = (socket: XPubSocket, ...frames: string[]): boolean => socket.trySend(frames.map(b) as Message);

describe("XPUB sending", () => {
  test("each message goes whole to every subscriber whose topic prefixes its first frame", () => {
    const xpub = new XPubSocket();
    const s1 = connect(xpub).peerEnd;
    const s2 = connect(xpub).peerEnd;
    subscribe(s1, "a");
    subscribe(s2, "");
    send(xpub, "ab", "x");
    send(xpub, "b", "ab");
    expect(delivered(s1)).toEqual(["ab|x"]);
    expect(delivered(s2)).toEqual(["ab|x", "b|ab"]);
  });

  test("a full subscriber misses messages; noDrop makes the send wait instead", () => {
    const xpub = new XPubSocket();
    const slow = connect(xpub, 1).peerEnd;
    subscribe(slow, "");
    expect(send(xpub, "1")).toBe(true);
    expect(send(xpub, "2")).toBe(true);
    xpub.noDrop = true;
    expect(xpub.writable).toBe(false);
    expect(send(xpub, "3")).toBe(false);
    expect(delivered(slow)).toEqual(["1"]);
    expect(send(xpub, "4")).toBe(true);
    expect(delivered(slow)).toEqual(["4"]);
  });

  test("invertMatching sends to the subscribers whose topics do not match", () => {
    const xpub = new XPubSocket();
    xpub.invertMatching = true;
    const s1 = connect(xpub).peerEnd;
    const s2 = connect(xpub).peerEnd;
    subscribe(s1, "a");
    subscribe(s2, "b");
    send(xpub, "a1");
    expect(delivered(s1)).toEqual([]);
    expect(delivered(s2)).toEqual(["a1"]);
  });

  test("the welcome message is the first message each new subscriber gets", () => {
    const xpub = new XPubSocket();
    xpub.welcomeMessage = b("W");
    expect(delivered(connect(xpub).peerEnd)).toEqual(["W"]);
  });
});

describe("XPUB notifications", () => {
  test("by default only the first subscribe and the last cancel of a topic reach the app", () => {
    const xpub = new XPubSocket();
    const s1 = connect(xpub).peerEnd;
    const s2 = connect(xpub).peerEnd;
    subscribe(s1, "a");
    subscribe(s2, "a");
    subscribe(s1, "a");
    subscribe(s1, "a", false);
    subscribe(s2, "a", false);
    expect(notifications(xpub)).toEqual(["+a", "-a"]);
  });

  test("allSubs passes every subscribe; allSubsUnsubs also every cancel", () => {
    const xpub = new XPubSocket();
    xpub.verbosity = "allSubs";
    const s1 = connect(xpub).peerEnd;
    const s2 = connect(xpub).peerEnd;
    subscribe(s1, "a");
    subscribe(s2, "a");
    subscribe(s1, "a", false);
    expect(notifications(xpub)).toEqual(["+a", "+a"]);
    xpub.verbosity = "allSubsUnsubs";
    subscribe(s2, "a");
    subscribe(s2, "a", false);
    expect(notifications(xpub)).toEqual(["+a", "-a"]);
  });

  test("a departed subscriber's subscriptions become cancels for the topics nobody else holds", () => {
    const xpub = new XPubSocket();
    const c1 = connect(xpub);
    const s2 = connect(xpub).peerEnd;
    subscribe(c1.peerEnd, "a");
    subscribe(c1.peerEnd, "b");
    subscribe(s2, "b");
    notifications(xpub);
    xpub.detachPipe(c1.socketEnd);
    expect(notifications(xpub)).toEqual(["-a"]);
    send(xpub, "b");
    expect(delivered(s2)).toEqual(["b"]);
  });

  test("other upstream messages reach the XPUB app unchanged", () => {
    const xpub = new XPubSocket();
    const s = connect(xpub).peerEnd;
    s.outbound.write([b("hello"), b("world")]);
    expect(xpub.tryReceive()?.map((f) => decoder.decode(f))).toEqual(["hello", "world"]);
  });
});

describe("PUB", () => {
  test("PUB applies subscriptions but hands nothing to the app and cannot receive", () => {
    const pub = new PubSocket();
    const s = connect(pub).peerEnd;
    subscribe(s, "a");
    s.outbound.write([b("chatter")]);
    expect(pub.readable).toBe(false);
    expect(() => pub.tryReceive()).toThrow();
    send(pub, "a1");
    expect(delivered(s)).toEqual(["a1"]);
    expect(s.outbound.size).toBe(0);
  });
});

describe("XPUB manualLastValue", () => {
  test("the first send after the app took a subscription goes only to that peer, if it matches; then to everyone", () => {
    const xpub = new XPubSocket();
    xpub.manualLastValue = true;
    const old = connect(xpub).peerEnd;
    const newcomer = connect(xpub).peerEnd;
    subscribe(old, "a");
    expect(notifications(xpub)).toEqual(["+a"]);
    xpub.subscribeLast(b("a"));
    subscribe(newcomer, "a");
    expect(notifications(xpub)).toEqual(["+a"]);
    xpub.subscribeLast(b("a"));
    send(xpub, "a1");
    send(xpub, "a2");
    expect([delivered(old), delivered(newcomer)]).toEqual([["a2"], ["a1", "a2"]]);
    // As in libzmq, that first send is the restricted one even when the peer does not match it.
    subscribe(newcomer, "a");
    notifications(xpub);
    send(xpub, "b-no-match");
    send(xpub, "a3");
    expect([delivered(old), delivered(newcomer)]).toEqual([["a3"], ["a3"]]);
  });

  test("with noDrop, a send refused at the newcomer's high-water mark still goes to the newcomer alone when retried", () => {
    const xpub = new XPubSocket();
    xpub.manualLastValue = true;
    xpub.noDrop = true;
    const old = connect(xpub).peerEnd;
    const newcomer = connect(xpub, 1);
    subscribe(old, "");
    notifications(xpub);
    xpub.subscribeLast(new Uint8Array(0));
    subscribe(newcomer.peerEnd, "");
    notifications(xpub);
    xpub.subscribeLast(new Uint8Array(0));
    newcomer.socketEnd.outbound.write([b("filler")]);
    expect(send(xpub, "last")).toBe(false);
    delivered(newcomer.peerEnd);
    expect(send(xpub, "last")).toBe(true);
    expect([delivered(old), delivered(newcomer.peerEnd)]).toEqual([[], ["last"]]);
  });
});

describe("XPUB: what waits for the app is bounded per peer (#14)", () => {
  // A notification of a 1-byte topic is 2 bytes; it costs 2 + 64 against maxSubscriptionBytes.
  const NOTIFICATION_COST = 66;

  test("a peer that subscribes and cancels in a loop leaves at most maxSubscriptionBytes waiting for an app that never reads", () => {
    const xpub = new XPubSocket();
    xpub.maxSubscriptionBytes = 10 * NOTIFICATION_COST;
    const flooder = connect(xpub).peerEnd;
    for (let i = 0; i < 100_000; i++) {
      subscribe(flooder, "t");
      subscribe(flooder, "t", false);
    }
    const seen = notifications(xpub);
    expect(seen.length).toBe(10);
    expect(seen.slice(0, 4)).toEqual(["+t", "-t", "+t", "-t"]);
  });

  test("reading makes room again, and each peer has its own bound", () => {
    // Verbose: every SUBSCRIBE is reported, while the table holds "a" once (65 bytes).
    const xpub = new XPubSocket();
    xpub.verbosity = "allSubs";
    xpub.maxSubscriptionBytes = 150;
    const a = connect(xpub).peerEnd;
    const other = connect(xpub).peerEnd;
    for (let i = 0; i < 3; i++) subscribe(a, "a");
    subscribe(other, "x");
    // The third report of `a` found no room (3 x 66 > 150); `other` has its own bound.
    expect(notifications(xpub)).toEqual(["+a", "+a", "+x"]);
    subscribe(a, "a");
    expect(notifications(xpub)).toEqual(["+a"]);
    send(xpub, "a");
    expect(delivered(a)).toEqual(["a"]);
  });

  test("upstream data over the bound is dropped; a departed peer's entries stay readable", () => {
    const xpub = new XPubSocket();
    xpub.maxSubscriptionBytes = 200;
    const peer = connect(xpub);
    for (let i = 0; i < 10; i++) peer.peerEnd.outbound.write([b(`data-${i}`)]);
    subscribe(peer.peerEnd, "t");
    xpub.detachPipe(peer.socketEnd);
    // data-0 and data-1 (6 + 64 bytes each) fit in 200; the rest, and the subscription, did not.
    expect(notifications(xpub)).toEqual(["data-0", "data-1"]);
  });

  test("-1 bounds nothing, as in libzmq", () => {
    const xpub = new XPubSocket();
    xpub.maxSubscriptionBytes = -1;
    const flooder = connect(xpub).peerEnd;
    for (let i = 0; i < 1000; i++) subscribe(flooder, "t", false);
    expect(notifications(xpub).length).toBe(1000);
  });
});
