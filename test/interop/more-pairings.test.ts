// More pairings between bunzmq and libzmq 4.3: DEALER to DEALER (no envelope on either side), our
// XSUB to a libzmq XPUB or PUB, and a libzmq XSUB to our PUB. Subscriptions travel as `\x01topic` /
// `\x00topic` data frames from an XSUB; deliveries are asserted only after the subscription has landed.

import { describe, expect, test } from "bun:test";
import type { LibzmqSocket } from "../../peers/libzmq/index.ts";
import { ZMQ } from "../../peers/libzmq/index.ts";
import { Dealer, Publisher, XSubscriber, type SocketInit } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { awaitJoined, describeMessage, nextMessage, SYNC_TOPIC } from "../helpers/pubsub.ts";
import { withTimeout } from "../helpers/wait.ts";
import { ORDERS, join } from "../helpers/bind-order.ts";

const cleanup = useCleanup();
const TEST_TIMEOUT = 15_000;

function libzmqSocket(type: number): LibzmqSocket {
  return cleanup.libzmq().socket(type);
}

function ours<T extends { close(): unknown }>(type: new (options?: SocketInit) => T, options: object = {}): T {
  return cleanup.track(new type({ linger: 0, ...options }));
}

const text = (message: Buffer[]): string[] => message.map(String);

/** An XSUB subscription (`\x01topic`) or cancel (`\x00topic`) data frame. */
const subscribe = (topic: string): Buffer => Buffer.from(`\x01${topic}`);
const cancel = (topic: string): Buffer => Buffer.from(`\x00${topic}`);

describe("bunzmq DEALER to libzmq DEALER", () => {
  for (const order of ORDERS) {
    test(
      `multipart messages cross both ways with no envelope added when ${order}`,
      async () => {
        const dealer = cleanup.track(new Dealer({ linger: 0 }));
        const theirs = libzmqSocket(ZMQ.DEALER);
        await join(order, dealer, theirs);
        await withTimeout(dealer.send(["a", "", "b"]), 5000, "our DEALER to accept a message");
        expect(text(await theirs.receive())).toEqual(["a", "", "b"]);
        await theirs.send(["x", "y", ""]);
        expect(text(await withTimeout(dealer.receive(), 5000, "a message on our DEALER"))).toEqual(["x", "y", ""]);
        await theirs.send(["single"]);
        expect(text(await withTimeout(dealer.receive(), 5000, "a second message on our DEALER"))).toEqual(["single"]);
        await dealer.send(["one"]);
        expect(text(await theirs.receive())).toEqual(["one"]);
      },
      TEST_TIMEOUT,
    );
  }
});

describe("bunzmq XSUB to libzmq publishers", () => {
  for (const order of ORDERS) {
    test(
      `a libzmq XPUB sees our \\x01topic / \\x00topic frames and sends us only that topic when ${order}`,
      async () => {
        const xpub = libzmqSocket(ZMQ.XPUB);
        const xsub = ours(XSubscriber);
        await join(order, xsub, xpub);
        await xsub.send(subscribe("topic"));
        // Our XSUB keeps the subscription and sends it on every pipe, including one attached later.
        expect(describeMessage(await xpub.receive())).toBe("+topic");
        // The notification is read off the pipe after the XPUB has added the subscription to its trie.
        await xpub.send(["other", "dropped"]);
        await xpub.send(["topic", "kept"]);
        await xpub.send(["topical"]);
        expect(await nextMessage(() => xsub.tryReceive())).toBe("topic|kept");
        expect(await nextMessage(() => xsub.tryReceive())).toBe("topical");
        await xsub.send(cancel("topic"));
        expect(describeMessage(await xpub.receive())).toBe("-topic");
        await xpub.send(["topic", "after cancel"]);
        // Nothing on "topic" may follow the cancel: only the sync marker, once subscribed, gets through.
        await xsub.send(subscribe(SYNC_TOPIC));
        expect(describeMessage(await xpub.receive())).toBe(`+${SYNC_TOPIC}`);
        const received: string[] = [];
        await awaitJoined(
          () => xpub.trySend([SYNC_TOPIC]),
          () => xsub.tryReceive(),
          { into: received },
        );
        expect(received).toEqual([]);
      },
      TEST_TIMEOUT,
    );

    test(
      `a libzmq PUB sends our XSUB what matches its \\x01topic subscription when ${order}`,
      async () => {
        const pub = libzmqSocket(ZMQ.PUB);
        const xsub = ours(XSubscriber);
        await join(order, xsub, pub);
        await xsub.send(subscribe(SYNC_TOPIC));
        await xsub.send(subscribe("ab"));
        await awaitJoined(
          () => pub.trySend([SYNC_TOPIC]),
          () => xsub.tryReceive(),
        );
        for (const topic of ["a", "b", "abc", "xab", "ab"]) await pub.send([topic, "body"]);
        expect(await nextMessage(() => xsub.tryReceive())).toBe("abc|body");
        expect(await nextMessage(() => xsub.tryReceive())).toBe("ab|body");
      },
      TEST_TIMEOUT,
    );
  }
});

describe("libzmq XSUB to bunzmq PUB", () => {
  for (const order of ORDERS) {
    test(
      `our PUB delivers only what matches a libzmq XSUB's \\x01topic when ${order}`,
      async () => {
        const pub = ours(Publisher);
        const xsub = libzmqSocket(ZMQ.XSUB);
        await join(order, pub, xsub);
        await xsub.send([subscribe(SYNC_TOPIC)]);
        await xsub.send([subscribe("ab")]);
        await awaitJoined(
          () => pub.send(SYNC_TOPIC),
          () => xsub.tryReceive(),
        );
        for (const topic of ["a", "b", "abc", "xab", "ab"]) await pub.send([topic, "body"]);
        expect(await nextMessage(() => xsub.tryReceive())).toBe("abc|body");
        expect(await nextMessage(() => xsub.tryReceive())).toBe("ab|body");
      },
      TEST_TIMEOUT,
    );
  }
});
