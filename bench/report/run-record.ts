// The saved record of a bench/scenarios/req-rep-latency.ts or bench/scenarios/pub-fanout.ts run: the same commit and
// machine description as bench/report/results-file.ts (push-pull's), without push-pull's settings, plus
// whatever the bench passes; written to bench/results/<YYYY-MM-DD>-<sha>-<bench>[-n].json.

import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describeRun } from "./results-file.ts";
import { zeromqjsLabel, type ZeromqjsStatus } from "../harness/zeromqjs-setup.ts";

/** Commit, dirty flag, date and machine (CPU, OS, Bun, libzmq, mitata, zeromq.js) of this run. */
export function runContext(zeromqjs?: ZeromqjsStatus) {
  const { date, commit, dirty, machine } = describeRun({
    quick: false,
    rounds: 0,
    targetMs: 0,
    receiveHighWaterMark: 0,
    transports: [],
    zeromqjs,
  });
  return { date, commit, dirty, machine };
}

export type RunContext = ReturnType<typeof runContext>;

/** Writes `{ bench, ...context, ...body }` to a fresh file; returns its path relative to the repo. */
export function saveRecord(bench: string, context: RunContext, body: Record<string, unknown>): string {
  const dir = join(import.meta.dir, "../results");
  mkdirSync(dir, { recursive: true });
  const stem = `${context.date.slice(0, 10)}-${context.commit || "nogit"}-${bench}`;
  let path = join(dir, `${stem}.json`);
  for (let i = 2; existsSync(path); i++) path = join(dir, `${stem}-${i}.json`);
  writeFileSync(path, `${JSON.stringify({ bench, ...context, ...body }, null, 2)}\n`);
  return path.slice(join(import.meta.dir, "../..").length + 1);
}

/**
 * The end of a bench run, the same for every bench: the footer line, the failed rows (then the
 * exit code is 1), and the saved record unless `save` is false. Returns the exit code.
 */
export function finishRun(run: {
  bench: string;
  context: RunContext;
  footer: string;
  failed: string[];
  save: boolean;
  record: Record<string, unknown>;
}): number {
  console.log(`\n${run.footer}`);
  if (run.failed.length > 0) console.log(`FAILED rows (exit code 1): ${run.failed.join("; ")}`);
  if (run.save) console.log(`Results: ${saveRecord(run.bench, run.context, run.record)}`);
  return run.failed.length > 0 ? 1 : 0;
}

/** The header line both benches print: machine, versions, commit. */
export function contextLine(context: RunContext): string {
  const zeromqjs = context.machine.zeromqjs;
  return (
    `${context.machine.cpu}, ${context.machine.nproc} CPUs, Bun ${context.machine.bun}, libzmq ${context.machine.libzmq}, ` +
    `${zeromqjs && !("skipped" in zeromqjs) ? `${zeromqjsLabel(zeromqjs)}, ` : ""}` +
    `${context.commit || "no git"}${context.dirty ? " (dirty)" : ""}`
  );
}
