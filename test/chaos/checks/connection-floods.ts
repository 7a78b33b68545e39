// The checks that throw connections at one ROUTER: thousands of real DEALERs at once, and thousands
// of slowloris connections that never finish their greeting. Imports the harness and waitFor.

import { type Check, type CheckContext, megabytes, msBetween } from "../harness/check.ts";
import { boundEndpoint, linkFigures, peakRss, tallyFigures } from "../harness/figures.ts";
import type { TallySummary } from "../peers/sequence-tally.ts";
import { waitFor } from "../../helpers/wait.ts";
import type { JsonChild, ProcessStatus } from "../harness/json-child.ts";

/** Descriptors a server may keep above its baseline once every client has gone (none expected). */
const FD_SLACK = 2;

/**
 * The server's status once its descriptors are back within FD_SLACK of `baseline` (the clients'
 * connections closed), or after 10 s whatever they are; the caller judges the figure.
 */
function descriptorsSettled(server: JsonChild, baseline: ProcessStatus): Promise<ProcessStatus> {
  return waitFor(
    () => {
      const status = server.status();
      return status !== null && status.openFds <= baseline.openFds + FD_SLACK ? status : null;
    },
    { timeoutMs: 10_000, what: () => `the server's descriptors to return to ${baseline.openFds} (now ${server.status()?.openFds})` },
  ).catch(() => {
    const status = server.status();
    if (status === null) throw new Error(`${server.label} exited: ${server.stderr.trim()}`);
    return status;
  });
}

// A connection flood: thousands of DEALERs dial one ROUTER at once and each does ten round trips.
// Every request must be answered, in a bounded time, and when they all leave the server's
// descriptors must return to where they were. Run twice: engines on the application thread, then
// in one I/O thread on both sides (before #14 that took 10x the time and 20x the memory).
const ROUNDS = 10;

async function floodOnce(context: CheckContext, connections: number, ioThreads: number): Promise<void> {
  const label = `ioThreads ${ioThreads}:`;
  const { a, b, link } = await context.net({});
  const where = ioThreads === 0 ? "engines on the application thread" : `engines in ${ioThreads} I/O thread on each side`;
  context.figure(`${label} set-up`, `${connections} DEALERs in one process, ${ROUNDS} round trips each, one ROUTER, ${where}`);
  const router = context.peer(b, "server", { socket: "router", bind: b.anyTcpEndpoint, ioThreads }, `ROUTER (ioThreads ${ioThreads})`);
  const endpoint = await boundEndpoint(router);
  const baseline = router.status()!;
  const crowd = context.peer(
    a,
    "crowd",
    { connect: endpoint, connections, rounds: ROUNDS, ioThreads },
    `DEALER crowd (ioThreads ${ioThreads})`,
  );
  const started = await crowd.next("started", 10_000);
  const served = await crowd.next("served", 60_000);
  const atPeak = router.status()!;
  const done = await crowd.next("done", 60_000);
  await crowd.finish(10_000);
  const after = await descriptorsSettled(router, baseline);

  const expected = connections * ROUNDS;
  context.figure(`${label} every DEALER served once after`, msBetween(Number(started.at), Number(served.at)), "ms");
  context.figure(`${label} all rounds done after`, Math.round(Number(done.elapsedMs)), "ms");
  context.figure(`${label} requests answered`, `${done.answered} of ${expected}`);
  context.require(
    Number(done.answered) === expected,
    `${label} ${expected - Number(done.answered)} of ${expected} requests were not answered`,
  );
  context.require(Number(done.wrong) === 0, `${label} ${done.wrong} replies did not match their request`);
  context.figure(
    `${label} ROUTER descriptors before / all connected / after`,
    `${baseline.openFds} / ${atPeak.openFds} / ${after.openFds}`,
  );
  context.require(
    after.openFds <= baseline.openFds + FD_SLACK,
    `${label} the ROUTER kept ${after.openFds - baseline.openFds} more descriptors after the DEALERs left`,
  );
  context.figure(
    `${label} ROUTER RSS before / all connected / after`,
    `${megabytes(baseline.rssBytes)} / ${megabytes(atPeak.rssBytes)} / ${megabytes(after.rssBytes)}`,
    "MB",
  );
  peakRss(context, router);
  context.figure(`${label} DEALER crowd RSS`, megabytes(Number(done.rssBytes)), "MB");
  await linkFigures(context, link);
}

