// A bunzmq PUB that frames each message once for all its connections (wire/shared-encoding.ts)
// against libzmq 4.3 subscribers: every subscriber gets every message byte for byte, whatever its
// size (shared, too large to share, written from the sender's memory), over tcp and ipc at once,
// also when the kernel takes only part of what is shared; and a subscriber that frames its own
// (inproc) turns the sharing off without seeing any of it.

import { describe, expect, test } from "bun:test";
import type { LibzmqSocket } from "../../peers/libzmq/index.ts";
import { ZMQ } from "../../peers/libzmq/index.ts";
import { Publisher, Subscriber } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { anyEndpoint } from "../helpers/endpoint.ts";
import { awaitJoined, SYNC_TOPIC } from "../helpers/pubsub.ts";
import { waitFor } from "../helpers/wait.ts";

const cleanup = useCleanup();
const TEST_TIMEOUT = 20_000;

/** Frame sizes in each message: one-frame and multipart, both sides of the short/long header switch and the sharing limit. */
const SHAPES = [[0], [1], [64], [255], [256], [5, 100, 300], [8000], [9000], [20_000, 3]];

/** Message `n` of the test: its shape's frames, each filled with bytes that say which message and frame it is. */
function message(n: number): Buffer[] {
  return SHAPES[n % SHAPES.length]!.map((size, frame) => Buffer.alloc(size, (n * 7 + frame) & 0xff));
}

/** Every message the subscriber has received after the sync marker, until `count` arrived; bounded. */
async function collect(sub: { tryReceive(): Buffer[] | null }, count: number): Promise<Buffer[][]> {
  const got: Buffer[][] = [];
  await waitFor(
    () => {
      for (let m = sub.tryReceive(); m !== null; m = sub.tryReceive()) {
        if (!m[0]!.toString().startsWith(SYNC_TOPIC)) got.push(m);
      }
      return got.length >= count;
    },
    { what: `${count} published messages`, timeoutMs: 10_000 },
  );
  return got;
}

/** `count` libzmq SUBs subscribed to everything (RCVHWM `receiveHwm`), alternately on `pub`'s tcp endpoint and a new ipc one, each joined. */
async function libzmqSubscribers(pub: Publisher, tcp: string, count: number, receiveHwm = 1000): Promise<LibzmqSocket[]> {
  const context = cleanup.libzmq();
  await pub.bind(anyEndpoint("ipc"));
  const subs: LibzmqSocket[] = [];
  for (let i = 0; i < count; i++) {
    const sub = context.socket(ZMQ.SUB);
    sub.setInt(ZMQ.RCVHWM, receiveHwm);
    sub.setBytes(ZMQ.SUBSCRIBE, "");
    sub.connect(i % 2 === 0 ? tcp : pub.lastEndpoint!);
    subs.push(sub);
  }
  for (const sub of subs)
    await awaitJoined(
      () => pub.send(SYNC_TOPIC),
      () => sub.tryReceive(),
    );
  return subs;
}

/** A publisher bound on tcp whose pipes hold every message a test sends. */
async function tcpPublisher(): Promise<Publisher> {
  const pub = cleanup.track(new Publisher({ linger: 0, sendHighWaterMark: 10_000 }));
  await pub.bind(anyEndpoint("tcp"));
  return pub;
}

/** Publishes messages 0 … count-1 as `make` gives them, then checks every subscriber got them all, in order. */
async function publishToAll(pub: Publisher, subs: LibzmqSocket[], count: number, make: (n: number) => Buffer[]): Promise<void> {
  for (let n = 0; n < count; n++) await pub.send(make(n));
  const expected = [...Array(count)].map((_, n) => make(n));
  for (const sub of subs) expect(await collect(sub, count)).toEqual(expected);
}

describe("a bunzmq PUB framing once for libzmq subscribers", () => {
  test(
    "five libzmq SUBs over tcp and ipc each get all 300 messages, every frame byte for byte",
    async () => {
      const pub = await tcpPublisher();
      await publishToAll(pub, await libzmqSubscribers(pub, pub.lastEndpoint!, 5), 300, message);
    },
    TEST_TIMEOUT,
  );

  test(
    "subscribers that stop reading make the kernel refuse part of a shared run; what waits goes out whole later",
    async () => {
      const pub = await tcpPublisher();
      // libzmq's I/O thread stops reading a connection once 10 messages wait in its pipe.
      const subs = await libzmqSubscribers(pub, pub.lastEndpoint!, 4, 10);
      // 8 MB per subscriber, shared (8,009 bytes framed, under MAX_SHARED_BYTES), while nobody reads:
      // far more than the sockets buffer, so every connection's runs are cut by the kernel.
      await publishToAll(pub, subs, 1000, (n) => [Buffer.alloc(8000, n & 0xff)]);
    },
    TEST_TIMEOUT,
  );

  test(
    "with an inproc subscriber among them nothing is shared: it gets plain frame arrays, the others the same bytes",
    async () => {
      const pub = await tcpPublisher();
      const tcp = pub.lastEndpoint!;
      const inproc = anyEndpoint("inproc");
      await pub.bind(inproc);
      const local = cleanup.track(new Subscriber({ linger: 0, receiveHighWaterMark: 10_000 }));
      local.subscribe();
      local.connect(inproc);
      const subs = await libzmqSubscribers(pub, tcp, 4);
      await awaitJoined(
        () => pub.send(SYNC_TOPIC),
        () => local.tryReceive(),
      );
      await publishToAll(pub, subs, 50, message);
      const received = await collect(local, 50);
      expect(received).toEqual([...Array(50)].map((_, n) => message(n)));
      for (const m of received) expect(Object.keys(m)).toEqual(m.map((_, i) => String(i)));
    },
    TEST_TIMEOUT,
  );
});
