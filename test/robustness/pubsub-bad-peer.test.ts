// Raw byte peers posing as SUB against a bound bunzmq PUB/XPUB while a good bunzmq SUB keeps receiving.
// Property: a hostile subscriber loses at most its own connection, its subscriptions cannot take more
// memory than `maxSubscriptionBytes` allows, and the good subscriber and the publisher carry on.

import { describe, expect, test } from "bun:test";
import { heapSize } from "bun:jsc";
import { Publisher, Subscriber, XPublisher } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { EventLog } from "../helpers/events.ts";
import { endpointOf } from "../helpers/payload.ts";
import { RawPeer } from "../helpers/raw-peer.ts";
import { trackUncaught } from "../helpers/uncaught.ts";
import { waitFor } from "../helpers/wait.ts";
import { command, concat, frame } from "../helpers/zmtp-bytes.ts";

const cleanup = useCleanup();
const uncaught = trackUncaught();
const encoder = new TextEncoder();

type PublisherSocket = Publisher | XPublisher;

interface Fixture<P extends PublisherSocket> {
  pub: P;
  log: EventLog;
  endpoint: string;
  /** Publishes `tag` on the good subscriber's topic until the good SUB receives it (bounded). */
  goodSubscriberReceives(tag: string): Promise<void>;
}

/** A bound publisher with a good bunzmq SUB (subscribed to "good") already receiving from it. */
async function publisherWithGoodSubscriber<P extends PublisherSocket>(pub: P): Promise<Fixture<P>> {
  cleanup.track(pub);
  const log = new EventLog(pub);
  await pub.bind(TCP_ANY);
  const endpoint = endpointOf(pub);
  const sub = cleanup.track(new Subscriber({ linger: 0 }));
  sub.subscribe("good");
  sub.connect(endpoint);
  const goodSubscriberReceives = async (tag: string) => {
    const expected = `good ${tag}`;
    await waitFor(
      () => {
        pub.trySend(expected);
        for (let message = sub.tryReceive(); message !== null; message = sub.tryReceive()) {
          if (String(message[0]) === expected) return true;
        }
        return false;
      },
      { what: `"${expected}" at the good subscriber`, timeoutMs: 10_000 },
    );
  };
  await goodSubscriberReceives("before");
  // The good SUB's own "+good" notification: taken now, so tests see only the raw peer's.
  if (pub instanceof XPublisher) await notificationsUntil(pub, notification(1, "good"));
  return { pub, log, endpoint, goodSubscriberReceives };
}

async function rawSubscriber(endpoint: string): Promise<RawPeer> {
  const raw = cleanup.track(await RawPeer.connect(endpoint));
  await raw.handshake("SUB");
  return raw;
}

/** Reads an XPUB's notifications until one equals `last`; returns how many came before it. */
async function notificationsUntil(pub: XPublisher, last: Uint8Array, timeoutMs = 20_000): Promise<number> {
  let before = 0;
  const wanted = Buffer.from(last);
  await waitFor(
    () => {
      for (let message = pub.tryReceive(); message !== null; message = pub.tryReceive()) {
        if (message[0]!.equals(wanted)) return true;
        before++;
      }
      return false;
    },
    { what: () => `notification ${wanted.toString("hex")} after ${before} others`, timeoutMs },
  );
  return before;
}

const subscribe = (topic: Uint8Array | string): Uint8Array =>
  command("SUBSCRIBE", typeof topic === "string" ? encoder.encode(topic) : topic);
const cancel = (topic: string): Uint8Array => command("CANCEL", encoder.encode(topic));
const notification = (kind: 0 | 1, topic: string): Uint8Array => concat([kind], encoder.encode(topic));

