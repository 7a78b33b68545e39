// The `swap` option: messages beyond the high-water mark go to disk and come back in order; per
// socket before routing for Push and Dealer, per peer for Publisher, XPublisher and Router.

import { expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Dealer, Publisher, Pull, Push, Router, Subscriber, type ZmqError } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { EventLog } from "../helpers/events.ts";
import { TCP_ANY, endpointOf, unusedEndpoint, strings, syncError, waitFor, withTimeout } from "./support.ts";

const cleanup = useCleanup();
const GiB = 1 << 30;

function swapDirectories(): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith("bunzmq-swap-"));
}

test("a connecting Push with no peer yet takes every send at once and delivers them all, in order, when the peer comes", async () => {
  const pull = cleanup.track(new Pull({ linger: 0, receiveHighWaterMark: 50 }));
  await pull.bind(TCP_ANY);
  const push = cleanup.track(new Push({ linger: 0, sendHighWaterMark: 50, swap: GiB }));
  const events = new EventLog(push);
  const count = 50_000;
  for (let i = 0; i < count; i++) expect(push.trySend(["m", String(i)])).toBe(true);
  expect(push.spilledBytes).toBeGreaterThan(0);
  push.connect(endpointOf(pull));
  for (let i = 0; i < count; i++) {
    const message = strings(await withTimeout(pull.receive(), 5000, `message ${i}`));
    if (message[1] !== String(i)) expect(message).toEqual(["m", String(i)]);
  }
  expect(events.types()).toContain("spill:start");
  await events.waitFor("spill:stop");
  expect(push.spilledBytes).toBe(0);
});

test("multipart messages stay whole and in order across the memory/disk boundary", async () => {
  const pull = cleanup.track(new Pull({ linger: 0, receiveHighWaterMark: 10 }));
  await pull.bind(TCP_ANY);
  const push = cleanup.track(new Push({ linger: 0, sendHighWaterMark: 10, swap: GiB }));
  push.connect(endpointOf(pull));
  const sizes = [0, 1, 7, 3000, 70_000];
  const count = 2000;
  for (let i = 0; i < count; i++) {
    const frames = Array.from({ length: 1 + (i % 4) }, (_, f) => String(i).padEnd(sizes[(i + f) % sizes.length]!, "."));
    await push.send(frames);
  }
  for (let i = 0; i < count; i++) {
    const message = strings(await withTimeout(pull.receive(), 5000, `message ${i}`));
    expect(message.length).toBe(1 + (i % 4));
    for (let f = 0; f < message.length; f++) expect(message[f]!.length).toBe(Math.max(String(i).length, sizes[(i + f) % sizes.length]!));
    expect(message[0]!.startsWith(String(i))).toBe(true);
  }
});

test("past swap bytes the high-water mark applies again: send waits", async () => {
  const push = cleanup.track(new Push({ linger: 0, sendHighWaterMark: 1, swap: 64 * 1024 }));
  push.connect(await unusedEndpoint());
  let accepted = 0;
  while (push.trySend("x".repeat(1000))) accepted++;
  expect(accepted).toBeGreaterThan(50);
  expect(accepted).toBeLessThan(80);
  expect(push.writable).toBe(false);
});

test("a Dealer spills per socket: spilled requests go to whichever Router comes", async () => {
  const dealer = cleanup.track(new Dealer({ linger: 0, sendHighWaterMark: 5, swap: GiB }));
  const router = cleanup.track(new Router({ linger: 0 }));
  await router.bind(TCP_ANY);
  for (let i = 0; i < 3000; i++) await dealer.send(String(i));
  dealer.connect(endpointOf(router));
  for (let i = 0; i < 3000; i++) {
    const [, body] = await withTimeout(router.receive(), 5000, `request ${i}`);
    expect(body!.toString()).toBe(String(i));
  }
});

