// One soak run: opens the world (world.ts), then until the time is up does one thing at a time: a
// sample when one is due, else a peer restart when one is due, else a churn operation. Doing them
// in turn means a sample never sees a restart or a churned socket half done, so descriptors are
// compared like with like. Then closes everything, judges, writes the plot and returns the summary
// with the exit status. Imports common/interrupt.ts and the soak's own modules.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { INTERRUPTED_EXIT } from "../../common/interrupt.ts";
import { judge, megabytes, quarterIndexes, type Sample, sampleTimes, takeSample } from "./measure.ts";
import { PEER_KINDS } from "./peer-config.ts";
import { plotSvg, sourceVersion, summarize } from "./report.ts";
import { PATTERNS, type Tally } from "./tally.ts";
import { SoakWorld } from "./world.ts";

const CHURN_GAP_MS = 200;
/** Progress lines: at each quarter mark, and at least this often in between. */
const LOG_EVERY_S = 60;

/** What ran, and when: read once at the start, before the tree can change under a long run. */
interface RunStart {
  source: string;
  started: Date;
}

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

export async function runSoak(options: SoakOptions): Promise<{ status: number; lines: string[] }> {
  const { seconds, log } = options;
  const run: RunStart = { source: sourceVersion(), started: new Date() };
  const world = await SoakWorld.open();
  const times = sampleTimes(seconds);
  const markIndexes = quarterIndexes(times);
  const restartEvery = Math.min(10, Math.max(3, seconds / 12));
  log(
    `soak: ${run.source}, ${PEER_KINDS.map((k) => k.name).join(", ")} peers for ${seconds} s, a restart every ${restartEvery.toFixed(1)} s`,
  );

  const samples: Sample[] = [];
  const startedAt = performance.now();
  const elapsed = () => (performance.now() - startedAt) / 1000;
  let nextRestart = restartEvery;
  let lastLog = 0;
  while (samples.length < times.length && !options.signal.aborted) {
    if (elapsed() >= times[samples.length]!) {
      world.settle();
      const sample = takeSample(startedAt);
      samples.push(sample);
      const mark = markIndexes.indexOf(samples.length - 1);
      if (mark >= 0 || sample.at - lastLog >= LOG_EVERY_S) {
        lastLog = sample.at;
        log(progress(sample, mark, world.tally));
      }
    } else if (elapsed() >= nextRestart) {
      nextRestart += restartEvery;
      await world.restartNext();
    } else {
      await world.churn.next();
      await pause(Math.min(CHURN_GAP_MS, (times[samples.length]! - elapsed()) * 1000), options.signal);
    }
  }
  const ranSeconds = elapsed();
  await world.close();
  return finish(options, run, world.tally, samples, { times, markIndexes, ranSeconds });
}

function progress(sample: Sample, mark: number, tally: Tally): string {
  const messages = PATTERNS.reduce((n, p) => n + tally.total(p), 0).toLocaleString("en-US");
  return (
    `soak: ${mark >= 0 ? `${(mark + 1) * 25} % ` : ""}at ${sample.at.toFixed(0)} s: RSS ${megabytes(sample.rss)}, ` +
    `${sample.fds} descriptors, ${messages} messages, ${tally.violations().count} violation(s)`
  );
}

/** Judges the run, writes its plot and returns its summary and exit status. */
function finish(
  { seconds, out }: SoakOptions,
  run: RunStart,
  tally: Tally,
  samples: Sample[],
  { times, markIndexes, ranSeconds }: { times: number[]; markIndexes: number[]; ranSeconds: number },
): { status: number; lines: string[] } {
  const interrupted = samples.length < times.length;
  const verdict = judge(samples, markIndexes, tally.violations().count, !interrupted);
  const restarts = PEER_KINDS.reduce((n, k) => n + tally.restarts(k.name), 0);
  const result = verdict.failures.length > 0 ? "FAIL" : interrupted ? "interrupted" : "PASS";
  let plot: string;
  try {
    mkdirSync(dirname(out), { recursive: true });
    const headline = `${(seconds / 60).toFixed(2)} min planned, ${ranSeconds.toFixed(0)} s ran, ${restarts} restarts · ${result}`;
    writeFileSync(out, plotSvg({ ...run, samples, markTimes: markIndexes.map((i) => times[i]!), verdict, headline }));
    plot = out;
  } catch (error) {
    plot = `not written (${(error as Error).message})`;
  }
  const lines = summarize({ source: run.source, plannedSeconds: seconds, ranSeconds, interrupted, tally, verdict, plot });
  return { status: verdict.failures.length > 0 ? 1 : interrupted ? INTERRUPTED_EXIT : 0, lines };
}
