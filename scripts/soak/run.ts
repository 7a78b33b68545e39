// One soak run: opens the hub (the long-lived sockets), starts a peer of each kind and a DEALER
// following each peer's REP, then until the time is up does one thing at a time: a sample when one
// is due, else a peer restart when one is due, else a churn operation. Doing them in turn means a
// sample never sees a restart or a churned socket half done, so the descriptor count is compared
// like with like. Returns the summary and the exit status. Imports src/ and the soak's modules.

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { curveKeyPair } from "../../src/index.ts";
import { Churn } from "./churn.ts";
import { Hub } from "./hub.ts";
import { type CurveConfig, PEER_KINDS, type PeerConfig, type PeerKind, TOPICS } from "./peer-config.ts";
import { InprocPeer, type Peer, ProcessPeer } from "./peers.ts";
import { judge, megabytes, quarterIndexes, type Sample, sampleTimes, takeSample } from "./measure.ts";
import { plotSvg, summarize } from "./report.ts";
import { Requester } from "./requester.ts";
import { PATTERNS, Tally } from "./tally.ts";

/** A peer that moves no message of a pattern for this long, while alive, has stopped. */
const STALL_MS = 10_000;
const CHURN_GAP_MS = 200;

export interface SoakOptions {
  seconds: number;
  /** Where the SVG plot goes. */
  out: string;
  log: (line: string) => void;
  /** Aborted by Ctrl-C: the run stops at the next step and reports what ran. */
  signal: AbortSignal;
}

/** Resolves after `ms`, or at once when `signal` aborts; leaves no listener behind either way. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal.addEventListener("abort", done);
  });
}

function repEndpoint(kind: PeerKind, dir: string, life: number): string {
  if (kind.transport === "tcp") return "tcp://127.0.0.1:*"; // a new port each life: the DEALER must follow it
  if (kind.transport === "ipc") return `ipc://${join(dir, `${kind.name}-rep.ipc`)}`; // the same path: the DEALER reconnects
  return `inproc://soak-rep-${life}`;
}

export async function runSoak({ seconds, out, log, signal }: SoakOptions): Promise<{ status: number; lines: string[] }> {
  const tally = new Tally();
  const dir = mkdtempSync(join(tmpdir(), "bunzmq-soak-"));
  const [server, client] = [curveKeyPair(), curveKeyPair()];
  const curve: CurveConfig = {
    serverPublicKey: server.publicKey,
    serverSecretKey: server.secretKey,
    clientPublicKey: client.publicKey,
    clientSecretKey: client.secretKey,
  };
  const hub = await Hub.open(tally, dir, curve);
  const configFor =
    (kind: PeerKind) =>
    (life: number): PeerConfig => ({
      ...kind,
      instance: life,
      curve: kind.curve ? curve : null,
      hub: hub.endpointsFor(kind),
      repEndpoint: repEndpoint(kind, dir, life),
      topics: [...TOPICS],
    });
  const peers: Peer[] = PEER_KINDS.map((k) =>
    k.transport === "inproc" ? new InprocPeer(k) : new ProcessPeer(k, (t) => tally.violation(t)),
  );
  const requesters = new Map(PEER_KINDS.map((k) => [k.name, new Requester(k, tally, curve)]));
  await Promise.all(peers.map(async (p) => requesters.get(p.kind.name)!.follow(await p.start(configFor(p.kind)), p.life)));
  const churn = new Churn(hub, tally, curve, dir);

  const times = sampleTimes(seconds);
  const markIndexes = quarterIndexes(times);
  const restartEvery = Math.min(10, Math.max(3, seconds / 12));
  const samples: Sample[] = [];
  const startedAt = performance.now();
  const elapsed = () => (performance.now() - startedAt) / 1000;
  let nextRestart = restartEvery;
  let lastLog = 0;
  log(
    `soak: ${PEER_KINDS.length} peers (${PEER_KINDS.map((k) => k.name).join(", ")}), ${seconds} s, a restart every ${restartEvery.toFixed(1)} s`,
  );

  let restartTurn = 0;
  while (samples.length < times.length && !signal.aborted) {
    const now = elapsed();
    if (now >= times[samples.length]!) {
      for (const peer of peers) peer.account(tally);
      tally.checkStalls(
        peers.map((p) => ({ peer: p.kind.name, life: p.life, since: p.readyAt })),
        STALL_MS,
      );
      const sample = takeSample(startedAt);
      samples.push(sample);
      const mark = markIndexes.indexOf(samples.length - 1);
      if (mark >= 0 || sample.at - lastLog >= 60) {
        lastLog = sample.at;
        const { count } = tally.violations();
        log(
          `soak: ${mark >= 0 ? `${(mark + 1) * 25} % ` : ""}at ${sample.at.toFixed(0)} s: RSS ${megabytes(sample.rss)}, ` +
            `${sample.fds} descriptors, ${PATTERNS.reduce((n, p) => n + tally.total(p), 0).toLocaleString("en-US")} messages, ${count} violation(s)`,
        );
      }
    } else if (now >= nextRestart) {
      const peer = peers[restartTurn++ % peers.length]!;
      const ended = peer.life;
      nextRestart += restartEvery;
      try {
        requesters.get(peer.kind.name)!.follow(await peer.restart(tally, configFor(peer.kind)), peer.life);
      } catch (error) {
        tally.violation(`restart of ${peer.kind.name} failed: ${(error as Error).message}`);
      }
      // Late messages of the life just ended are still checked against its record; the one before goes.
      hub.forget(`${peer.kind.name}#${ended - 1}`);
    } else {
      await churn.next();
      await pause(Math.min(CHURN_GAP_MS, (times[samples.length]! - elapsed()) * 1000), signal);
    }
  }

  const ranSeconds = elapsed();
  for (const peer of peers) peer.account(tally);
  await Promise.all([...requesters.values()].map((r) => r.close()));
  await Promise.all(peers.map((p) => p.stop(tally)));
  await hub.close();
  rmSync(dir, { recursive: true, force: true });

  const interrupted = samples.length < times.length;
  const verdict = judge(samples, markIndexes, tally.violations().count, !interrupted);
  const restarts = PEER_KINDS.reduce((n, k) => n + tally.restarts(k.name), 0);
  const result = verdict.failures.length > 0 ? "FAIL" : interrupted ? "interrupted" : "PASS";
  let plot: string;
  try {
    mkdirSync(dirname(out), { recursive: true });
    const headline = `${(seconds / 60).toFixed(2)} min planned, ${ranSeconds.toFixed(0)} s ran, ${restarts} restarts · ${result}`;
    writeFileSync(out, plotSvg({ samples, markTimes: markIndexes.map((i) => times[i]!), verdict, headline }));
    plot = out;
  } catch (error) {
    plot = `not written (${(error as Error).message})`;
  }
  const lines = summarize({ plannedSeconds: seconds, ranSeconds, interrupted, tally, verdict, plot });
  return { status: verdict.failures.length > 0 ? 1 : interrupted ? 130 : 0, lines };
}
