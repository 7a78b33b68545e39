// The PING flood of issue #14: a raw peer completes a NULL handshake as a DEALER, shrinks its
// receive buffer and writes PINGs without ever reading. The server must keep at most one PONG
// pending (as libzmq does), so its RSS stays flat, and a well-behaved DEALER on the same ROUTER must
// keep getting its replies; with the connections' engines on the application thread and in an I/O
// thread.

import { type Check, type CheckContext, megabytes, type Net } from "../harness/check.ts";
import { boundEndpoint, linkFigures, tallyFigures } from "../harness/figures.ts";
import type { TallySummary } from "../peers/sequence-tally.ts";

/** The bound on the server's growth under the flood. */
const ALLOWED_GROWTH_BYTES = 20 * 1024 * 1024;
/** The good peer's longest wait for a reply while the flood runs. */
const ALLOWED_GAP_MS = 2000;

async function floodOnce(context: CheckContext, { a, b }: Net, ioThreads: number, durationMs: number): Promise<void> {
  const label = `ioThreads ${ioThreads}:`;
  const router = context.peer(b, "server", { socket: "router", bind: b.anyTcpEndpoint, ioThreads }, `ROUTER (ioThreads ${ioThreads})`);
  const endpoint = await boundEndpoint(router);
  const dealer = context.peer(
    a,
    "client",
    { socket: "dealer", connect: endpoint, size: 64, intervalMs: 10, progressEvery: 50 },
    "good DEALER",
  );
  await dealer.next("progress", 10_000, (r) => Number(r.received) >= 50);
  const baseline = router.status()!.rssBytes;
  router.resetPeak();
  dealer.send({ cmd: "report" });
  const before = await dealer.next("report", 5000);
  const flooder = context.peer(a, "raw", { mode: "ping-flood", endpoint, durationMs }, "flooder");
  const flooded = await flooder.next("flooded", durationMs + 15_000);
  const after = router.status()!;
  dealer.send({ cmd: "report" });
  const during = await dealer.next("report", 5000);
  const receivedDuring = (during.tally as TallySummary).received - (before.tally as TallySummary).received;
  await dealer.next("progress", 10_000, (r) => Number(r.received) >= (during.tally as TallySummary).received + 50);
  dealer.send({ cmd: "stop", drainMs: 2000 });
  const done = await dealer.next("done", 5000);

  const growth = after.peakRssBytes - baseline;
  context.figure(
    `${label} PINGs sent`,
    `${Number(flooded.pingsSent).toLocaleString("en-US")} (${megabytes(Number(flooded.bytesSent))} MB in ${Math.round(Number(flooded.floodMs))} ms)`,
  );
  context.figure(`${label} flooder dropped by the server`, Boolean(flooded.dropped));
  context.figure(
    `${label} ROUTER RSS before / peak / after`,
    `${megabytes(baseline)} / ${megabytes(after.peakRssBytes)} / ${megabytes(after.rssBytes)}`,
    "MB",
  );
  context.figure(`${label} ROUTER growth`, megabytes(growth), "MB");
  context.require(
    growth <= ALLOWED_GROWTH_BYTES,
    `${label} the ROUTER grew ${megabytes(growth)} MB under the flood (allowed ${megabytes(ALLOWED_GROWTH_BYTES)} MB)`,
  );
  context.figure(`${label} good DEALER replies during the flood`, receivedDuring);
  context.figure(`${label} good DEALER longest wait for a reply`, Math.round(Number(done.longestGapMs)), "ms");
  context.require(receivedDuring > 0, `${label} the good DEALER got no reply during the flood`);
  context.require(
    Number(done.longestGapMs) <= ALLOWED_GAP_MS,
    `${label} the good DEALER waited ${Math.round(Number(done.longestGapMs))} ms for a reply (allowed ${ALLOWED_GAP_MS})`,
  );
  tallyFigures(context, `${label} good DEALER replies`, done.tally as TallySummary, { complete: Number(done.sent) });
  await Promise.all([router.kill(), dealer.kill(), flooder.kill()]);
}

export const pingFloodCheck: Check = {
  name: "ping-flood",
  title:
    "a peer that sends PINGs and never reads: the ROUTER's RSS stays flat and a good DEALER carries on, with and without an I/O thread",
  needsLink: false,
  short: true,
  boundSeconds: { full: 120, short: 35 },
  async run(context) {
    const durationMs = context.short ? 5000 : 30_000;
    const net = await context.net({ delayMs: 1 });
    context.figure(
      "set-up",
      `${durationMs / 1000} s of 25-byte PINGs (16-byte context) from a peer with a 4 KiB receive buffer; a good DEALER sends a request every 10 ms`,
    );
    for (const ioThreads of [0, 1]) await floodOnce(context, net, ioThreads, durationMs);
    await linkFigures(context, net.link);
  },
};
