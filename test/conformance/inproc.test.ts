// inproc:// (zmtp-notes §6.1, §7.4): sockets of one Context joined by pipes, no bytes, no copies.

import { expect, test } from "bun:test";
import { Context, Dealer, Pair, Publisher, Pull, Push, Router, Subscriber, type ZmqError } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { waitFor, withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();
let counter = 0;
const name = () => `inproc://bunzmq-test-${process.pid}-${++counter}`;

function receive(socket: { receive(): Promise<Buffer[]> }): Promise<Buffer[]> {
  return withTimeout(socket.receive(), 5000, "an inproc message");
}

test("a frame over 128 bytes crosses inproc as the same memory; a smaller one is copied at send, as zeromq.js", async () => {
  const endpoint = name();
  const pull = cleanup.track(new Pull({ linger: 0 }));
  await pull.bind(endpoint);
  const push = cleanup.track(new Push({ linger: 0 }));
  push.connect(endpoint);
  const buffer = Buffer.alloc(129, "a Buffer over 128 bytes arrives as the same object ");
  const large = new Uint8Array(64 * 1024).fill(7);
  const small = new Uint8Array([1, 2, 3, 4]);
  const smallBuffer = Buffer.from("reusable at once");
  await push.send([buffer, large, small, smallBuffer, "last"]);
  // The caller may reuse a small buffer as soon as send() returns: what was sent is a copy.
  small.fill(0);
  smallBuffer.fill(0);
  const [first, second, third, fourth, fifth] = await receive(pull);
  expect(first).toBe(buffer);
  expect(Buffer.isBuffer(second)).toBe(true);
  expect(second!.buffer).toBe(large.buffer);
  expect(Buffer.isBuffer(third)).toBe(true);
  expect([...third!]).toEqual([1, 2, 3, 4]);
  expect(String(fourth)).toBe("reusable at once");
  expect(String(fifth)).toBe("last");
});

test("connect before bind works, and messages sent meanwhile are delivered", async () => {
  const endpoint = name();
  const push = cleanup.track(new Push({ linger: 0 }));
  push.connect(endpoint);
  await push.send("early");
  const pull = cleanup.track(new Pull({ linger: 0 }));
  await pull.bind(endpoint);
  expect((await receive(pull)).map(String)).toEqual(["early"]);
});

test("binding a name twice in one context is EADDRINUSE; another context has its own names", async () => {
  const endpoint = name();
  await cleanup.track(new Pull({ linger: 0 })).bind(endpoint);
  const error = await cleanup.track(new Pull({ linger: 0 })).bind(endpoint).then(() => null, (e: ZmqError) => e);
  expect(error?.code).toBe("EADDRINUSE");
  const other = new Context();
  await cleanup.track(new Pull({ linger: 0, context: other })).bind(endpoint);
});

test("an incompatible socket type is refused with ENOCOMPATPROTO", async () => {
  const endpoint = name();
  await cleanup.track(new Pull({ linger: 0 })).bind(endpoint);
  const pull = cleanup.track(new Pull({ linger: 0 }));
  expect(() => pull.connect(endpoint)).toThrow(expect.objectContaining({ code: "ENOCOMPATPROTO" }));
});

test("PAIR, DEALER to ROUTER and PUB to SUB work over inproc", async () => {
  const pairEndpoint = name();
  const a = cleanup.track(new Pair({ linger: 0 }));
  const b = cleanup.track(new Pair({ linger: 0 }));
  await a.bind(pairEndpoint);
  b.connect(pairEndpoint);
  await b.send("ping");
  expect((await receive(a)).map(String)).toEqual(["ping"]);

  const routerEndpoint = name();
  const router = cleanup.track(new Router({ linger: 0 }));
  await router.bind(routerEndpoint);
  const dealer = cleanup.track(new Dealer({ linger: 0, routingId: "d1" }));
  dealer.connect(routerEndpoint);
  await dealer.send("hello");
  expect((await receive(router)).map(String)).toEqual(["d1", "hello"]);
  await router.send(["d1", "back"]);
  expect((await receive(dealer)).map(String)).toEqual(["back"]);

  const pubEndpoint = name();
  const pub = cleanup.track(new Publisher({ linger: 0 }));
  await pub.bind(pubEndpoint);
  const sub = cleanup.track(new Subscriber({ linger: 0 }));
  sub.connect(pubEndpoint);
  sub.subscribe("news");
  let got: Buffer[] | null = null;
  await waitFor(() => {
    pub.trySend(["news", "x"]);
    got = sub.tryReceive();
    return got !== null;
  }, { what: "the subscription to reach the publisher" });
  expect(got!.map(String)).toEqual(["news", "x"]);
});

test("a closing sender with linger still delivers what it queued; the receiver then sees no more", async () => {
  const endpoint = name();
  const pull = cleanup.track(new Pull({ linger: 0 }));
  await pull.bind(endpoint);
  const push = new Push({ linger: -1 });
  push.connect(endpoint);
  for (let i = 0; i < 10; i++) push.trySend(`m${i}`);
  push.close();
  const seen: string[] = [];
  while (seen.length < 10) seen.push(String((await receive(pull))[0]));
  expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
  expect(pull.tryReceive()).toBeNull();
});