test("a Publisher spills per subscriber: a subscriber that falls behind loses nothing", async () => {
  const pub = cleanup.track(new Publisher({ linger: 0, sendHighWaterMark: 20, swap: GiB }));
  await pub.bind(TCP_ANY);
  const events = new EventLog(pub);
  const slow = cleanup.track(new Subscriber({ linger: 0, receiveHighWaterMark: 20 }));
  slow.subscribe();
  slow.connect(endpointOf(pub));
  await waitFor(
    async () => {
      await pub.send("probe");
      return slow.tryReceive() !== null;
    },
    { what: "the subscription to reach the publisher", timeoutMs: 5000 },
  );
  while (slow.tryReceive() !== null);
  // 20 MB: more than the kernel's socket buffers and an I/O thread's rings hold, so the pipe fills.
  const count = 20_000;
  const padding = ".".repeat(1000);
  for (let i = 0; i < count; i++) await pub.send(String(i) + padding);
  await events.waitFor("spill:start");
  let next = 0;
  while (next < count) {
    const [frame] = await withTimeout(slow.receive(), 5000, `message ${next}`);
    const text = frame!.toString();
    if (text === "probe") continue;
    expect(text).toBe(String(next++) + padding);
  }
  expect(events.events.find((e) => e.type === "spill:start")!.address).toMatch(/^tcp:\/\//);
});

test("a Router spills per routing id", async () => {
  const router = cleanup.track(new Router({ linger: 0, sendHighWaterMark: 5, swap: GiB, mandatory: true }));
  await router.bind(TCP_ANY);
  const dealer = cleanup.track(new Dealer({ linger: 0, routingId: "d1", receiveHighWaterMark: 5 }));
  dealer.connect(endpointOf(router));
  await dealer.send("hello");
  await withTimeout(router.receive(), 5000, "hello");
  for (let i = 0; i < 5000; i++) expect(router.trySend(["d1", String(i)])).toBe(true);
  for (let i = 0; i < 5000; i++) expect((await withTimeout(dealer.receive(), 5000, `reply ${i}`))[0]!.toString()).toBe(String(i));
});

test("swap's files live in a private temporary directory removed on close", async () => {
  const before = new Set(swapDirectories());
  const push = new Push({ linger: 0, sendHighWaterMark: 1, swap: GiB });
  try {
    push.connect(await unusedEndpoint());
    for (let i = 0; i < 1000; i++) push.trySend("z".repeat(1000));
    const made = swapDirectories().filter((name) => !before.has(name));
    expect(made.length).toBe(1);
    expect(readdirSync(join(tmpdir(), made[0]!)).length).toBeGreaterThan(0);
    push.close();
    expect(existsSync(join(tmpdir(), made[0]!))).toBe(false);
  } finally {
    push.close();
  }
});

test("the options are checked at once: a negative swap, a missing directory, a directory on a per-peer type", () => {
  const push = cleanup.track(new Push({ linger: 0 }));
  expect(push.swap).toBe(0);
  expect(push.swapDirectory).toBeNull();
  expect(push.spilledBytes).toBe(0);
  syncError(() => (push.swap = -1), "EINVAL");
  const missing = syncError(() => (push.swapDirectory = "/nonexistent/bunzmq-swap"), "ENOENT") as ZmqError;
  expect(missing.message).toBe("No such file or directory");
  expect(missing.detail).toContain("/nonexistent/bunzmq-swap");
  const pub = cleanup.track(new Publisher({ linger: 0 }));
  const directory = mkdtempSync(join(tmpdir(), "bunzmq-swap-option-"));
  cleanup.add(() => rmSync(directory, { recursive: true, force: true }));
  syncError(() => (pub.swapDirectory = directory), "EINVAL");
  push.swapDirectory = directory;
  expect(push.swapDirectory).toBe(directory);
  expect(() => {
    (pub as unknown as { spilledBytes: number }).spilledBytes = 1;
  }).toThrow(TypeError);
});
