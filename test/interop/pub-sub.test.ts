// PUB/SUB/XPUB/XSUB between bunzmq and libzmq 4.3 (zmtp-notes §0 items 5 and 7, §4.1, §6.6, §9 items
// 8-11 and 18), in one process. Deliveries are asserted only after the subscription has landed.

import { describe, expect, test } from "bun:test";
import type { LibzmqSocket } from "../../peers/libzmq/index.ts";
import { ZMQ } from "../../peers/libzmq/index.ts";
import { Publisher, Subscriber, XPublisher, type SocketInit } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { endpointOf } from "../helpers/payload.ts";
import { awaitJoined, describeMessage, nextMessage, SYNC_TOPIC } from "../helpers/pubsub.ts";
import { waitFor } from "../helpers/wait.ts";
import { ORDERS, join } from "../helpers/bind-order.ts";

const cleanup = useCleanup();
const TEST_TIMEOUT = 15_000;

function libzmqSocket(type: number): LibzmqSocket {
  return cleanup.libzmq().socket(type);
}

function ours<T extends { close(): unknown }>(type: new (options?: SocketInit) => T, options: object = {}): T {
  return cleanup.track(new type({ linger: 0, ...options }));
}

/** The next thing a libzmq XPUB hands its app, as text (`+topic` / `-topic`). */
async function libzmqNotification(xpub: LibzmqSocket): Promise<string> {
  return describeMessage(await xpub.receive());
}

/**
 * The next thing our XPUB hands its app, as text. libzmq runs a socket's pending commands (attaching
 * an accepted connection's pipe, a reconnect's "hiccup" that re-sends subscriptions) only when its
 * app thread calls into that socket, so `peer` is poked with ZMQ_EVENTS while we wait.
 */
async function notification(xpub: XPublisher, peer?: LibzmqSocket): Promise<string> {
  const message = await waitFor(
    () => {
      if (peer !== undefined && !peer.closed) peer.getInt(ZMQ.EVENTS);
      return xpub.tryReceive();
    },
    { what: "a bunzmq XPUB notification" },
  );
  return describeMessage(message);
}

describe("libzmq publishers, bunzmq subscribers", () => {
  for (const order of ORDERS) {
    test(
      `a libzmq PUB's messages reach our SUB filtered by prefix when ${order}`,
      async () => {
        const pub = libzmqSocket(ZMQ.PUB);
        const sub = ours(Subscriber);
        await join(order, sub, pub);
        sub.subscribe(SYNC_TOPIC, "ab");
        await awaitJoined(
          () => pub.trySend([SYNC_TOPIC]),
          () => sub.tryReceive(),
        );
        for (const topic of ["a", "b", "abc", "xab", "ab"]) await pub.send([topic, "body"]);
        expect(await nextMessage(() => sub.tryReceive())).toBe("abc|body");
        expect(await nextMessage(() => sub.tryReceive())).toBe("ab|body");
      },
      TEST_TIMEOUT,
    );

    test(
      `a libzmq XPUB sees \\x01topic after our subscribe and \\x00topic after our unsubscribe when ${order}`,
      async () => {
        const xpub = libzmqSocket(ZMQ.XPUB);
        const sub = ours(Subscriber);
        await join(order, sub, xpub);
        sub.subscribe("topic");
        expect(await libzmqNotification(xpub)).toBe("+topic");
        sub.unsubscribe("topic");
        expect(await libzmqNotification(xpub)).toBe("-topic");
        sub.subscribe();
        expect(await libzmqNotification(xpub)).toBe("+");
      },
      TEST_TIMEOUT,
    );
  }

  test(
    "our SUB sends SUBSCRIBE every time but CANCEL only after the last unsubscribe (libzmq XPUB_VERBOSER sees it)",
    async () => {
      const xpub = libzmqSocket(ZMQ.XPUB);
      xpub.setInt(ZMQ.XPUB_VERBOSER, 1);
      const sub = ours(Subscriber);
      await join("libzmq binds", sub, xpub);
      sub.subscribe("a");
      sub.subscribe("a");
      expect([await libzmqNotification(xpub), await libzmqNotification(xpub)]).toEqual(["+a", "+a"]);
      sub.unsubscribe("a");
      sub.subscribe("marker");
      // Had the first unsubscribe sent a CANCEL, it would arrive before the marker.
      expect(await libzmqNotification(xpub)).toBe("+marker");
      sub.unsubscribe("a");
      expect(await libzmqNotification(xpub)).toBe("-a");
    },
    TEST_TIMEOUT,
  );

  test(
    "our SUB re-sends its subscriptions after a libzmq XPUB comes back on the same endpoint",
    async () => {
      const context = cleanup.libzmq();
      const first = context.socket(ZMQ.XPUB);
      first.bind(TCP_ANY);
      const endpoint = first.lastEndpoint;
      const sub = ours(Subscriber, { reconnectInterval: 10 });
      sub.subscribe("r1", "r2");
      sub.connect(endpoint);
      expect([await libzmqNotification(first), await libzmqNotification(first)]).toEqual(["+r1", "+r2"]);
      first.close();
      const second = context.socket(ZMQ.XPUB);
      await waitFor(
        () => {
          try {
            second.bind(endpoint);
            return true;
          } catch {
            return false;
          }
        },
        { what: "the endpoint to be free for the second libzmq XPUB" },
      );
      expect([await libzmqNotification(second), await libzmqNotification(second)]).toEqual(["+r1", "+r2"]);
    },
    TEST_TIMEOUT,
  );
});

