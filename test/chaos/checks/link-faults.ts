// The checks that need the impaired link: loss, delay and reordering that TCP repairs, and a
// partition that heartbeats must detect and reconnection must heal. Imports the harness.

import { type Check, msBetween } from "../harness/check.ts";
import { boundEndpoint, linkFigures, peakRss, tallyFigures } from "../harness/figures.ts";
import type { Report } from "../harness/json-child.ts";
import type { TallySummary } from "../peers/sequence-tally.ts";

// Loss, delay and reordering: TCP repairs them, so a DEALER/ROUTER and a PUSH/PULL stream across the
// link must each arrive whole, once and in order, however slowly. Both streams run at once.
const IMPAIRMENT = { lossPercent: 5, delayMs: 20, jitterMs: 10, reorderPercent: 10, reorderHoldMs: 15 };
const PAYLOAD_BYTES = 200;
/** Requests the DEALER keeps unanswered: enough to fill the lossy path between retransmissions. */
const WINDOW = 256;

export const lossCheck: Check = {
  name: "loss",
  title: "5 % loss, 20 ± 10 ms delay, 10 % reordered: DEALER/ROUTER and PUSH/PULL streams arrive whole, once, in order",
  needsLink: true,
  short: true,
  boundSeconds: { full: 180, short: 30 },
  async run(context) {
    const count = context.short ? 2000 : 20_000;
    const waitMs = (context.short ? 30 : 180) * 1000;
    const { a, b, link } = await context.net(IMPAIRMENT);
    context.figure("impairment", "5 % loss each way, 20 ± 10 ms one-way delay, 10 % held back 15 ms more");
    const router = context.peer(b, "server", { socket: "router", bind: b.anyTcpEndpoint }, "ROUTER");
    const pull = context.peer(b, "server", { socket: "pull", bind: b.anyTcpEndpoint, expect: count }, "PULL");
    const [routerEndpoint, pullEndpoint] = await Promise.all([boundEndpoint(router), boundEndpoint(pull)]);
    const dealer = context.peer(
      a,
      "client",
      { socket: "dealer", connect: routerEndpoint, size: PAYLOAD_BYTES, count, window: WINDOW },
      "DEALER",
    );
    const push = context.peer(a, "client", { socket: "push", connect: pullEndpoint, size: PAYLOAD_BYTES, count }, "PUSH");
    context.log(`${count} requests (at most ${WINDOW} unanswered) and ${count} pushed messages of ${PAYLOAD_BYTES} B`);

    const [dealerDone, pullDone] = await Promise.all([dealer.next("done", waitMs), pull.next("complete", waitMs)]);
    const pushStarted = await push.next("started", 1000);
    const dealerSeconds = Number(dealerDone.elapsedMs) / 1000;
    tallyFigures(context, "DEALER replies", dealerDone.tally as TallySummary, { complete: count });
    context.figure("DEALER/ROUTER time", Math.round(dealerSeconds * 10) / 10, "s");
    context.figure("DEALER/ROUTER rate", Math.round(count / dealerSeconds), "requests/s");
    tallyFigures(context, "PULL", pullDone.tally as TallySummary, { complete: count });
    context.figure("PUSH/PULL time", Math.round((Number(pullDone.at) - Number(pushStarted.at)) / 100) / 10, "s");
    await linkFigures(context, link);
    for (const child of [dealer, router, push, pull]) peakRss(context, child);
  },
};

// A partition: the link drops everything for a while, then heals by itself. Heartbeats must detect
// the silence on both sides within about heartbeatTimeout, the DEALER must redial until the link is
// back, and requests must flow again after healing. What was on the wire when the link broke is lost
// (ZeroMQ does not resend); nothing may arrive twice or out of order.
const HEARTBEAT = { heartbeatInterval: 250, heartbeatTimeout: 1000 };
/** Each dial gives up after this long, so a SYN lost in the partition does not wait out the kernel's retries. */
const CONNECT_TIMEOUT_MS = 500;
const INTERVAL_MS = 10;

export const partitionCheck: Check = {
  name: "partition",
  title: "a partition is detected by heartbeats on both sides, redialled, and requests flow again after healing",
  needsLink: true,
  short: true,
  boundSeconds: { full: 40, short: 25 },
  async run(context) {
    const partitionMs = context.short ? 2000 : 10_000;
    const { a, b, link } = await context.net({ delayMs: 5 });
    context.figure(
      "set-up",
      `heartbeat every ${HEARTBEAT.heartbeatInterval} ms, time-out ${HEARTBEAT.heartbeatTimeout} ms, connectTimeout ${CONNECT_TIMEOUT_MS} ms, one request every ${INTERVAL_MS} ms, 5 ms delay`,
    );
    const router = context.peer(b, "server", { socket: "router", bind: b.anyTcpEndpoint, options: HEARTBEAT, monitor: true }, "ROUTER");
    const endpoint = await boundEndpoint(router);
    const dealer = context.peer(
      a,
      "client",
      {
        socket: "dealer",
        connect: endpoint,
        size: 64,
        intervalMs: INTERVAL_MS,
        gapMs: 300,
        progressEvery: 50,
        monitor: true,
        options: { ...HEARTBEAT, connectTimeout: CONNECT_TIMEOUT_MS },
      },
      "DEALER",
    );
    await dealer.next("progress", 10_000, (r) => Number(r.received) >= 50);

    const { at: cutAt, healed } = await link!.partition("both", partitionMs);
    context.log(`partitioned for ${partitionMs} ms`);
    const disconnected = (r: Report) => r.type === "disconnect" && Number(r.at) >= cutAt;
    const [dealerLost, routerLost] = await Promise.all([
      dealer.next("monitor", partitionMs + 5000, disconnected),
      router.next("monitor", partitionMs + 5000, disconnected),
    ]);
    const healedAt = await healed;
    const resumed = await dealer.next("resumed", 15_000, (r) => Number(r.at) >= healedAt);
    const resumedSeq = Number(resumed.seq);
    await dealer.next("progress", 10_000, (r) => Number(r.received) >= resumedSeq + 50);
    dealer.send({ cmd: "stop", drainMs: 2000 });
    const done = await dealer.next("done", 5000);

    const detection = { dealer: msBetween(cutAt, Number(dealerLost.at)), router: msBetween(cutAt, Number(routerLost.at)) };
    context.figure("partition", msBetween(cutAt, healedAt), "ms");
    context.figure("detected by DEALER after", detection.dealer, `ms (${dealerLost.error ?? "no code"})`);
    context.figure("detected by ROUTER after", detection.router, `ms (${routerLost.error ?? "no code"})`);
    context.figure("first reply after healing", msBetween(healedAt, Number(resumed.at)), "ms");
    const limit = HEARTBEAT.heartbeatTimeout + HEARTBEAT.heartbeatInterval + 500;
    for (const [side, ms] of Object.entries(detection)) {
      context.require(ms <= limit, `${side} noticed the partition after ${ms} ms, beyond heartbeatTimeout + interval + 500 (${limit} ms)`);
    }
    context.require(
      Number(resumed.at) - healedAt <= 3000,
      `requests flowed again only ${msBetween(healedAt, Number(resumed.at))} ms after healing`,
    );
    context.figure("requests sent", Number(done.sent));
    tallyFigures(context, "replies", done.tally as TallySummary);
    await linkFigures(context, link);
    peakRss(context, dealer);
    peakRss(context, router);
  },
};
