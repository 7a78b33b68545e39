// PUB -> XSUB -> XPUB -> SUB (zeromq.js's socket-xpub-xsub unit file): a proxy made of two relay
// loops carries subscriptions up and messages down, filtering included; and XPUB's verbosity decides
// which subscriptions and unsubscriptions it passes on when two subscribers share a topic.

import { describe, expect, test } from "bun:test";
import { Publisher, Subscriber, XPublisher, XSubscriber, type Socket } from "../../src/index.ts";
import {
  ALL_TRANSPORTS,
  forEachTransport,
  freshEndpoint,
  textsAfterJoin,
  untilJoined,
  useSockets,
  withTimeout,
  type Transport,
} from "./support.ts";

const sockets = useSockets();

interface Relay extends Socket {
  send(message: Buffer[]): Promise<void>;
  [Symbol.asyncIterator](): AsyncGenerator<Buffer[], undefined>;
}

/** Forwards every message from `from` to `to`, each frame checked to be a Buffer, until `from` closes. */
async function relay(from: Relay, to: Relay): Promise<void> {
  for await (const message of from) {
    for (const frame of message) expect(frame).toBeInstanceOf(Buffer);
    if (to.closed) return;
    await to.send(message);
  }
}

/** The four sockets joined as in zeromq.js's test, with both relay loops running. */
async function proxyChain(transport: Transport, subscribe: (sub: Subscriber) => void) {
  const [pub, xsub, xpub, sub] = [sockets.open(Publisher), sockets.open(XSubscriber), sockets.open(XPublisher), sockets.open(Subscriber)];
  subscribe(sub);
  await pub.bind(freshEndpoint(transport));
  await xpub.bind(freshEndpoint(transport));
  xsub.connect(pub.lastEndpoint!);
  sub.connect(xpub.lastEndpoint!);
  const relays = Promise.all([relay(xpub, xsub), relay(xsub, xpub)]);
  const stop = async () => {
    xpub.close();
    xsub.close();
    await withTimeout(relays, 5000, "the relay loops to end");
  };
  return { pub, sub, stop };
}

/** An XPUB with two connected SUBs; returns once each SUB's probe subscription has reached the XPUB. */
async function xpubWithTwoSubscribers(transport: Transport, verbosity: XPublisher["verbosity"]) {
  const xpub = sockets.open(XPublisher);
  xpub.verbosity = verbosity;
  const subs = [sockets.open(Subscriber), sockets.open(Subscriber)] as const;
  await xpub.bind(freshEndpoint(transport));
  subs.forEach((sub, i) => {
    sub.connect(xpub.lastEndpoint!);
    sub.subscribe(`probe-${i}`);
  });
  await notificationsUntil(xpub, ["\x01probe-0", "\x01probe-1"]);
  return { xpub, subs };
}

/** Reads XPUB notifications as text until every one in `ends` has been seen; returns the others. */
async function notificationsUntil(xpub: XPublisher, ends: string[]): Promise<string[]> {
  const pending = new Set(ends);
  const others: string[] = [];
  const read = async () => {
    while (pending.size > 0) {
      const text = (await xpub.receive())[0]!.toString("latin1");
      if (!pending.delete(text)) others.push(text);
    }
  };
  await withTimeout(read(), 5000, `the notifications ${ends.join(", ")}`);
  return others;
}

forEachTransport(ALL_TRANSPORTS, (transport) => {
  describe("through a proxy", () => {
    test("a subscription to everything carries every message, in order", async () => {
      const { pub, sub, stop } = await proxyChain(transport, (s) => s.subscribe());
      await untilJoined((text) => pub.send(text), sub, "joined");
      for (const text of ["foo", "bar", "baz", "qux"]) await pub.send(text);
      expect(await textsAfterJoin(sub, "joined", 4)).toEqual(["foo", "bar", "baz", "qux"]);
      await stop();
    });

    test("prefixes subscribed and then unsubscribed leave only the remaining one to filter", async () => {
      const { pub, sub, stop } = await proxyChain(transport, (s) => {
        s.subscribe("fo", "ba", "qu");
        s.unsubscribe("fo", "qu");
      });
      await untilJoined((text) => pub.send(text), sub, "ba:joined");
      for (const text of ["foo", "bar", "baz", "qux", "ba:end"]) await pub.send(text);
      expect(await textsAfterJoin(sub, "ba:joined", 3)).toEqual(["bar", "baz", "ba:end"]);
      await stop();
    });
  });

  describe("two subscribers to 'fo', the second of which then unsubscribes", () => {
    const cases: Array<[XPublisher["verbosity"], string, string[]]> = [
      [null, "only the first subscription", ["\x01fo"]],
      ["allSubs", "both subscriptions but not the unsubscription", ["\x01fo", "\x01fo"]],
      ["allSubsUnsubs", "both subscriptions and the unsubscription", ["\x00fo", "\x01fo", "\x01fo"]],
    ];
    for (const [verbosity, what, expected] of cases) {
      test(`verbosity ${String(verbosity)} passes on ${what}`, async () => {
        const { xpub, subs } = await xpubWithTwoSubscribers(transport, verbosity);
        // The first subscriber's subscription is in before the second acts: across two connections
        // nothing else orders them (with I/O threads they may well be read in the other order).
        subs[0].subscribe("fo");
        expect(await notificationsUntil(xpub, ["\x01fo"])).toEqual([]);
        subs[1].subscribe("fo");
        subs[1].unsubscribe("fo");
        subs[1].subscribe("end");
        const rest = await notificationsUntil(xpub, ["\x01end"]);
        expect(["\x01fo", ...rest].sort()).toEqual(expected);
      });
    }
  });
});