describe("libzmq subscribers, bunzmq publishers", () => {
  for (const order of ORDERS) {
    test(
      `a libzmq SUB gets only what matches its subscriptions from our PUB when ${order}`,
      async () => {
        const pub = ours(Publisher);
        const sub = libzmqSocket(ZMQ.SUB);
        sub.setBytes(ZMQ.SUBSCRIBE, SYNC_TOPIC);
        sub.setBytes(ZMQ.SUBSCRIBE, "ab");
        await join(order, pub, sub);
        await awaitJoined(
          () => pub.send(SYNC_TOPIC),
          () => sub.tryReceive(),
        );
        for (const topic of ["a", "b", "abc", "xab", "ab"]) await pub.send([topic, "body"]);
        expect(await nextMessage(() => sub.tryReceive())).toBe("abc|body");
        expect(await nextMessage(() => sub.tryReceive())).toBe("ab|body");
      },
      TEST_TIMEOUT,
    );

    test(
      `our XPUB reports a libzmq SUB's SUBSCRIBE and CANCEL commands when ${order}`,
      async () => {
        const xpub = ours(XPublisher);
        const sub = libzmqSocket(ZMQ.SUB);
        await join(order, xpub, sub);
        sub.setBytes(ZMQ.SUBSCRIBE, "topic");
        expect(await notification(xpub, sub)).toBe("+topic");
        sub.setBytes(ZMQ.UNSUBSCRIBE, "topic");
        expect(await notification(xpub, sub)).toBe("-topic");
        sub.setBytes(ZMQ.SUBSCRIBE, "");
        expect(await notification(xpub, sub)).toBe("+");
        await xpub.send(["anything", "at all"]);
        expect(describeMessage(await sub.receive())).toBe("anything|at all");
      },
      TEST_TIMEOUT,
    );

    test(
      `our XPUB takes a libzmq XSUB's \\x01topic data frames as subscriptions when ${order}`,
      async () => {
        const xpub = ours(XPublisher);
        const xsub = libzmqSocket(ZMQ.XSUB);
        await join(order, xpub, xsub);
        await xsub.send([Buffer.from("\x01news")]);
        expect(await notification(xpub, xsub)).toBe("+news");
        await xsub.send([Buffer.from("upstream chatter")]);
        expect(await notification(xpub, xsub)).toBe("upstream chatter");
        await xpub.send(["sport"]);
        await xpub.send(["news", "today"]);
        expect(describeMessage(await xsub.receive())).toBe("news|today");
        await xsub.send([Buffer.from("\x00news")]);
        expect(await notification(xpub, xsub)).toBe("-news");
      },
      TEST_TIMEOUT,
    );
  }

  test(
    "a duplicate subscription on one connection needs a single cancel (libzmq's per-connection set)",
    async () => {
      const xpub = ours(XPublisher, { verbosity: "allSubs" });
      const xsub = libzmqSocket(ZMQ.XSUB);
      await join("bunzmq binds", xpub, xsub);
      // A libzmq XSUB forwards every subscribe and cancel the app sends (duplicates included), while
      // libzmq's own cancel is reference counted; raw frames through our XPUB show the wire truth.
      await xsub.send([Buffer.from("\x01a")]);
      await xsub.send([Buffer.from("\x01a")]);
      expect([await notification(xpub), await notification(xpub)]).toEqual(["+a", "+a"]);
      await xsub.send([Buffer.from(`\x01${SYNC_TOPIC}`)]);
      expect(await notification(xpub)).toBe(`+${SYNC_TOPIC}`);
      await xsub.send([Buffer.from("\x00a")]);
      await xsub.send([Buffer.from("\x00a")]);
      // libzmq's XSUB forwards only the second cancel (its count reaches zero), so one CANCEL arrives
      // for two SUBSCRIBEs, and after it our XPUB must send nothing on "a" to this connection.
      expect(await notification(xpub)).toBe("-a");
      await xpub.send("a-after-cancel");
      const received: string[] = [];
      await awaitJoined(
        () => xpub.send(SYNC_TOPIC),
        () => xsub.tryReceive(),
        { into: received },
      );
      expect(received).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  test(
    "a libzmq SUB that reconnects re-sends its subscriptions to our XPUB bound again on the same endpoint",
    async () => {
      const first = ours(XPublisher);
      await first.bind(TCP_ANY);
      const endpoint = endpointOf(first);
      const sub = libzmqSocket(ZMQ.SUB);
      sub.setInt(ZMQ.RECONNECT_IVL, 10);
      sub.setBytes(ZMQ.SUBSCRIBE, "again");
      sub.connect(endpoint);
      expect(await notification(first, sub)).toBe("+again");
      first.close();
      const second = ours(XPublisher);
      await waitFor(
        () =>
          second.bind(endpoint).then(
            () => true,
            () => false,
          ),
        { what: "the endpoint to be free again" },
      );
      expect(await notification(second, sub)).toBe("+again");
    },
    TEST_TIMEOUT,
  );
});
