// The chaos checks and how they run: the list in running order, the choice of which to run
// (`--only`, `--short`; the short version is loss, partition, restart and the PING flood), and the
// run itself, one check after another, each given its network (the impaired link, or loopback for
// checks that need no impairment where the link cannot be made), its peers and a time bound, and
// always torn down (peers first, then the link), whether it passed, failed, overran or was
// interrupted. Imports the checks, the fixture and the harness.

import { connectionFloodCheck, slowlorisCheck } from "../checks/connection-floods.ts";
import { lossCheck, partitionCheck } from "../checks/link-faults.ts";
import { restartCheck, stallCheck } from "../checks/peer-faults.ts";
import { pingFloodCheck } from "../checks/ping-flood.ts";
import { Link, LinkUnavailableError, linkUnavailableReason } from "../net/link.ts";
import { NetSide } from "../net/net-side.ts";
import type { Check, CheckContext, CheckResult, Figure, Net, PeerProgram } from "./check.ts";
import { JsonChild } from "./json-child.ts";

export const CHECKS: readonly Check[] = [
  lossCheck,
  partitionCheck,
  restartCheck,
  stallCheck,
  connectionFloodCheck,
  slowlorisCheck,
  pingFloodCheck,
];

/**
 * The checks to run: those named in `only` (in suite order), else with `short` the short version's,
 * else all. Throws naming an unknown check.
 */
export function selectChecks(only: readonly string[], short: boolean): Check[] {
  const names = only
    .flatMap((entry) => entry.split(","))
    .map((name) => name.trim())
    .filter((name) => name !== "");
  const unknown = names.filter((name) => !CHECKS.some((check) => check.name === name));
  if (unknown.length > 0)
    throw new Error(`unknown check ${unknown.join(", ")}; the checks are ${CHECKS.map((check) => check.name).join(", ")}`);
  if (names.length > 0) return CHECKS.filter((check) => names.includes(check.name));
  return short ? CHECKS.filter((check) => check.short) : [...CHECKS];
}

const PROGRAMS: Record<PeerProgram, string> = {
  server: new URL("../peers/server-peer.ts", import.meta.url).pathname,
  client: new URL("../peers/client-peer.ts", import.meta.url).pathname,
  crowd: new URL("../peers/dealer-crowd.ts", import.meta.url).pathname,
  raw: new URL("../peers/raw-attacker.ts", import.meta.url).pathname,
};

export interface RunOptions {
  short: boolean;
  /** Aborted on Ctrl-C: the running check stops and tears down, the rest are "not run". */
  signal: AbortSignal;
  /** CI=true: a check that needs the link fails where it cannot be made, instead of skipping. */
  strict: boolean;
  /** Seeds every link's random drops and delays (default: a random seed per link, printed). */
  seed?: number;
  /** Progress lines and each result as it comes. */
  out: (line: string) => void;
  onResult?: (result: CheckResult) => void;
}

export async function runChecks(checks: readonly Check[], options: RunOptions): Promise<CheckResult[]> {
  const unavailable = await linkUnavailableReason();
  if (unavailable !== null) options.out(`the impaired link is not available here: ${unavailable}`);
  const results: CheckResult[] = [];
  for (const check of checks) {
    const result = options.signal.aborted ? notRun(check) : await runCheck(check, unavailable, options);
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}

function notRun(check: Check): CheckResult {
  return { name: check.name, outcome: "not run", seconds: 0, figures: [], failures: [] };
}

/** Rejects with the signal's reason once it aborts; the abandoned work's own rejection is swallowed. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => {});
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    if (signal.aborted) return abort();
    signal.addEventListener("abort", abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}

async function runCheck(check: Check, unavailable: string | null, options: RunOptions): Promise<CheckResult> {
  const onLoopback = unavailable !== null && !check.needsLink;
  if (unavailable !== null && check.needsLink && !options.strict) {
    return { name: check.name, outcome: "skip", seconds: 0, figures: [], failures: [], note: `needs the impaired link: ${unavailable}` };
  }
  const started = performance.now();
  const figures: Figure[] = [];
  const failures: string[] = [];
  const deferred: Array<() => unknown> = [];
  const children: JsonChild[] = [];
  const links: Link[] = [];
  const loopbackChildren = new Set<{ kill(signal?: number | NodeJS.Signals): void; exited: Promise<number> }>();
  const boundSeconds = options.short ? check.boundSeconds.short : check.boundSeconds.full;
  const overrun = new AbortController();
  const timer = setTimeout(() => overrun.abort(new Error(`did not finish within its bound of ${boundSeconds} s`)), boundSeconds * 1000);
  const signal = AbortSignal.any([options.signal, overrun.signal]);
  const context: CheckContext = {
    short: options.short,
    signal,
    async net(impairment) {
      if (onLoopback) {
        const track = (child: { kill(): void; exited: Promise<number> }) => loopbackChildren.add(child);
        return { a: new NetSide("a", "127.0.0.1", [], track), b: new NetSide("b", "127.0.0.1", [], track), link: null } satisfies Net;
      }
      const link = await Link.open({ impairment: impairment ?? {}, ...(options.seed === undefined ? {} : { seed: options.seed }) });
      links.push(link);
      figures.push({ name: "link seed", value: String(link.seed) });
      return { a: link.a, b: link.b, link };
    },
    peer(side, program, config, label) {
      const child = new JsonChild(label, side.spawnBun(PROGRAMS[program], [JSON.stringify(config)]));
      children.push(child);
      return child;
    },
    figure: (name, value, unit) => figures.push(unit === undefined ? { name, value } : { name, value, unit }),
    require: (holds, failure) => void (holds || failures.push(failure)),
    defer: (task) => void deferred.push(task),
    log: (line) => options.out(`  ${check.name}: ${line}`),
  };
  let outcome: CheckResult["outcome"] = "pass";
  try {
    await untilAborted(check.run(context), signal);
  } catch (error) {
    if (options.signal.aborted) outcome = "interrupted";
    else failures.push(error instanceof LinkUnavailableError ? error.message : error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(timer);
    for (let task = deferred.pop(); task !== undefined; task = deferred.pop()) await Promise.resolve(task()).catch(() => {});
    await Promise.all(children.map((child) => child.kill()));
    for (const child of loopbackChildren) child.kill(9);
    await Promise.all([...loopbackChildren].map((child) => child.exited));
    await Promise.all(links.map((link) => link.close()));
  }
  if (outcome === "pass" && failures.length > 0) outcome = "fail";
  const note = onLoopback ? `on loopback (the impaired link is not available: ${unavailable})` : "across the impaired link";
  return { name: check.name, outcome, seconds: (performance.now() - started) / 1000, figures, failures, note };
}
