// `bun run chaos`: the chaos suite from the command line (docs/chaos.md). Runs each check in turn,
// printing its figures as it ends, then a summary. Ctrl-C stops the running check, tears down its
// peers and link, and prints what ran and what did not. Exit status: 0 when every check that ran
// passed, 1 when one failed, 2 on bad arguments, 130 when interrupted. The program lives beside the
// suite in test/chaos/ (not in scripts/, which may import nothing from test/).

import { parseArgs } from "node:util";
import { formatResult, formatSummary, passed } from "./harness/figures.ts";
import { CHECKS, runChecks, selectChecks } from "./harness/runner.ts";

const USAGE = `usage: bun run chaos [-- options]

Network faults, killed and stalled peers, and hostile clients against bunzmq peers running in
separate processes, across an impaired link between two network namespaces the suite makes itself
(needs root or CAP_NET_ADMIN and /dev/net/tun; where they are missing, the checks that need the link
are skipped and the others run on loopback).

  --only <names>  run only these checks (comma-separated or repeated)
  --short         the short version: smaller sizes and durations, and (without --only) only
                  loss, partition, restart and ping-flood; what CI runs (test/chaos/chaos.test.ts)
  --seed <n>      seed the link's random drops and delays (each check prints its seed)
  --help          print this and exit

checks:
${CHECKS.map((check) => `  ${check.name.padEnd(17)} ${check.title}${check.short ? " [short]" : ""}`).join("\n")}
`;

function usageError(message: string): never {
  process.stderr.write(`chaos: ${message}\n\n${USAGE}`);
  process.exit(2);
}

let values: { help?: boolean; short?: boolean; only?: string[]; seed?: string };
try {
  ({ values } = parseArgs({
    options: {
      help: { type: "boolean", short: "h" },
      short: { type: "boolean" },
      only: { type: "string", multiple: true },
      seed: { type: "string" },
    },
    strict: true,
  }));
} catch (error) {
  usageError((error as Error).message);
}
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const seed = values.seed === undefined ? undefined : Number(values.seed);
if (seed !== undefined && !(Number.isSafeInteger(seed) && seed >= 0)) usageError(`--seed takes a non-negative integer, not ${values.seed}`);
let checks: ReturnType<typeof selectChecks>;
try {
  checks = selectChecks(values.only ?? [], values.short ?? false);
} catch (error) {
  usageError((error as Error).message);
}

const interrupt = new AbortController();
// `bun run` passes its own SIGINT on to this process as well, so one Ctrl-C may arrive twice: every
// one after the first is ignored (the teardown is bounded: peers are killed, the link closes in 5 s).
process.on("SIGINT", () => {
  if (interrupt.signal.aborted) return;
  process.stderr.write("\nchaos: interrupted; tearing down the running check\n");
  interrupt.abort(new Error("interrupted"));
});

const titles = new Map(checks.map((check) => [check.name, check.title]));
console.log(`chaos: ${checks.map((check) => check.name).join(", ")}${values.short ? " (short)" : ""}`);
const results = await runChecks(checks, {
  short: values.short ?? false,
  signal: interrupt.signal,
  strict: process.env.CI === "true",
  ...(seed === undefined ? {} : { seed }),
  out: (line) => console.log(line),
  onResult: (result) => result.outcome !== "not run" && console.log(`${formatResult(result, titles.get(result.name) ?? "")}\n`),
});
console.log(formatSummary(results));
process.exit(interrupt.signal.aborted ? 130 : passed(results) ? 0 : 1);
