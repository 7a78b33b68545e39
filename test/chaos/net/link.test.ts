// The impaired link itself: what crosses it, what its impairments do to real traffic, and that
// close() leaves nothing behind. Needs network namespaces and /dev/net/tun: skipped with the reason
// where they are missing, failing instead under CI=true.

import { expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { useCleanup } from "../../helpers/cleanup.ts";
import { waitFor } from "../../helpers/wait.ts";
import { JsonChild } from "../harness/json-child.ts";
import { Link, type LinkOptions, linkUnavailableReason } from "./link.ts";
import type { NetSide } from "./net-side.ts";

const PROBE = new URL("./probe.ts", import.meta.url).pathname;
const GROUP = "239.77.0.9";

const unavailable = await linkUnavailableReason();
const runs = unavailable === null || process.env.CI === "true";
if (!runs) console.log(`skipping the impaired-link tests: ${unavailable}`);
const linkTest = runs ? test : test.skip;

const cleanup = useCleanup();

async function openLink(options: LinkOptions = {}): Promise<Link> {
  const link = await Link.open(options);
  cleanup.add(() => link.close());
  return link;
}

/** A JSON-reporting probe on `side`. */
function probe(side: NetSide, ...args: string[]): JsonChild {
  return new JsonChild(`probe ${args[0]} on side ${side.name}`, side.spawnBun(PROBE, args));
}

/** Starts a TCP echo server on side b; returns its port. */
async function echoServer(link: Link): Promise<number> {
  const { port } = await probe(link.b, "tcp-echo", link.b.address).next("listening", 5000);
  return Number(port);
}

async function roundTrip(link: Link, port: number, bytes: number, timeoutMs = 20_000) {
  const client = probe(link.a, "tcp-roundtrip", link.b.address, String(port), String(bytes));
  const report = await client.next("result", timeoutMs);
  return report as unknown as { connectMs: number; roundTripMs: number; intact: boolean; doneAt: number };
}

linkTest(
  "a TCP stream crosses the link intact, and the forwarder counts its packets both ways",
  async () => {
    const link = await openLink();
    const port = await echoServer(link);
    expect((await roundTrip(link, port, 1_000_000)).intact).toBe(true);
    const stats = await link.stats();
    expect(stats["a-to-b"].packets).toBeGreaterThan(500);
    expect(stats["b-to-a"].packets).toBeGreaterThan(500);
    expect(stats["a-to-b"].lost + stats["b-to-a"].lost).toBe(0);
  },
  30_000,
);

linkTest(
  "a 40 ms delay makes the connect and the round trip each take at least 80 ms",
  async () => {
    const link = await openLink({ impairment: { delayMs: 40 } });
    const port = await echoServer(link);
    const result = await roundTrip(link, port, 100);
    expect(result.connectMs).toBeGreaterThanOrEqual(79);
    expect(result.roundTripMs).toBeGreaterThanOrEqual(79);
    expect(result.connectMs).toBeLessThan(2000);
  },
  30_000,
);

linkTest(
  "5 % loss with jitter and reordering: about 5 % of packets go, and TCP repairs the stream",
  async () => {
    const link = await openLink({ impairment: { lossPercent: 5, delayMs: 5, jitterMs: 3, reorderPercent: 5 } });
    const port = await echoServer(link);
    expect((await roundTrip(link, port, 2_000_000, 60_000)).intact).toBe(true);
    const { "a-to-b": ab, "b-to-a": ba } = await link.stats();
    const lostShare = (ab.lost + ba.lost) / (ab.packets + ba.packets);
    expect(lostShare).toBeGreaterThan(0.03);
    expect(lostShare).toBeLessThan(0.07);
    expect(ab.reordered + ba.reordered).toBeGreaterThan(0);
  },
  90_000,
);

linkTest(
  "a partition drops everything, what waits out its delay included, and traffic resumes once healed",
  async () => {
    const link = await openLink({ impairment: { delayMs: 100 } });
    const port = await echoServer(link);
    const client = probe(link.a, "tcp-lines", link.b.address, String(port));
    await client.next("connected", 10_000);
    client.send({ line: "on the wire" });
    await waitFor(async () => (await link.stats()).waiting > 0, {
      what: "the line to wait out its delay in the forwarder",
      timeoutMs: 5000,
    });
    const { stats } = await link.partition("both");
    expect(stats["a-to-b"].partitioned).toBeGreaterThan(0);
    expect(stats.waiting).toBe(0);
    client.send({ line: "into the cut" });
    await client.next("sent", 5000, (r) => String(r.text).includes("into the cut"));
    await waitFor(async () => (await link.stats())["a-to-b"].partitioned > stats["a-to-b"].partitioned, {
      what: "the second line to be dropped",
      timeoutMs: 5000,
    });
    const { at: healedAt } = await link.heal();
    const first = await client.next("echo", 15_000);
    const second = await client.next("echo", 15_000);
    expect([first.text, second.text]).toEqual(['{"line":"on the wire"}', '{"line":"into the cut"}']);
    expect(Number(first.at)).toBeGreaterThan(healedAt); // TCP resent both once the link was back
  },
  30_000,
);

linkTest(
  "a timed partition heals by itself after its duration, and says when",
  async () => {
    const link = await openLink();
    const { at, healed } = await link.partition("both", 400);
    const healedAt = await healed;
    expect(healedAt - at).toBeGreaterThanOrEqual(399);
    expect(healedAt - at).toBeLessThan(5000);
  },
  30_000,
);

linkTest(
  "multicast crosses the link; a one-way partition cuts only its own direction",
  async () => {
    const link = await openLink();
    const receiver = probe(link.a, "udp-join", GROUP, link.a.address);
    const { port } = await receiver.next("joined", 5000);
    await link.partition("a-to-b");
    const sender = link.b.spawnBun(PROBE, ["udp-send", GROUP, String(port), "20"]);
    expect(await sender.exited).toBe(0);
    const first = await receiver.next("datagram", 5000);
    expect(first.from).toBe(link.b.address);
    await link.heal();
    const stats = await link.stats();
    expect(stats["b-to-a"].delivered).toBeGreaterThanOrEqual(20);
    expect(stats["b-to-a"].partitioned).toBe(0);
  },
  30_000,
);

linkTest(
  "close() kills what runs in the namespaces and stops the forwarder; the namespaces go with them",
  async () => {
    const link = await Link.open();
    const child = link.b.spawnBun(PROBE, ["tcp-echo", link.b.address]);
    const namespaces = [link.a, link.b].map((side) => side.prefix[1]!.slice("--net=".length));
    expect(namespaces.every((path) => existsSync(path))).toBe(true);
    await link.close();
    expect(child.signalCode).toBe("SIGKILL");
    expect(namespaces.some((path) => existsSync(path))).toBe(false);
    await expect(link.stats()).rejects.toThrow("after close()");
  },
  30_000,
);
