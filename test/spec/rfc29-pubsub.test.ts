// RFC 29/PUBSUB (https://rfc.zeromq.org/spec/29/), bunzmq <-> bunzmq over every transport of
// test/conformance/transports.ts; a sentence no peer takes part in runs once.
// Each test is named after the RFC sentence it checks (libzmq test_spec_* style). Deliveries are
// asserted only after the subscription has reached the publisher ("slow joiner", zmtp-notes §6.6).

import { describe, expect, test } from "bun:test";
import { Publisher, Subscriber, XPublisher, XSubscriber, type SocketInit } from "../../src/index.ts";
import { forEachTransport } from "../conformance/transports.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { endpointOf } from "../helpers/payload.ts";
import { awaitJoined, describeMessage, nextMessage, SYNC_TOPIC } from "../helpers/pubsub.ts";
import { waitFor, withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();

function open<T extends { close(): unknown }>(type: new (options?: SocketInit) => T, options: object = {}): T {
  return cleanup.track(new type({ linger: 0, ...options }));
}

/** The next notification or upstream message an XPUB hands its app, as text. */
async function notification(xpub: XPublisher): Promise<string> {
  return describeMessage(await withTimeout(xpub.receive(), 5000, "an XPUB notification"));
}

// No peer takes part, so the transport does not matter: this runs once.
describe("bunzmq conflate on PUB and SUB", () => {
  test("bunzmq: conflate is accepted on Publisher and Subscriber (write-only, as in zeromq.js), and rejects non-booleans", () => {
    const pub = open(Publisher, { conflate: true });
    const sub = open(Subscriber, { conflate: true });
    expect([pub.conflate, sub.conflate] as unknown[]).toEqual([undefined, undefined]);
    expect(() => {
      sub.conflate = 1 as unknown as boolean;
    }).toThrow(new TypeError("Option value must be a boolean"));
  });
});

forEachTransport((row) => {
  /** Binds a new socket to `address`, by default a fresh endpoint of this transport. */
  async function bound<T extends { close(): unknown; bind(address: string): Promise<void> }>(
    type: new (options?: SocketInit) => T,
    options: object = {},
    address = row.bindable(),
  ): Promise<T> {
    const socket = open(type, options);
    await socket.bind(address);
    return socket;
  }

  /** A Publisher with one Subscriber joined (subscribed to the sync topic and `topics`). */
  async function joinedPair(topics: string[], pubOptions: object = {}, subOptions: object = {}) {
    const pub = await bound(Publisher, pubOptions);
    const sub = open(Subscriber, subOptions);
    sub.connect(endpointOf(pub));
    sub.subscribe(SYNC_TOPIC, ...topics);
    await awaitJoined(
      () => pub.send(SYNC_TOPIC),
      () => sub.tryReceive(),
    );
    return { pub, sub };
  }

  describe("RFC 29 PUB", () => {
    test("RFC 29 PUB: MAY be connected to any number of SUB or XSUB subscribers, and SHALL only send messages", async () => {
      const pub = await bound(Publisher);
      expect("receive" in pub).toBe(false);
      expect("tryReceive" in pub).toBe(false);
      const sub = open(Subscriber);
      const xsub = open(XSubscriber);
      sub.connect(endpointOf(pub));
      xsub.connect(endpointOf(pub));
      sub.subscribe(SYNC_TOPIC);
      await xsub.send(Buffer.from(`\x01${SYNC_TOPIC}`));
      await awaitJoined(
        () => pub.send(SYNC_TOPIC),
        () => sub.tryReceive(),
      );
      await awaitJoined(
        () => pub.send(SYNC_TOPIC),
        () => xsub.tryReceive(),
      );
    });

    test("RFC 29 PUB: SHALL perform a binary comparison of the subscription against the start of the first frame of the message", async () => {
      const { pub, sub } = await joinedPair(["ab", "\u00ff"]);
      await pub.send(["a", "ab"]);
      await pub.send(["xab"]);
      await pub.send(["ab"]);
      await pub.send(["abc", "x"]);
      await pub.send([Buffer.from([0xc3, 0xbf])]); // "\u00ff" in UTF-8 starts with 0xc3: a match
      await pub.send([Buffer.from([0xff])]);
      await pub.send(["end-ab"]);
      await pub.send(["ab-end"]);
      const seen = [await nextMessage(() => sub.tryReceive()), await nextMessage(() => sub.tryReceive())];
      expect(seen).toEqual(["ab", "abc|x"]);
      const third = await withTimeout(sub.receive(), 5000, "the UTF-8 topic message");
      expect([...third[0]!]).toEqual([0xc3, 0xbf]);
      expect(await nextMessage(() => sub.tryReceive())).toBe("ab-end");
    });

    test("RFC 29 PUB: SHALL not modify outgoing messages in any way", async () => {
      const { pub, sub } = await joinedPair([""]);
      const parts = [Buffer.from([0, 1, 2]), Buffer.alloc(0), Buffer.alloc(300, 0xab), Buffer.alloc(0)];
      await pub.send(parts);
      const message = await waitFor(
        () => {
          const m = sub.tryReceive();
          return m !== null && m[0]!.toString() !== SYNC_TOPIC ? m : null;
        },
        { what: "the multipart message" },
      );
      expect(message.map((frame) => [...frame])).toEqual(parts.map((frame) => [...frame]));
    });

    test("RFC 29 PUB: SHALL silently drop the message if the queue for a subscriber is full, and SHALL NOT block on sending", async () => {
      const { pub, sub } = await joinedPair(["burst"], { sendHighWaterMark: 10 }, { receiveHighWaterMark: 10 });
      // One synchronous burst: the engine cannot drain the queue in between, so most are dropped.
      for (let i = 0; i < 1000; i++) expect(pub.trySend(["burst", String(i)])).toBe(true);
      // Then publish an end marker until it arrives: everything not dropped has arrived before it.
      const received: string[] = [];
      await waitFor(
        async () => {
          await pub.send("burst-end");
          for (let m = sub.tryReceive(); m !== null; m = sub.tryReceive()) {
            const text = describeMessage(m);
            if (text === "burst-end") return true;
            if (text !== SYNC_TOPIC) received.push(text);
          }
          return false;
        },
        { what: "the end marker after the burst" },
      );
      expect(received.length).toBeGreaterThan(0);
      expect(received.length).toBeLessThan(1000);
      expect(received[0]).toBe("burst|0");
    });

    test("RFC 29 PUB: SHALL silently discard any messages that subscribers send it", async () => {
      const pub = await bound(Publisher);
      const xsub = open(XSubscriber);
      xsub.connect(endpointOf(pub));
      await xsub.send(["not a subscription", "at all"]);
      await xsub.send(Buffer.from(`\x01${SYNC_TOPIC}`));
      await awaitJoined(
        () => pub.send(SYNC_TOPIC),
        () => xsub.tryReceive(),
      );
      expect(pub.readable).toBe(false);
    });
  });

  describe("RFC 29 XPUB", () => {
    test("RFC 29 XPUB: SHALL deliver these commands to its calling application", async () => {
      const xpub = await bound(XPublisher);
      const sub = open(Subscriber);
      sub.connect(endpointOf(xpub));
      sub.subscribe("topic");
      expect(await notification(xpub)).toBe("+topic");
      sub.unsubscribe("topic");
      expect(await notification(xpub)).toBe("-topic");
    });

    test("RFC 29 XPUB: MAY, depending on configuration, normalize commands delivered to its calling application so that multiple identical subscriptions result in a single command only", async () => {
      for (const [verbosity, expected] of [
        [null, ["+a", "+z"]],
        ["allSubs", ["+a", "+a", "+z"]],
      ] as const) {
        const xpub = await bound(XPublisher, { verbosity });
        const [s1, s2] = [open(Subscriber), open(Subscriber)];
        s1.connect(endpointOf(xpub));
        s1.subscribe("a");
        expect(await notification(xpub)).toBe("+a");
        s2.connect(endpointOf(xpub));
        s2.subscribe("a", "z");
        const seen = ["+a"];
        while (seen.at(-1) !== "+z") seen.push(await notification(xpub));
        expect(seen).toEqual([...expected]);
      }
    });

    test("RFC 29 XPUB: SHALL, if the subscriber peer disconnects prematurely, generate a suitable unsubscribe request for the calling application", async () => {
      const xpub = await bound(XPublisher);
      const sub = new Subscriber({ linger: 0 });
      sub.connect(endpointOf(xpub));
      sub.subscribe("gone");
      expect(await notification(xpub)).toBe("+gone");
      sub.close();
      expect(await notification(xpub)).toBe("-gone");
    });

    test("RFC 29 XPUB: SHALL receive incoming messages from its subscribers using a fair-queuing strategy, and SHALL deliver these messages to its calling application", async () => {
      const xpub = await bound(XPublisher);
      const [x1, x2] = [open(XSubscriber), open(XSubscriber)];
      x1.connect(endpointOf(xpub));
      x2.connect(endpointOf(xpub));
      await x1.send(["from", "x1"]);
      await x2.send(["from", "x2"]);
      const seen = [await notification(xpub), await notification(xpub)].sort();
      expect(seen).toEqual(["from|x1", "from|x2"]);
    });

    test("RFC 29 XPUB: SHALL perform a binary comparison of the subscription against the start of the first frame of the message", async () => {
      const xpub = await bound(XPublisher);
      const sub = open(Subscriber);
      sub.connect(endpointOf(xpub));
      sub.subscribe("news");
      expect(await notification(xpub)).toBe("+news");
      await xpub.send(["sport", "x"]);
      await xpub.send(["newsflash", "y"]);
      expect(describeMessage(await withTimeout(sub.receive(), 5000, "the news"))).toBe("newsflash|y");
    });

    test("bunzmq XPUB: welcomeMessage is the first message every new subscriber receives", async () => {
      const xpub = await bound(XPublisher, { welcomeMessage: "W" });
      const sub = open(Subscriber);
      sub.connect(endpointOf(xpub));
      sub.subscribe("W");
      expect(describeMessage(await withTimeout(sub.receive(), 5000, "the welcome message"))).toBe("W");
    });

    test("bunzmq XPUB: noDrop makes sending wait at the high-water mark instead of dropping", async () => {
      const xpub = await bound(XPublisher, { noDrop: true, sendHighWaterMark: 5 });
      const sub = open(Subscriber, { receiveHighWaterMark: 5 });
      sub.connect(endpointOf(xpub));
      sub.subscribe("");
      expect(await notification(xpub)).toBe("+");
      let accepted = 0;
      while (accepted < 1000 && xpub.trySend(String(accepted))) accepted++;
      expect(accepted).toBeLessThan(1000);
      // The rest go through send(), which waits for room; nothing may be lost.
      const sending = (async () => {
        for (let i = accepted; i < 200; i++) await xpub.send(String(i));
      })();
      for (let i = 0; i < 200; i++) expect((await withTimeout(sub.receive(), 5000, `message ${i}`))[0]!.toString()).toBe(String(i));
      await sending;
    });

    test("bunzmq XPUB and SUB: invertMatching delivers exactly the messages that match no subscription", async () => {
      const xpub = await bound(XPublisher, { invertMatching: true });
      const sub = open(Subscriber, { invertMatching: true });
      sub.connect(endpointOf(xpub));
      sub.subscribe("a");
      expect(await notification(xpub)).toBe("+a");
      await xpub.send("a1");
      await xpub.send("b1");
      expect(describeMessage(await withTimeout(sub.receive(), 5000, "the non-matching message"))).toBe("b1");
    });

    test("bunzmq XPUB: verbosity allSubsUnsubs passes every cancel", async () => {
      const xpub = await bound(XPublisher, { verbosity: "allSubsUnsubs" });
      const [s1, s2] = [open(Subscriber), open(Subscriber)];
      for (const sub of [s1, s2]) {
        sub.connect(endpointOf(xpub));
        sub.subscribe("t");
        expect(await notification(xpub)).toBe("+t");
      }
      s1.unsubscribe("t");
      expect(await notification(xpub)).toBe("-t");
      s2.unsubscribe("t");
      expect(await notification(xpub)).toBe("-t");
    });

    test("bunzmq XPUB: manual mode hands every subscription to the app and delivers only what the app subscribes", async () => {
      const xpub = await bound(XPublisher, { manual: true });
      const [s1, s2] = [open(Subscriber), open(Subscriber)];
      s1.connect(endpointOf(xpub));
      s1.subscribe("t");
      expect(await notification(xpub)).toBe("+t");
      // The app maps the request to a different topic for this peer.
      xpub.subscribe("mapped");
      s2.connect(endpointOf(xpub));
      s2.subscribe("t");
      // Not normalised: the second peer's identical request is reported too; the app ignores it.
      expect(await notification(xpub)).toBe("+t");
      await xpub.send("t-unmapped");
      await xpub.send("mapped-1");
      s1.subscribe("mapped");
      s2.subscribe("mapped");
      expect(await notification(xpub)).toBe("+mapped");
      expect(await notification(xpub)).toBe("+mapped");
      expect(describeMessage(await withTimeout(s1.receive(), 5000, "the mapped message"))).toBe("mapped-1");
      s1.close();
      expect([await notification(xpub), await notification(xpub)].sort()).toEqual(["-mapped", "-t"]);
    });
  });

  describe("RFC 29 SUB", () => {
    test("RFC 29 SUB: MAY be connected to any number of PUB or XPUB publishers, and SHALL only receive messages", async () => {
      const sub = open(Subscriber);
      expect("send" in sub).toBe(false);
      const [p1, p2] = [await bound(Publisher), await bound(XPublisher)];
      sub.connect(endpointOf(p1));
      sub.connect(endpointOf(p2));
      sub.subscribe(SYNC_TOPIC);
      const [m1, m2] = [`${SYNC_TOPIC}1`, `${SYNC_TOPIC}2`];
      await awaitJoined(
        () => p1.send(m1),
        () => sub.tryReceive(),
        { marker: m1 },
      );
      await awaitJoined(
        () => p2.send(m2),
        () => sub.tryReceive(),
        { marker: m2 },
      );
    });

    test("RFC 29 SUB: SHALL receive incoming messages from its publishers using a fair-queuing strategy", async () => {
      const sub = await bound(Subscriber);
      sub.subscribe(SYNC_TOPIC, "m");
      const [p1, p2] = [open(Publisher), open(Publisher)];
      for (const [k, pub] of [p1, p2].entries()) {
        pub.connect(endpointOf(sub));
        const marker = `${SYNC_TOPIC}${k}`;
        await awaitJoined(
          () => pub.send(marker),
          () => sub.tryReceive(),
          { marker },
        );
      }
      for (let i = 0; i < 3; i++) {
        await p1.send(["m", `p1-${i}`]);
        await p2.send(["m", `p2-${i}`]);
      }
      const seen: string[] = [];
      for (let i = 0; i < 6; i++) seen.push(await nextMessage(() => sub.tryReceive()));
      expect(seen.sort()).toEqual(["m|p1-0", "m|p1-1", "m|p1-2", "m|p2-0", "m|p2-1", "m|p2-2"]);
    });

    test("RFC 29 SUB: MAY, depending on the transport, filter messages according to subscriptions, using a prefix match algorithm", async () => {
      const xpub = await bound(XPublisher);
      const sub = open(Subscriber);
      sub.connect(endpointOf(xpub));
      sub.subscribe("a", "b");
      const seen = [await notification(xpub), await notification(xpub)];
      expect(seen.sort()).toEqual(["+a", "+b"]);
      sub.unsubscribe("a");
      expect(await notification(xpub)).toBe("-a");
      await xpub.send("a1");
      await xpub.send("b1");
      expect(describeMessage(await withTimeout(sub.receive(), 5000, "b1"))).toBe("b1");
    });

    test("bunzmq SUB: subscribe() with no argument subscribes to everything", async () => {
      const xpub = await bound(XPublisher);
      const sub = open(Subscriber);
      sub.connect(endpointOf(xpub));
      sub.subscribe();
      expect(await notification(xpub)).toBe("+");
      await xpub.send(["", "empty first frame"]);
      expect(describeMessage(await withTimeout(sub.receive(), 5000, "the message"))).toBe("|empty first frame");
    });

    // The publisher comes back on the same endpoint: a reconnect, which inproc does not do (the
    // reconnect gap in transports.ts).
    test.skipIf(row.gaps.reconnect !== undefined)(
      "bunzmq SUB: subscriptions made before connecting, and re-sent after the publisher comes back on the same endpoint",
      async () => {
        const first = await bound(XPublisher, {}, row.vacant());
        const endpoint = endpointOf(first);
        const sub = open(Subscriber, { reconnectInterval: 10 });
        sub.subscribe("early");
        sub.connect(endpoint);
        expect(await notification(first)).toBe("+early");
        first.close();
        const second = open(XPublisher);
        await waitFor(
          () =>
            second.bind(endpoint).then(
              () => true,
              () => false,
            ),
          { what: "the endpoint to be free again" },
        );
        expect(await notification(second)).toBe("+early");
      },
    );
  });

  describe("RFC 29 XSUB", () => {
    test("RFC 29 XSUB: SHALL accept subscription commands from its calling application", async () => {
      const xpub = await bound(XPublisher);
      const xsub = open(XSubscriber);
      xsub.connect(endpointOf(xpub));
      await xsub.send(Buffer.from("\x01t"));
      expect(await notification(xpub)).toBe("+t");
      await xpub.send("u");
      await xpub.send("t1");
      expect(describeMessage(await withTimeout(xsub.receive(), 5000, "t1"))).toBe("t1");
      await xsub.send(Buffer.from("\x00t"));
      expect(await notification(xpub)).toBe("-t");
    });

    test("RFC 29 XSUB: SHALL send all messages to all connected publishers", async () => {
      const [p1, p2] = [await bound(XPublisher), await bound(XPublisher)];
      const xsub = open(XSubscriber);
      xsub.connect(endpointOf(p1));
      xsub.connect(endpointOf(p2));
      // Both queues exist from connect() on (RFC 29 XSUB: "SHALL create a double queue when initiating
      // an outgoing connection"), so one send reaches both publishers.
      await xsub.send("hello");
      expect(await notification(p1)).toBe("hello");
      expect(await notification(p2)).toBe("hello");
    });

    test("RFC 29 XSUB: SHALL NOT block on sending", async () => {
      const xsub = open(XSubscriber, { sendHighWaterMark: 1 });
      xsub.connect(endpointOf(await bound(XPublisher)));
      for (let i = 0; i < 100; i++) expect(xsub.trySend(`m${i}`)).toBe(true);
    });
  });
});