describe("a bound bunzmq PUB/XPUB facing hostile subscribers", () => {
  test("a subscription longer than maxMessageSize closes only that connection", async () => {
    const fixture = await publisherWithGoodSubscriber(new Publisher({ linger: 0, maxMessageSize: 1024 }));
    const raw = await rawSubscriber(fixture.endpoint);
    raw.write(subscribe(new Uint8Array(4096).fill(0x61)));
    await raw.waitForClose();
    const disconnect = await fixture.log.waitFor("disconnect");
    expect(disconnect.error?.code).toBe("EMSGSIZE");
    await fixture.goodSubscriberReceives("after");
    expect(uncaught.errors).toEqual([]);
  });

  test("a flood of a million subscriptions stays within maxSubscriptionBytes while others carry on", async () => {
    const limit = 4 * 1024 * 1024;
    const fixture = await publisherWithGoodSubscriber(new XPublisher({ linger: 0, maxSubscriptionBytes: limit }));
    const raw = await rawSubscriber(fixture.endpoint);
    Bun.gc(true);
    const heapBefore = heapSize();
    const total = 1_000_000;
    const batch = 20_000;
    for (let start = 0; start < total; start += batch) {
      const commands: Uint8Array[] = [];
      for (let i = start; i < start + batch; i++) commands.push(subscribe(`flood.${i.toString(36)}.x`));
      raw.write(concat(...commands));
      // Bounded back-pressure on the test's own side: keep at most a few batches in the raw peer's queue.
      if (raw.pendingBytes > 4 * 1024 * 1024)
        await waitFor(() => raw.pendingBytes < 1024 * 1024, { what: "the flood to drain", timeoutMs: 20_000 });
      // Drain the XPUB's notifications as we go, as an application would.
      for (let message = fixture.pub.tryReceive(); message !== null; message = fixture.pub.tryReceive());
    }
    // A cancel for a topic never subscribed is still reported (libzmq): it marks the end of the flood.
    raw.write(cancel("end of flood"));
    await notificationsUntil(fixture.pub, notification(0, "end of flood"));
    Bun.gc(true);
    const growth = heapSize() - heapBefore;
    // The accepted topics cost at most `limit` as counted; unbounded, a million topics would take
    // ~64 MB in the table alone (and ~600 MB before the radix trie). Generous: 40 MB.
    expect(growth).toBeLessThan(40 * 1024 * 1024);
    expect(raw.closed).toBe(false);
    // The flooder still holds what fitted: an early topic reaches it, and the publisher stays responsive.
    const bytesBefore = raw.bytes().length;
    await fixture.pub.send(["flood.0.x", "still subscribed"]);
    await raw.waitForBytes(bytesBefore + 1, 10_000);
    await fixture.goodSubscriberReceives("after the flood");
    expect(uncaught.errors).toEqual([]);
  }, 60_000);

  test("subscriptions over maxSubscriptionBytes are dropped and not reported, earlier ones are kept", async () => {
    // Each topic costs its length plus 64: two 70-byte topics fit in 400, a third does not. What waits
    // for the app has its own 400: the two notifications (71 + 64 bytes each) and the marker fit.
    const fixture = await publisherWithGoodSubscriber(new XPublisher({ linger: 0, maxSubscriptionBytes: 400 }));
    expect(fixture.pub.maxSubscriptionBytes).toBe(400);
    const raw = await rawSubscriber(fixture.endpoint);
    const topics = [0, 1, 2, 3].map((i) => `topic-${i}`.padEnd(70, "."));
    for (const topic of topics) raw.write(subscribe(topic));
    raw.write(subscribe(topics[0]!)); // a duplicate of a held topic costs nothing and is not refused
    raw.write(cancel("marker"));
    const seen: string[] = [];
    await waitFor(
      () => {
        for (let message = fixture.pub.tryReceive(); message !== null; message = fixture.pub.tryReceive()) {
          seen.push(`${message[0]![0] === 1 ? "+" : "-"}${message[0]!.subarray(1).toString()}`);
        }
        return seen.includes("-marker");
      },
      { what: "the marker cancel" },
    );
    expect(seen).toEqual([...topics.slice(0, 2).map((t) => `+${t}`), "-marker"]);
    // Cancelling one frees room for the refused topic.
    raw.write(cancel(topics[1]!));
    raw.write(subscribe(topics[3]!));
    expect(await notificationsUntil(fixture.pub, notification(1, topics[3]!))).toBe(1);
    expect(() => (fixture.pub.maxSubscriptionBytes = -2)).toThrow();
    await fixture.goodSubscriberReceives("after");
  });

  test("a CANCEL for a topic never subscribed keeps the connection and is reported as libzmq does", async () => {
    const fixture = await publisherWithGoodSubscriber(new XPublisher({ linger: 0 }));
    const raw = await rawSubscriber(fixture.endpoint);
    raw.write(cancel("never subscribed"));
    raw.write(subscribe("afterwards"));
    expect(await notificationsUntil(fixture.pub, notification(1, "afterwards"))).toBe(1);
    expect(raw.closed).toBe(false);
    await fixture.goodSubscriberReceives("after");
    expect(fixture.log.count("disconnect")).toBe(0);
    expect(uncaught.errors).toEqual([]);
  });

  test("a SUBSCRIBE command inside a multipart message closes that connection with EPROTO", async () => {
    const fixture = await publisherWithGoodSubscriber(new Publisher({ linger: 0 }));
    const raw = await rawSubscriber(fixture.endpoint);
    raw.write(concat(frame("first part", { more: true }), subscribe("inside")));
    await raw.waitForClose();
    const disconnect = await fixture.log.waitFor("disconnect");
    expect(disconnect.error?.code).toBe("EPROTO");
    await fixture.goodSubscriberReceives("after");
    expect(uncaught.errors).toEqual([]);
  });
});
