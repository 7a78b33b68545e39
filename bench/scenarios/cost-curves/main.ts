// Cost curves (issue 20, item 5): how cost grows with work, bunzmq beside libzmq 4.3.4 from one
// run each, and beside the raw limit (Bun moving the same bytes with no ZeroMQ logic), so every
// figure also reads as a fraction of what the machine can do:
//   message size    1 B → 16 MiB, PUSH → PULL over tcp: msgs/s and MB/s (sizes.ts)
//   connections     1 → 10,000 DEALERs → one ROUTER over tcp: connect time, memory per
//                   connection, echo rate over them all (connections.ts)
//   subscriptions   1 → 1,000,000 topics of an XPUB: subscribe time, memory per subscription,
//                   match time, fan-out rate (subscriptions.ts)
// Prints a table per measured series (with bunzmq ÷ libzmq and the fractions of the raw limit) and
// the load average at the start and end (the figures move with it), then saves the record and one
// SVG line chart per curve (log x axes) in bench/results/ (bench/report/cost-curves.ts).
// Run: `bun run bench:curves [options]` (`--help`). Ctrl-C: the point under way ends, the rest is
// skipped, the tables show what was measured, nothing is saved (exit 130).

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { benchCommand, COMMON_OPTIONS, Interrupted, reportInterrupted } from "../../harness/command.ts";
import { raiseFileLimit } from "../../harness/file-limit.ts";
import { type CostCurve, curveChart, curveTables } from "../../report/cost-curves.ts";
import { renderLineSvg } from "../../report/line-chart-svg.ts";
import { contextLine, runContext, saveRecord } from "../../report/run-record.ts";
import { connectionCurve, type ConnectionPoint, measureConnections } from "./connections.ts";
import { measureSizes, sizeCurve, type SizePoint } from "./sizes.ts";
import { measureSubscriptions, type SubscriptionPoint, subscriptionCurve } from "./subscriptions.ts";
import { type CurveSettings, loadNow, rawRateAt16 } from "./timing.ts";

const USAGE = `
usage: bun run bench:curves [options]

Cost curves, bunzmq beside libzmq and the raw limit (Bun, no ZeroMQ): message size (PUSH → PULL
over tcp), connections (DEALERs → one ROUTER over tcp), subscriptions (one SUB, n topics of an
XPUB). Tables on stdout, SVG charts and the record in bench/results/.

options:
  --quick                 the same spans with fewer points, one shorter batch per size (about a minute)
  --curves LIST           sizes,connections,subscriptions (default all three)
  --sizes LIST            message sizes in bytes (default 1,16,256,4096,65536,1048576,16777216)
  --connections LIST      DEALER counts (default 1,10,100,1000,10000; quick 1,10,100,10000)
  --subscriptions LIST    topic counts (default 1,10,…,1000000; quick 1,100,10000,1000000)
  --messages N            messages per connections or subscriptions point (default 100000; quick 20000)
  --repeats N             timed batches per message size, the median kept (default 3; quick 1)
  --target-ms N           how long one timed batch of a message size lasts (default 300; quick 150)
  --no-save               do not write bench/results/ (record and charts)
`;
const CURVES = ["sizes", "connections", "subscriptions"] as const;
type CurveName = (typeof CURVES)[number];
const { cli, interrupt } = benchCommand("curves", USAGE, {
  ...COMMON_OPTIONS,
  curves: { type: "string" },
  sizes: { type: "string" },
  connections: { type: "string" },
  subscriptions: { type: "string" },
  messages: { type: "string" },
  repeats: { type: "string" },
  "target-ms": { type: "string" },
});
const QUICK = cli.flag("quick");
const CHOSEN = cli.convert("curves", (text) => {
  const names = (text ?? CURVES.join(",")).split(",");
  for (const name of names) if (!CURVES.includes(name as CurveName)) throw new Error(`"${name}" is not one of ${CURVES.join(", ")}`);
  return names as CurveName[];
});
const SIZES = cli.numbers("sizes", "1,16,256,4096,65536,1048576,16777216");
const CONNECTIONS = cli.numbers("connections", QUICK ? "1,10,100,10000" : "1,10,100,1000,10000");
const SUBSCRIPTIONS = cli.numbers("subscriptions", QUICK ? "1,100,10000,1000000" : "1,10,100,1000,10000,100000,1000000");
const MESSAGES = cli.number("messages", QUICK ? 20_000 : 100_000);
const SETTINGS: CurveSettings = {
  quick: QUICK,
  targetMs: cli.number("target-ms", QUICK ? 150 : 300),
  repeats: cli.number("repeats", QUICK ? 1 : 3),
  check: () => interrupt.check(),
  progress: (line) => process.stderr.write(`${line}\n`),
  fail: (what) => {
    FAILED.push(what);
    process.stderr.write(`  FAILED: ${what}\n`);
  },
};
/** What failed, point by point (the run goes on without it). */
const FAILED: string[] = [];
const ROOT = join(import.meta.dir, "../../..");

