// Raw pgm:// (IP protocol 113) between bunzmq and libzmq 4.3.4 (Debian's, built with OpenPGM), on
// loopback in one of the impaired link's namespaces (test/chaos/net/README.md), with the peers of
// epgm.test.ts: publishers and subscribers of both kinds on one group and port, multipart messages
// of 0 B to 64 KiB (spanning APDUs), a late joiner, repair across the impaired link (5 % loss, delay,
// reordering) between the two namespaces; and a process without CAP_NET_RAW, which gets EPERM. Needs namespaces, /dev/net/tun and root (this suite makes raw sockets): skipped with the
// reason where they are missing, failing instead under CI=true.

import { expect, test } from "bun:test";
import { JsonChild } from "../chaos/harness/json-child.ts";
import { withTimeout } from "../helpers/wait.ts";
import { EVERYTHING, FIXTURE, RATE, pgmSuite, runPeers } from "./pgm-suite.ts";

const suite = await pgmSuite("pgm", 8);
const { runs, linkTest } = suite;
const SETPRIV = Bun.which("setpriv");
const capsRun = runs && (SETPRIV !== null || process.env.CI === "true");
if (runs && !capsRun) console.log("skipping the pgm:// EPERM test: no setpriv(1) here to drop CAP_NET_RAW");

/** A fresh group and port on loopback. */
const endpoint = () => suite.endpoint();

linkTest(
  "bunzmq PUB to a libzmq SUB and a bunzmq SUB over pgm://: every message of 0 B to 64 KiB, whole and in order",
  async () => {
    for (const done of await suite.everyoneHears("bunzmq", ["libzmq", "bunzmq"])) expect(done).toMatchObject(EVERYTHING);
  },
  30_000,
);

linkTest(
  "libzmq PUB to two bunzmq SUBs and a libzmq SUB over pgm://: all receive everything",
  async () => {
    for (const done of await suite.everyoneHears("libzmq", ["bunzmq", "bunzmq", "libzmq"])) expect(done).toMatchObject(EVERYTHING);
  },
  30_000,
);

linkTest(
  "a late joiner over pgm:// starts at a message boundary and then gets every message (each way)",
  async () => {
    for (const [pubImpl, subImpl] of [
      ["bunzmq", "libzmq"],
      ["libzmq", "bunzmq"],
    ] as const) {
      const { early, late } = await suite.lateJoiner(pubImpl, subImpl, 300);
      expect(early).toMatchObject({ received: 300, inOrder: true, bad: 0 });
      expect(late.first).toBeGreaterThan(0);
      expect(late).toMatchObject({ last: 299, inOrder: true, bad: 0, received: 300 - late.first });
    }
  },
  60_000,
);

linkTest(
  "across 5 % loss, delay and reordering, NAK and RDATA over pgm:// repair every message, once and in order",
  async () => {
    await suite.link().impair({ lossPercent: 5, delayMs: 5, jitterMs: 3, reorderPercent: 5 });
    try {
      for (const [pubImpl, subImpl] of [
        ["bunzmq", "bunzmq"],
        ["libzmq", "bunzmq"],
      ] as const) {
        const group = suite.group();
        const pub = new JsonChild(
          `pub ${pubImpl}`,
          suite.link().a.spawnBun(FIXTURE, ["pub", pubImpl, `pgm://${suite.link().a.address};${group}`, "500", String(RATE), "10000", "1"]),
        );
        const sub = new JsonChild(
          `sub ${subImpl}`,
          suite.link().b.spawnBun(FIXTURE, ["sub", subImpl, `pgm://${suite.link().b.address};${group}`, "500", String(RATE)]),
        );
        const started = performance.now();
        const [done] = await runPeers(pub, [sub]);
        console.log(
          `${pubImpl} -> ${subImpl} over pgm:// across the impaired link: 500 messages in ${Math.round(performance.now() - started)} ms`,
        );
        expect(done).toMatchObject({ received: 500, unique: 500, first: 0, last: 499, inOrder: true, bad: 0 });
      }
    } finally {
      await suite.link().impair({ lossPercent: 0, delayMs: 0, jitterMs: 0, reorderPercent: 0 });
    }
  },
  90_000,
);

linkTest(
  "a process that closes its pgm:// socket exits on its own: nothing keeps the raw socket's reader alive",
  async () => {
    const child = new JsonChild("open and close", suite.link().a.spawnBun(FIXTURE, ["open", "bunzmq", endpoint(), "0"]));
    await child.next("opened", 10_000);
    const exited = await withTimeout(child.process.exited, 5000, "the process to exit after close()");
    expect(exited).toBe(0);
  },
  20_000,
);

(capsRun ? test : test.skip)(
  "a process without CAP_NET_RAW gets EPERM from connect(), with a detail naming the fix",
  async () => {
    expect(SETPRIV).not.toBeNull();
    const child = new JsonChild(
      "open without CAP_NET_RAW",
      suite
        .link()
        .a.spawn([SETPRIV!, "--inh-caps=-all", "--bounding-set=-net_raw", process.execPath, FIXTURE, "open", "bunzmq", endpoint(), "0"]),
    );
    const refused = await child.next("refused", 10_000);
    expect(refused.code).toBe("EPERM");
    expect(refused.detail).toContain("CAP_NET_RAW");
    expect(refused.detail).toContain("epgm://");
  },
  20_000,
);
