// The checks where a peer process fails: killed with SIGKILL and started again, or stopped with
// SIGSTOP and continued. Imports the harness.

import { type Check, megabytes, msBetween } from "../harness/check.ts";
import { boundEndpoint, linkFigures, peakRss, tallyFigures } from "../harness/figures.ts";
import type { Report } from "../harness/json-child.ts";
import { epochMs } from "../peers/peer-kit.ts";
import type { TallySummary } from "../peers/sequence-tally.ts";

// A server killed with SIGKILL and started again on the same endpoint: the DEALER notices the
// closed connection, redials until the new ROUTER listens, and requests flow again. What the dead
// process had read but not answered, and what sat in its socket buffers, is lost, as ZeroMQ allows
// (at most once); nothing may arrive twice or out of order, and requests still queued in the DEALER
// when the connection broke go to the new server.
const INTERVAL_MS = 5;

export const restartCheck: Check = {
  name: "restart",
  title: "a ROUTER killed with SIGKILL and restarted on its endpoint: the DEALER reconnects and requests flow again",
  needsLink: false,
  short: true,
  boundSeconds: { full: 60, short: 20 },
  async run(context) {
    const rounds = context.short ? 1 : 3;
    const { a, b, link } = await context.net({ delayMs: 5 });
    context.figure("set-up", `one request every ${INTERVAL_MS} ms, reconnectInterval 100 ms, ${rounds} kill(s)`);
    let router = context.peer(b, "server", { socket: "router", bind: b.anyTcpEndpoint, monitor: true }, "ROUTER");
    const endpoint = await boundEndpoint(router);
    const dealer = context.peer(
      a,
      "client",
      { socket: "dealer", connect: endpoint, size: 64, intervalMs: INTERVAL_MS, gapMs: 100, progressEvery: 50, monitor: true },
      "DEALER",
    );
    await dealer.next("progress", 10_000, (r) => Number(r.received) >= 100);
    for (let round = 1; round <= rounds; round++) {
      const killedAt = epochMs();
      await router.kill();
      const lost = await dealer.next("monitor", 5000, (r: Report) => r.type === "disconnect" && Number(r.at) >= killedAt);
      router = context.peer(b, "server", { socket: "router", bind: endpoint, monitor: true }, "ROUTER");
      await boundEndpoint(router);
      const boundAt = epochMs();
      const resumed = await dealer.next("resumed", 10_000, (r) => Number(r.at) >= killedAt);
      await dealer.next("progress", 10_000, (r) => Number(r.received) >= Number(resumed.seq) + 100);
      const label = rounds === 1 ? "" : ` (kill ${round})`;
      context.figure(`DEALER saw the close after${label}`, msBetween(killedAt, Number(lost.at)), "ms");
      context.figure(`new ROUTER listening after${label}`, msBetween(killedAt, boundAt), "ms");
      context.figure(`first reply from it after${label}`, msBetween(killedAt, Number(resumed.at)), "ms (from the kill)");
      context.require(
        Number(resumed.at) - boundAt <= 2000,
        `the DEALER took ${msBetween(boundAt, Number(resumed.at))} ms to get a reply from the new ROUTER`,
      );
    }
    dealer.send({ cmd: "stop", drainMs: 2000 });
    const done = await dealer.next("done", 5000);
    context.figure("requests sent", Number(done.sent));
    tallyFigures(context, "replies", done.tally as TallySummary);
    await linkFigures(context, link);
    peakRss(context, dealer);
    peakRss(context, router);
  },
};

// A stalled receiver: the PULL process is stopped (SIGSTOP) in the middle of a bulk stream. The
// PUSH must stop at its high-water mark, its memory bounded by it while the receiver stays stopped,
// and once the receiver continues (SIGCONT) the whole stream must arrive, once and in order.
const MESSAGE_BYTES = 16 * 1024;
const SEND_HWM = 100;
/** Memory the sender may gain while blocked: its queue at the mark, twice over, plus room for the engine's batches and the GC. */
const ALLOWED_GROWTH_BYTES = 2 * SEND_HWM * MESSAGE_BYTES + 24 * 1024 * 1024;

export const stallCheck: Check = {
  name: "stall",
  title: "a PULL stopped with SIGSTOP: the PUSH blocks at its high-water mark with bounded memory, and after SIGCONT every message arrives",
  needsLink: false,
  short: false,
  boundSeconds: { full: 60, short: 30 },
  async run(context) {
    const count = context.short ? 4000 : 12_000;
    const stallMs = context.short ? 1000 : 3000;
    const { a, b, link } = await context.net({ delayMs: 2 });
    context.figure(
      "set-up",
      `${count} messages of ${MESSAGE_BYTES / 1024} KiB, sendHighWaterMark ${SEND_HWM}, receiver stopped for at least ${stallMs} ms`,
    );
    const pull = context.peer(
      b,
      "server",
      { socket: "pull", bind: b.anyTcpEndpoint, expect: count, progressEvery: 500, options: { receiveHighWaterMark: SEND_HWM } },
      "PULL",
    );
    const endpoint = await boundEndpoint(pull);
    const push = context.peer(
      a,
      "client",
      { socket: "push", connect: endpoint, size: MESSAGE_BYTES, count, options: { sendHighWaterMark: SEND_HWM } },
      "PUSH",
    );
    const receiving = await pull.next("progress", 20_000, (r) => Number(r.received) >= 1000);
    const before = push.status()!;
    pull.signal("SIGSTOP");
    const stoppedAt = epochMs();
    const blocked = await push.next("blocked", 20_000);
    // The stall lasts as long as the sender itself reports being blocked for `stallMs`: its clock, not ours.
    const last = await push.next("blocked", stallMs + 20_000, (r) => Number(r.pendingMs) >= stallMs);
    const during = push.status()!;
    pull.signal("SIGCONT");
    const continuedAt = epochMs();
    const complete = await pull.next("complete", 60_000);

    context.figure("PUSH blocked after", msBetween(stoppedAt, Number(blocked.at)), "ms");
    context.figure("messages the PUSH had sent when it blocked", Number(blocked.sent));
    context.figure("messages the PULL had received before it was stopped", `at least ${receiving.received}`);
    context.figure(
      "PUSH RSS before / blocked / after the stall",
      `${megabytes(before.rssBytes)} / ${megabytes(Number(blocked.rssBytes))} / ${megabytes(during.rssBytes)}`,
      "MB",
    );
    const growth = during.rssBytes - before.rssBytes;
    context.require(
      growth <= ALLOWED_GROWTH_BYTES,
      `the PUSH grew ${megabytes(growth)} MB while blocked (allowed ${megabytes(ALLOWED_GROWTH_BYTES)} MB)`,
    );
    context.require(
      Number(last.sent) === Number(blocked.sent),
      `the PUSH sent ${Number(last.sent) - Number(blocked.sent)} more messages while it reported being blocked`,
    );
    context.figure("whole stream received after SIGCONT", msBetween(continuedAt, Number(complete.at)), "ms");
    tallyFigures(context, "PULL", complete.tally as TallySummary, { complete: count });
    await linkFigures(context, link);
    peakRss(context, push);
    peakRss(context, pull);
  },
};