/** The curves from what has been measured so far (all of it, or what Ctrl-C left). */
function curvesOf(sizes: SizePoint[], connections: ConnectionPoint[], subscriptions: SubscriptionPoint[], raw16?: number): CostCurve[] {
  const curves: CostCurve[] = [];
  if (sizes.length > 0) curves.push(sizeCurve(sizes));
  if (connections.length > 0) curves.push(connectionCurve(connections, raw16));
  if (subscriptions.length > 0) curves.push(subscriptionCurve(subscriptions, raw16));
  return curves;
}

async function main(): Promise<number> {
  const started = performance.now();
  const context = runContext();
  const limit = raiseFileLimit(CONNECTIONS.length > 0 ? Math.max(...CONNECTIONS) * 2 + 1024 : 0);
  const loadAtStart = loadNow();
  console.log(contextLine(context));
  console.log(`load at the start: ${loadAtStart.uptime}`);
  console.log(`open files: soft limit ${limit.soft}, hard ${limit.hard}; ${QUICK ? "--quick, one batch per point" : "full run"}\n`);
  const sizes: SizePoint[] = [];
  const connections: ConnectionPoint[] = [];
  const subscriptions: SubscriptionPoint[] = [];
  const failed = FAILED;
  let raw16: number | undefined;
  const printed = new Set<string>();
  const printNew = () => {
    for (const curve of curvesOf(sizes, connections, subscriptions, raw16)) {
      if (printed.has(curve.name)) continue;
      printed.add(curve.name);
      console.log(`${curveTables(curve)}\n`);
    }
  };
  try {
    raw16 = await rawRateAt16(SETTINGS);
    console.log(
      `raw limit at 16 B (Bun.connect, pre-framed, one write per 256 KiB): ${Math.round(raw16).toLocaleString("en-US")} msgs/s\n`,
    );
    const runs: Record<CurveName, () => Promise<void>> = {
      sizes: () => measureSizes(SIZES, SETTINGS, sizes),
      connections: () => measureConnections(CONNECTIONS, MESSAGES, SETTINGS, connections),
      subscriptions: () => measureSubscriptions(SUBSCRIPTIONS, MESSAGES, SETTINGS, subscriptions),
    };
    for (const name of CHOSEN) {
      try {
        await runs[name]();
      } catch (error) {
        if (error instanceof Interrupted) throw error;
        failed.push(`${name}: ${(error as Error).message}`);
      }
      printNew();
    }
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
    printNew();
    return reportInterrupted("curves", started);
  }
  const loadAtEnd = loadNow();
  const seconds = (performance.now() - started) / 1000;
  console.log(`load at the end: ${loadAtEnd.uptime}`);
  console.log(
    `Whole run: ${seconds.toFixed(0)} s. Ratios are bunzmq ÷ libzmq from this run; "of raw" is a figure over Bun's raw limit ` +
      "(for the echo and fan-out rates, the one-way raw rate at 16 B on one connection).",
  );
  if (failed.length > 0) console.log(`FAILED (exit code 1): ${failed.join("; ")}`);
  if (!cli.flag("no-save")) {
    const curves = curvesOf(sizes, connections, subscriptions, raw16);
    const record = {
      mode: QUICK ? "quick" : "full",
      seconds,
      loadAtStart,
      loadAtEnd,
      fileLimit: limit,
      raw16,
      sizes,
      connections,
      subscriptions,
    };
    const path = saveRecord("curves", context, record);
    const subtitle = `${contextLine(context)}; load ${loadAtStart.loadAverage.join(" ")} at the start; ${QUICK ? "quick" : "full"} run`;
    for (const curve of curves) {
      const svg = path.replace(/\.json$/, `-${curve.name}.svg`);
      writeFileSync(join(ROOT, svg), renderLineSvg(curveChart(curve, subtitle)));
      console.log(`Chart: ${svg}`);
    }
    console.log(`Results: ${path}`);
  }
  return failed.length > 0 ? 1 : 0;
}

process.exitCode = await main();
