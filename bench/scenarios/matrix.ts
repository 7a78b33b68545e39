// `bun run bench`: the whole benchmark matrix, one scenario after another, each printing its own
// tables (bunzmq, libzmq and zeromq.js under Node in the same run, ratios against libzmq), then one
// SVG chart per scenario. Each scenario is its own script, run here as a child process so a failure
// in one is reported and the others still run. Options: USAGE below (`--help`). Exit code 1 if any
// scenario failed.
//
// Ctrl-C is passed on to the scenario under way, which stops as its own Ctrl-C says; no later
// scenario starts, no chart is drawn, and the summary names what finished (exit 130). Each scenario
// runs in a process group of its own (`detached`), so a terminal's Ctrl-C reaches it once, from here,
// and not a second time from the terminal (which would make it quit at once).

import { parseCommandLine } from "../../common/command-line.ts";
import { INTERRUPTED_EXIT, watchInterrupt } from "../../common/interrupt.ts";

const USAGE = `
usage: bun run bench [options]

The whole benchmark matrix, one scenario after another (PUSH → PULL, REQ ↔ REP, PUB → SUB,
DEALER → ROUTER, CURVE), each printing its tables, then one SVG chart per scenario.
The scenarios alone: bun run bench:push-pull | bench:latency | bench:fanout | bench:dealer-router |
bench:curve (each with --help).

options:
  --quick          the quick matrix (~90 s): fewer sizes, one short round (default: full, ~8 min)
  --no-zeromqjs    skip the zeromq.js rows (passed on to the scenarios)
  --no-chart       do not draw the charts
`;
const cli = parseCommandLine({
  usage: USAGE,
  options: { quick: { type: "boolean" }, "no-zeromqjs": { type: "boolean" }, "no-chart": { type: "boolean" } },
});
const QUICK = cli.flag("quick");
const shared = cli.flag("no-zeromqjs") ? ["--no-zeromqjs"] : [];
const interrupt = watchInterrupt("bench: Ctrl-C — the scenario under way stops, no later one starts");

interface Scenario {
  name: string;
  script: string;
  args: string[];
}

const FULL: Scenario[] = [
  { name: "PUSH → PULL throughput", script: "push-pull.ts", args: ["--sizes", "16,256,4096,65536,1048576", ...shared] },
  { name: "REQ ↔ REP latency", script: "req-rep-latency.ts", args: ["--sizes", "64,4096", ...shared] },
  { name: "PUB → SUB fan-out", script: "pub-fanout.ts", args: ["--subs", "1,8", ...shared] },
  { name: "DEALER → ROUTER, 100 in flight", script: "dealer-router.ts", args: ["--sizes", "64,4096"] },
  { name: "CURVE PUSH → PULL throughput", script: "curve.ts", args: ["--sizes", "16,1024,65536"] },
];

// Quick: the same scenarios, each at its most telling sizes, one short round.
const QUICK_MATRIX: Scenario[] = [
  { name: "PUSH → PULL throughput", script: "push-pull.ts", args: ["--quick", "--no-mixed", "--sizes", "16,65536", ...shared] },
  {
    name: "REQ ↔ REP latency",
    script: "req-rep-latency.ts",
    args: ["--quick", "--sizes", "64", "--count", "2000", "--warmup", "300", ...shared],
  },
  { name: "PUB → SUB fan-out", script: "pub-fanout.ts", args: ["--quick", "--rounds", "1", "--subs", "1,8", ...shared] },
  { name: "DEALER → ROUTER, 100 in flight", script: "dealer-router.ts", args: ["--quick", "--sizes", "64"] },
  { name: "CURVE PUSH → PULL throughput", script: "curve.ts", args: ["--quick", "--sizes", "1024,65536"] },
];

const started = performance.now();
const failed: string[] = [];
const finished: string[] = [];
for (const scenario of QUICK ? QUICK_MATRIX : FULL) {
  if (interrupt.requested) break;
  console.log(`\n=== ${scenario.name} (bench/${scenario.script} ${scenario.args.join(" ")})\n`);
  const child = Bun.spawn(["bun", new URL(`./${scenario.script}`, import.meta.url).pathname, ...scenario.args], {
    stdin: "ignore",
    stdout: "inherit",
    stderr: "inherit",
    detached: true,
  });
  const forget = interrupt.onInterrupt(() => child.kill("SIGINT"));
  const code = await child.exited;
  forget();
  if (code === INTERRUPTED_EXIT || interrupt.requested) break;
  finished.push(scenario.name);
  if (code !== 0) failed.push(`${scenario.name} (exit ${code})`);
}
if (interrupt.requested) {
  const done = finished.length > 0 ? `finished before it: ${finished.join(", ")}` : "no scenario finished";
  console.log(`\nMatrix interrupted (Ctrl-C); ${done}. No chart drawn.`);
  process.exit(INTERRUPTED_EXIT);
}
if (!cli.flag("no-chart")) {
  const chart = Bun.spawn(["bun", new URL("../report/chart.ts", import.meta.url).pathname], {
    stdin: "ignore",
    stdout: "inherit",
    stderr: "inherit",
  });
  if ((await chart.exited) !== 0) failed.push("charts");
}
const seconds = (performance.now() - started) / 1000;
const took = seconds < 120 ? `${seconds.toFixed(0)} s` : `${(seconds / 60).toFixed(1)} min`;
console.log(
  `\nMatrix ${QUICK ? "(quick) " : ""}done in ${took}${failed.length > 0 ? `; FAILED: ${failed.join(", ")}` : ", every scenario OK"}.`,
);
process.exitCode = failed.length > 0 ? 1 : 0;
