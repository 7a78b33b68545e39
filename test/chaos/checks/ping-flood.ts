// The PING flood of issue #14: a raw peer completes a NULL handshake as a DEALER, shrinks its
// receive buffer and writes PINGs without ever reading. The server must keep at most one PONG
// pending (as libzmq does), so its RSS stays flat, and a well-behaved DEALER on the same ROUTER must
// keep getting its replies; with the connections' engines on the application thread and in an I/O
// thread.

import { type Check, type CheckContext, megabytes, type Net } from "../harness/check.ts";
import { boundEndpoint, linkFigures, tallyFigures } from "../harness/figures.ts";
import type { TallySummary } from "../peers/sequence-tally.ts";

/**
 * "Flat" (the issue's bound): the highest RSS of the flood's second half is at most this above the
 * highest of its first half. Reading at full speed costs Bun's read buffers and the collector's
 * slack, some tens of MB whatever is read (docs/robustness.md §3), and the RSS then swings by 30 MB
 * and more as the collector runs, so the two halves' peaks are compared, not single samples: a queue
 * that grows with the flood shows as a second half far above the first.
 */
const FLAT_WITHIN_BYTES = 20 * 1024 * 1024;
/**
 * Growth over the RSS before the flood allowed at its peak: that cost, with room. This is what
 * catches one PONG queued per PING in a short flood: before #14 the ROUTER grew 446 MB (ioThreads 0)
 * and 357 MB (ioThreads 1) in 5 s, mostly in the first half, so its halves looked alike.
 */
const ALLOWED_PEAK_GROWTH_BYTES = 96 * 1024 * 1024;
/** The good peer's longest wait for a reply while the flood runs. */
const ALLOWED_GAP_MS = 2000;
const SAMPLE_EVERY_MS = 100;

interface FloodSetup {
  ioThreads: number;
  durationMs: number;
  /** The flooder's SO_RCVBUF: 4096 as in the reproduction, 0 for the OS default. */
  receiveBufferBytes: number;
}

async function floodOnce(context: CheckContext, { a, b }: Net, { ioThreads, durationMs, receiveBufferBytes }: FloodSetup): Promise<void> {
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
  const sampler = router.sampleRss(SAMPLE_EVERY_MS);
  const flooder = context.peer(a, "raw", { mode: "ping-flood", endpoint, durationMs, receiveBufferBytes }, "flooder");
  const flooded = await flooder.next("flooded", durationMs + 15_000);
  const samples = sampler.stop();
  const peak = router.status()!.peakRssBytes;
  dealer.send({ cmd: "report" });
  const during = await dealer.next("report", 5000);
  const receivedDuring = (during.tally as TallySummary).received - (before.tally as TallySummary).received;
  await dealer.next("progress", 10_000, (r) => Number(r.received) >= (during.tally as TallySummary).received + 50);
  dealer.send({ cmd: "stop", drainMs: 2000 });
  const done = await dealer.next("done", 5000);

  // The flood ended at most at its report, so it started no later than floodMs before that.
  const floodMs = Number(flooded.floodMs);
  const floodEnd = Number(flooded.at);
  const halfAt = floodEnd - floodMs / 2;
  const highest = (from: number, to: number) => Math.max(...samples.filter((s) => s.at >= from && s.at < to).map((s) => s.rssBytes));
  const [firstHalfPeak, secondHalfPeak] = [highest(floodEnd - floodMs, halfAt), highest(halfAt, floodEnd)];
  const drift = secondHalfPeak - firstHalfPeak;
  context.figure(
    `${label} PINGs sent`,
    `${Number(flooded.pingsSent).toLocaleString("en-US")} (${megabytes(Number(flooded.bytesSent))} MB in ${Math.round(floodMs)} ms)`,
  );
  context.figure(`${label} flooder dropped by the server`, Boolean(flooded.dropped));
  if (flooded.collected === true)
    context.figure(`${label} PONGs waiting for the flooder (kernel buffers included)`, `${flooded.pongs} (${flooded.repliesBytes} bytes)`);
  context.figure(
    `${label} ROUTER RSS before / highest in the flood's first half / second half`,
    `${[baseline, firstHalfPeak, secondHalfPeak].map(megabytes).join(" / ")}`,
    "MB",
  );
  context.figure(`${label} ROUTER RSS rise from the first half to the second`, megabytes(drift), "MB");
  context.require(
    drift <= FLAT_WITHIN_BYTES,
    `${label} the ROUTER's RSS peaked ${megabytes(drift)} MB higher in the flood's second half than in its first (flat means within ${megabytes(FLAT_WITHIN_BYTES)} MB)`,
  );
  context.require(
    peak - baseline <= ALLOWED_PEAK_GROWTH_BYTES,
    `${label} the ROUTER grew ${megabytes(peak - baseline)} MB at its peak (allowed ${megabytes(ALLOWED_PEAK_GROWTH_BYTES)} MB)`,
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
    // With a 4 KiB receive buffer the flooder's connection stalls after some seconds (ping-flood.ts,
    // "Stalls"), which would end a 30 s flood early; the full run keeps the OS default.
    const receiveBufferBytes = context.short ? 4096 : 0;
    const net = await context.net({ delayMs: 1 });
    context.figure(
      "set-up",
      `${durationMs / 1000} s of 25-byte PINGs (16-byte context) from a peer with ${receiveBufferBytes === 0 ? "the OS default" : "a 4 KiB"} receive buffer; a good DEALER sends a request every 10 ms`,
    );
    for (const ioThreads of [0, 1]) await floodOnce(context, net, { ioThreads, durationMs, receiveBufferBytes });
    await linkFigures(context, net.link);
  },
};
