// The record of one bench/scenarios/push-pull.ts run: commit, settings and machine (CPU, OS, Bun, libzmq and
// mitata versions; zeromq.js's Node, zeromq and bundled libzmq versions), then every transport and size's rows (each entry and each row records its
// transport); saved as bench/results/<YYYY-MM-DD>-<sha>[-n].json.

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { loadLibzmq } from "../../peers/libzmq/index.ts";
import type { SizeResult } from "./table.ts";
import type { Transport } from "../harness/transports.ts";
import type { ZeromqjsStatus } from "../harness/zeromqjs-setup.ts";

const ROOT = join(import.meta.dir, "../..");

export interface RunSettings {
  quick: boolean;
  rounds: number;
  targetMs: number;
  receiveHighWaterMark: number;
  transports: Transport[];
  /** zeromq.js's versions (Node, zeromq, its bundled libzmq), or why its rows were skipped. */
  zeromqjs?: ZeromqjsStatus;
}

function git(...args: string[]): string {
  try {
    return execFileSync("git", args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

function packageVersion(name: string): string {
  try {
    return JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")).version;
  } catch {
    return "unknown";
  }
}

/** The run's record without results yet (`sizes` gets one entry per transport and size as they finish). */
export function describeRun(settings: RunSettings) {
  const sha = git("rev-parse", "--short", "HEAD");
  const cpus = os.cpus();
  return {
    bench: "push-pull",
    date: new Date().toISOString(),
    commit: sha,
    // Tracked files changed since the commit (untracked files, e.g. a new bench, do not count).
    dirty: git("status", "--porcelain", "--untracked-files=no") !== "",
    mode: settings.quick ? "quick" : "full",
    rounds: settings.rounds,
    targetIterationMs: settings.targetMs,
    receiveHighWaterMark: settings.receiveHighWaterMark,
    transports: settings.transports,
    machine: {
      cpu: cpus[0]?.model ?? "unknown",
      nproc: os.availableParallelism?.() ?? cpus.length,
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      bun: Bun.version,
      bunRevision: Bun.revision,
      libzmq: loadLibzmq().version,
      mitata: packageVersion("mitata"),
      zeromqjs: settings.zeromqjs ?? null,
    },
    sizes: [] as SizeResult[],
  };
}

export type RunReport = ReturnType<typeof describeRun>;

function resultsPath(sha: string): string {
  const dir = join(import.meta.dir, "../results");
  mkdirSync(dir, { recursive: true });
  const date = new Date().toISOString().slice(0, 10);
  let path = join(dir, `${date}-${sha || "nogit"}.json`);
  for (let i = 2; existsSync(path); i++) path = join(dir, `${date}-${sha || "nogit"}-${i}.json`);
  return path;
}

/** Writes `report` to a fresh file under bench/results/; returns its path relative to the repo. */
export function saveReport(report: RunReport, elapsedSeconds: number): string {
  const path = resultsPath(report.commit);
  writeFileSync(path, `${JSON.stringify({ ...report, elapsedSeconds }, null, 2)}\n`);
  return path.slice(ROOT.length + 1);
}
