// `bun run chaos`: the chaos suite from the command line (docs/chaos.md). Runs each check in turn,
// printing its figures as it ends, then a summary. Ctrl-C stops the running check, tears down its
// peers and link, and prints what ran and what did not; a second Ctrl-C quits at once. Exit status:
// 0 when every check that ran passed, 1 when one failed, 2 on bad arguments (common/command-line.ts),
// 130 when interrupted. The program lives beside the suite in test/chaos/, not in scripts/, which
// may import nothing from test/.

import { parseCommandLine } from "../../common/command-line.ts";
import { INTERRUPTED_EXIT, INTERRUPTED_MESSAGE, watchInterrupt } from "../../common/interrupt.ts";
import { formatResult, formatSummary, passed } from "./harness/figures.ts";
import { CHECKS, runChecks, selectChecks } from "./harness/runner.ts";

const USAGE = `usage: bun run chaos [-- options]

Network faults, killed and stalled peers, and hostile clients against bunzmq peers running in
separate processes, across an impaired link between two network namespaces the suite makes itself
(needs root or CAP_NET_ADMIN and /dev/net/tun; where they are missing, the checks that need the link
are skipped and the others run on loopback).

  --only <names>  run only these checks (comma-separated)
  --short         the short version: smaller sizes and durations, and (without --only) only
                  loss, partition, restart and ping-flood; what CI runs (test/chaos/chaos.test.ts)
  --seed <n>      seed the link's random drops and delays (each check prints its seed)
  --help          print this and exit

checks:
${CHECKS.map((check) => `  ${check.name.padEnd(17)} ${check.title}${check.short ? " [short]" : ""}`).join("\n")}
`;

const command = parseCommandLine({
  usage: USAGE,
  options: { short: { type: "boolean" }, only: { type: "string" }, seed: { type: "string" } },
});
const short = command.flag("short");
const seed = command.convert("seed", (text) => {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!(Number.isSafeInteger(value) && value >= 0)) throw new Error(`needs a non-negative integer, not ${text}`);
  return value;
});
const checks = command.convert("only", (text) => selectChecks(text === undefined ? [] : [text], short));

const interrupt = watchInterrupt("chaos: interrupted; tearing down the running check");
const aborted = new AbortController();
interrupt.onInterrupt(() => aborted.abort(new Error(INTERRUPTED_MESSAGE)));

const titles = new Map(checks.map((check) => [check.name, check.title]));
console.log(`chaos: ${checks.map((check) => check.name).join(", ")}${short ? " (short)" : ""}`);
const results = await runChecks(checks, {
  short,
  signal: aborted.signal,
  strict: process.env.CI === "true",
  ...(seed === undefined ? {} : { seed }),
  out: (line) => console.log(line),
  onResult: (result) => result.outcome !== "not run" && console.log(`${formatResult(result, titles.get(result.name) ?? "")}\n`),
});
console.log(formatSummary(results));
process.exit(interrupt.requested ? INTERRUPTED_EXIT : passed(results) ? 0 : 1);
