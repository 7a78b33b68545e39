// The `swap` option on Request: a request no peer can take waits in the socket's queue (on disk
// past 256 KiB) and goes to whichever Reply comes first; the reply is taken from that peer.

import { expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Reply, Request } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY, endpointOf, rejection, strings, syncError, unusedEndpoint, withTimeout } from "./support.ts";

const cleanup = useCleanup();
const GiB = 1 << 30;

test("without a peer a Request's send waits; with swap it resolves at once and the first Reply to come answers", async () => {
  const plain = cleanup.track(new Request({ linger: 0, sendTimeout: 50 }));
  await plain.bind(TCP_ANY);
  await rejection(plain.send("waits"), "EAGAIN");

  const request = cleanup.track(new Request({ linger: 0, swap: GiB }));
  await request.bind(TCP_ANY);
  await withTimeout(request.send("hello"), 1000, "the send to resolve with no peer");
  expect(request.readable).toBe(false);
  const reply = cleanup.track(new Reply({ linger: 0 }));
  reply.connect(endpointOf(request));
  expect(strings(await withTimeout(reply.receive(), 5000, "the request"))).toEqual(["hello"]);
  await reply.send("world");
  expect(strings(await withTimeout(request.receive(), 5000, "the reply"))).toEqual(["world"]);
  // The next request goes straight to the peer.
  await request.send("again");
  expect(strings(await withTimeout(reply.receive(), 5000, "the second request"))).toEqual(["again"]);
});

test("an immediate Request whose peer is down resolves send with swap; the request goes once the Reply is up", async () => {
  const endpoint = await unusedEndpoint();
  const request = cleanup.track(new Request({ linger: 0, immediate: true, swap: GiB, reconnectInterval: 20 }));
  request.connect(endpoint);
  await withTimeout(request.send("queued"), 1000, "the send to resolve with the peer down");
  const reply = cleanup.track(new Reply({ linger: 0 }));
  await reply.bind(endpoint);
  expect(strings(await withTimeout(reply.receive(), 5000, "the request"))).toEqual(["queued"]);
  await reply.send("answer");
  expect(strings(await withTimeout(request.receive(), 5000, "the reply"))).toEqual(["answer"]);
});

test("a relaxed, correlating Request queues many requests (on disk), sends them in order, and takes the last one's reply", async () => {
  const request = cleanup.track(new Request({ linger: 0, swap: GiB, relaxed: true, correlate: true }));
  await request.bind(TCP_ANY);
  const padding = ".".repeat(1000);
  const count = 400;
  for (let i = 0; i < count; i++) await request.send(String(i) + padding);
  // 400 KiB of records: past one 256 KiB write batch, so some of them are on disk.
  expect(request.spilledBytes).toBeGreaterThan(256 * 1024);
  const reply = cleanup.track(new Reply({ linger: 0 }));
  reply.connect(endpointOf(request));
  for (let i = 0; i < count; i++) {
    const [body] = await withTimeout(reply.receive(), 5000, `request ${i}`);
    if (body!.toString() !== String(i) + padding) expect(body!.toString().slice(0, 10)).toBe(String(i));
    await reply.send(`answer ${i}`);
  }
  // Only the reply to the request sent last is the answer; the older ones are dropped (relaxed).
  expect(strings(await withTimeout(request.receive(), 5000, "the last reply"))).toEqual([`answer ${count - 1}`]);
  expect(request.spilledBytes).toBe(0);
});

test("a Request refuses a swapDirectory: a request recovered by a new socket would have nobody awaiting its reply", () => {
  const directory = mkdtempSync(join(tmpdir(), "bunzmq-swap-request-"));
  cleanup.add(() => rmSync(directory, { recursive: true, force: true }));
  const request = cleanup.track(new Request({ linger: 0 }));
  syncError(() => {
    request.swapDirectory = directory;
  }, "EINVAL");
  expect(request.swapDirectory).toBeNull();
});
