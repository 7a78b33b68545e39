// What the epgm:// and pgm:// interop tests share: the impaired link's two network namespaces
// (test/chaos/net/README.md), opened once per file with multicast on side a's loopback, whether
// they can run here (skipped with the reason, or failing under CI=true), a fresh group and port per
// test, the peers of epgm-peer-fixture.ts, and a run that lets the publisher go once every
// subscriber hears it.

import { afterAll, beforeAll, test } from "bun:test";
import { JsonChild, type Report } from "../chaos/harness/json-child.ts";
import { Link, linkUnavailableReason } from "../chaos/net/link.ts";
import type { NetSide } from "../chaos/net/net-side.ts";

export const FIXTURE = new URL("./epgm-peer-fixture.ts", import.meta.url).pathname;

/**
 * 20 Mbit/s: 64 KiB messages take milliseconds (the default 100 kbit/s would take seconds). The
 * subscribers get it too: it sizes a libzmq receiver's window (epgm-peer-fixture.ts).
 */
export const RATE = 20_000;

/** What each subscriber reports when it received all of `everyoneHears`'s 60 messages, whole and in order. */
export const EVERYTHING = { received: 60, unique: 60, first: 0, last: 59, inOrder: true, bad: 0 };

/** What a subscriber of epgm-peer-fixture.ts reports at the end. */
export interface Done extends Report {
  received: number;
  unique: number;
  first: number;
  last: number;
  inOrder: boolean;
  bad: number;
}

export interface PgmSuite {
  /** Whether the namespaces can be made here (always true under CI=true, which must fail instead). */
  runs: boolean;
  /** `test`, or `test.skip` where the namespaces cannot be made. */
  linkTest: typeof test;
  /** The link, opened before the file's first test. */
  link(): Link;
  /** A fresh `group:port`, so no test hears another's traffic. */
  group(): string;
  /** A fresh group and port on `side`'s address, or on loopback without `side`. */
  endpoint(side?: NetSide): string;
  /** A peer of the fixture on `side`. */
  start(side: NetSide, ...args: string[]): JsonChild;
  /**
   * One publisher and its subscribers on a fresh group on side a's loopback: 60 messages of 0 B to
   * 64 KiB, multipart included; each subscriber's report.
   */
  everyoneHears(pubImpl: string, subImpls: string[]): Promise<Done[]>;
  /**
   * A publisher of `count` messages on side a's loopback, one subscriber there from the start and a
   * second that joins once the stream is under way; both subscribers' reports.
   */
  lateJoiner(pubImpl: string, subImpl: string, count: number): Promise<{ early: Done; late: Done }>;
}

/** Sets up a test file over `scheme`; `groupByte` keeps the two files' groups apart. */
export async function pgmSuite(scheme: "epgm" | "pgm", groupByte: number): Promise<PgmSuite> {
  const unavailable = await linkUnavailableReason();
  const runs = unavailable === null || process.env.CI === "true";
  if (!runs) console.log(`skipping the ${scheme}:// interop tests: ${unavailable}`);
  let link: Link | undefined;
  let nextPort = 5600 + Math.floor(Math.random() * 1000);
  beforeAll(async () => {
    if (!runs) return;
    link = await Link.open();
    // libzmq's PGM sockets turn multicast loop off, so publishers and subscribers on one host meet
    // only on loopback, where the device itself loops the group's traffic back.
    await link.a.run(["ip", "link", "set", "lo", "multicast", "on"]);
  });
  afterAll(async () => {
    await link?.close();
  });
  const start = (side: NetSide, ...args: string[]) =>
    new JsonChild(`${args[0]} ${args[1]} on side ${side.name}`, side.spawnBun(FIXTURE, args));
  const group = () => {
    const port = nextPort++;
    return `239.192.${groupByte}.${port % 250}:${port}`;
  };
  return {
    runs,
    linkTest: runs ? test : test.skip,
    link: () => link!,
    group,
    endpoint: (side) => `${scheme}://${side?.address ?? "127.0.0.1"};${group()}`,
    start,
    everyoneHears(pubImpl, subImpls) {
      const at = `${scheme}://127.0.0.1;${group()}`;
      const pub = start(link!.a, "pub", pubImpl, at, "60", String(RATE), "10000", "0");
      return runPeers(
        pub,
        subImpls.map((impl) => start(link!.a, "sub", impl, at, "60", String(RATE))),
      );
    },
    async lateJoiner(pubImpl, subImpl, count) {
      const at = `${scheme}://127.0.0.1;${group()}`;
      const pub = start(link!.a, "pub", pubImpl, at, String(count), String(RATE), "10000", "2");
      const early = start(link!.a, "sub", subImpl, at, String(count), String(RATE));
      await early.next("ready", 10_000);
      pub.process.stdin!.write("go\n");
      await pub.next("progress", 10_000);
      const late = start(link!.a, "sub", subImpl, at, String(count), String(RATE));
      const [lateDone, earlyDone] = await Promise.all([late.next("done", 20_000), early.next("done", 20_000)]);
      return { early: earlyDone as Done, late: lateDone as Done };
    },
  };
}

/** Waits until every subscriber hears the publisher's probes, then lets it send; each subscriber's report. */
export async function runPeers(pub: JsonChild, subs: JsonChild[], timeoutMs = 20_000): Promise<Done[]> {
  await Promise.all(subs.map((sub) => sub.next("ready", 10_000)));
  pub.process.stdin!.write("go\n");
  return Promise.all(subs.map((sub) => sub.next("done", timeoutMs) as Promise<Done>));
}
