// `bun run bench`: the whole benchmark matrix, one scenario after another, each printing its own
// tables (bunzmq, libzmq and zeromq.js under Node in the same run, ratios against libzmq), then one
// SVG chart per scenario. Each scenario is its own script, run here as a child process so a failure
// in one is reported and the others still run.
//
//   bun run bench            full matrix (~8 min, estimated): every size, 3 rounds
//   bun run bench --quick    quick matrix (~75 s): fewer sizes, one short round
//   bun run bench --no-zeromqjs | --no-chart    passed on / skip the charts
//
// The scenarios alone: bench:push-pull, bench:latency, bench:fanout, bench:dealer-router, bench:curve (their
// options are in docs/benchmarks.md). Exit code 1 if any scenario failed.

const argv = process.argv.slice(2);
const QUICK = argv.includes("--quick");
const shared = argv.includes("--no-zeromqjs") ? ["--no-zeromqjs"] : [];

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
for (const scenario of QUICK ? QUICK_MATRIX : FULL) {
  console.log(`\n=== ${scenario.name} (bench/${scenario.script} ${scenario.args.join(" ")})\n`);
  const child = Bun.spawn(["bun", new URL(`./${scenario.script}`, import.meta.url).pathname, ...scenario.args], {
    stdin: "ignore",
    stdout: "inherit",
    stderr: "inherit",
  });
  const code = await child.exited;
  if (code !== 0) failed.push(`${scenario.name} (exit ${code})`);
}
if (!argv.includes("--no-chart")) {
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