export const connectionFloodCheck: Check = {
  name: "connection-flood",
  title:
    "thousands of DEALERs dial one ROUTER at once, with and without I/O threads: every request answered, descriptors back to the baseline after",
  needsLink: false,
  short: false,
  boundSeconds: { full: 180, short: 90 },
  async run(context) {
    const connections = context.short ? 500 : 2000;
    for (const ioThreads of [0, 1]) await floodOnce(context, connections, ioThreads);
  },
};

// Slowloris: thousands of connections that send the first bytes of a greeting and then nothing.
// The ROUTER must drop each one at its handshake time-out (handshakeInterval), give back every
// descriptor, and keep serving a well-behaved DEALER meanwhile.
/** How late after its handshake time-out a connection may still be open (timer and scheduling slack). */
const LATE_MS = 1500;
const ALLOWED_GAP_MS = 2000;

export const slowlorisCheck: Check = {
  name: "slowloris",
  title: "connections that never finish the greeting are dropped at handshakeInterval, and a good DEALER carries on",
  needsLink: false,
  short: false,
  boundSeconds: { full: 60, short: 30 },
  async run(context) {
    const connections = context.short ? 500 : 3000;
    const handshakeMs = context.short ? 1000 : 2000;
    const { a, b, link } = await context.net({ delayMs: 1 });
    context.figure(
      "set-up",
      `${connections} connections sending 10 bytes of greeting, ROUTER handshakeInterval ${handshakeMs} ms, a good DEALER sending every 20 ms`,
    );
    const router = context.peer(
      b,
      "server",
      { socket: "router", bind: b.anyTcpEndpoint, options: { handshakeInterval: handshakeMs } },
      "ROUTER",
    );
    const endpoint = await boundEndpoint(router);
    const dealer = context.peer(
      a,
      "client",
      { socket: "dealer", connect: endpoint, size: 64, intervalMs: 20, progressEvery: 25 },
      "good DEALER",
    );
    await dealer.next("progress", 10_000, (r) => Number(r.received) >= 25);
    const baseline = router.status()!;
    const attacker = context.peer(a, "raw", { mode: "slowloris", endpoint, connections }, "slowloris");
    const dialling = await attacker.next("dialling", 10_000);
    const opened = await attacker.next("opened", 30_000);
    const atPeak = router.status()!;
    const closed = await attacker.next("closed", handshakeMs + LATE_MS + 30_000);
    const after = await descriptorsSettled(router, baseline);
    dealer.send({ cmd: "stop", drainMs: 2000 });
    const done = await dealer.next("done", 5000);

    const lived = closed.livedMs as { min: number; p50: number; max: number };
    context.figure(
      "connections opened",
      `${opened.opened} (${opened.failed} failed to connect) in ${msBetween(Number(dialling.at), Number(opened.at))} ms`,
    );
    context.figure("closed by the ROUTER", Number(closed.closed));
    context.figure("lifetime min / median / max", `${Math.round(lived.min)} / ${Math.round(lived.p50)} / ${Math.round(lived.max)}`, "ms");
    context.require(
      Number(closed.closed) === Number(opened.opened),
      `${Number(opened.opened) - Number(closed.closed)} connections were never closed`,
    );
    context.require(
      lived.min >= handshakeMs - 100,
      `a connection was closed after ${Math.round(lived.min)} ms, before the ${handshakeMs} ms time-out`,
    );
    context.require(
      lived.max <= handshakeMs + LATE_MS,
      `a connection lived ${Math.round(lived.max)} ms, over ${handshakeMs} + ${LATE_MS} ms`,
    );
    context.figure("ROUTER descriptors before / attacked / after", `${baseline.openFds} / ${atPeak.openFds} / ${after.openFds}`);
    context.require(after.openFds <= baseline.openFds + FD_SLACK, `the ROUTER kept ${after.openFds - baseline.openFds} more descriptors`);
    context.figure(
      "ROUTER RSS before / attacked / after",
      `${megabytes(baseline.rssBytes)} / ${megabytes(atPeak.rssBytes)} / ${megabytes(after.rssBytes)}`,
      "MB",
    );
    peakRss(context, router);
    context.figure("good DEALER longest wait for a reply", Math.round(Number(done.longestGapMs)), "ms");
    context.require(
      Number(done.longestGapMs) <= ALLOWED_GAP_MS,
      `the good DEALER waited ${Math.round(Number(done.longestGapMs))} ms for a reply`,
    );
    tallyFigures(context, "good DEALER replies", done.tally as TallySummary, { complete: Number(done.sent) });
    await linkFigures(context, link);
  },
};
