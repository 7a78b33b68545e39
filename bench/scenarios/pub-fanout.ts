// PUB -> 8 SUB (and 1 SUB) fan-out throughput over TCP loopback, bunzmq against libzmq 4.3.x in the
// same run. Run: `bun run bench:fanout` (~45 s) or `bun run bench:fanout --quick` (<25 s).
//
// Design (docs/benchmarks.md, "PUB fan-out", says how to read it):
// - The PUBLISHER is this process (bunzmq Publisher, or a libzmq PUB driven with blocking zmq_send
//   from one reused buffer, as in push-pull); each SUBSCRIBER is its own child process
//   (bench/fixtures/sub-fixture.ts), subscribed to everything. Each configuration (implementation × number
//   of subscribers) has its own publisher and children; bunzmq only talks to bunzmq, libzmq to libzmq.
// - Slow joiners: before anything is timed, this process publishes a 1 B message every 5 ms until
//   every subscriber has reported one (JOIN), then untimed warm-up batches run: a million messages, at
//   least 1.5 s (0.5 s with --quick), and until the row's CPU per message stops falling (WARM).
// - Default mode, "no drop": ZMQ_XPUB_NODROP on both publishers (bunzmq `noDrop: true`), HWM 1000
//   everywhere (both defaults). A full subscriber then makes the publisher wait instead of
//   dropping, so every subscriber gets all N messages and the run is flow-controlled like
//   push-pull. One batch: tell each subscriber to expect N messages of 64 B, publish N, await every
//   subscriber's OK. msgs/s per subscriber = N / (first send -> the slowest subscriber holding its
//   last message).
// - bunzmq has three rows, each saying which path it measures (bench/peers/fanout-publishers.ts):
//   its fast path (trySend / receiveBatch), the zeromq.js API (an XPublisher sending with
//   `await send()`, subscribers looping on `await receive()`: how the issue checks fan-out), and the
//   floor (that publisher, subscribers with no ZeroMQ logic that only cut a Buffer per message).
// - `--drop`: plain PUB (drops at the HWM), the publisher sends N as fast as it can (bunzmq:
//   trySend, yielding to the event loop every 1,024 messages so its sockets get written at all;
//   libzmq: zmq_send, which never blocks). Each subscriber reports what it got and its
//   first-to-last receive time; the table shows the slowest subscriber's delivered msgs/s
//   (received / its own window) and the worst drop rate (1 − received / N).
// - zeromq.js (npm `zeromq` v6) cannot load under Bun, so its publisher is a Node child as well as
//   its subscribers (bench/peers/fanout-publishers.ts): a batch is timed the same way, from the request
//   to the publisher until the slowest subscriber holds its last message. Each table ends with
//   bunzmq ÷ zeromq.js. bench/harness/zeromqjs-setup.ts installs it on first use, or the bench says why
//   it skips that row.
// - Rows interleave by round (bunzmq, libzmq, zeromq.js, bunzmq, ...); the table shows each row's
//   median over rounds, and the ratio to libzmq (higher is better).
//
// Options: USAGE below (`--help`). Ctrl-C: the batch under way ends, the tables printed so far
// stand, the rest is not measured, nothing is saved (exit 130).

import { benchCommand, COMMON_OPTIONS, Interrupted, reportInterrupted } from "../harness/command.ts";
import { Child } from "../harness/child.ts";
import { configLabel, makeConfig, type Config, type Impl } from "../peers/fanout-publishers.ts";
import { contextLine, finishRun, runContext } from "../report/run-record.ts";
import { rate } from "../report/table.ts";
import { type BatchResult, printFanoutTable, type RowResult } from "../report/fanout-table.ts";
import { prepareZeromqjs, type Zeromqjs } from "../harness/zeromqjs-setup.ts";
import { warmUntilSteady } from "../harness/steady-warm-up.ts";

const USAGE = `
usage: bun run bench:fanout [options]

PUB → SUB fan-out throughput over tcp, subscribers in child processes: bunzmq, libzmq, zeromq.js.

options:
  --quick            shorter batches, 3 rounds
  --subs 1,8         subscriber counts to run
  --rows LIST        rows to run, of bunzmq,bunzmq-api,raw,raw-await,libzmq (default all; zeromq.js: see below)
  --rounds N         interleaved rounds (default 5; --quick 3)
  --drop             plain PUB that drops at the HWM (default: no drop, XPUB_NODROP / noDrop)
  --hwm N            publisher SNDHWM and every subscriber's RCVHWM (default 1000)
  --no-zeromqjs      skip the zeromq.js rows
  --no-save          do not write bench/results/*.json
`;
const { cli, interrupt } = benchCommand("pub-fanout", USAGE, {
  ...COMMON_OPTIONS,
  subs: { type: "string" },
  rows: { type: "string" },
  rounds: { type: "string" },
  drop: { type: "boolean" },
  hwm: { type: "string" },
  "no-zeromqjs": { type: "boolean" },
});
const QUICK = cli.flag("quick");
const DROP = cli.flag("drop");
const SAVE = !cli.flag("no-save");
const SUBS = cli.numbers("subs", "1,8");
const ROW_NAMES: Impl[] = ["bunzmq", "bunzmq-api", "raw", "raw-await", "libzmq"];
const ROWS = cli.text("rows", ROW_NAMES.join(",")).split(",") as Impl[];
for (const row of ROWS) if (!ROW_NAMES.includes(row)) cli.fail(`--rows: unknown row "${row}" (known: ${ROW_NAMES.join(", ")})`);
const ROUNDS = cli.number("rounds", QUICK ? 3 : 5);
const HWM = cli.number("hwm", 1000);
const SIZE = 64;
/** Target time of one timed batch at the probed speed of the pair of rows. */
const TARGET_MS = QUICK ? 200 : 500;
const PROBE = 20_000;
/**
 * Untimed warm-up per row, in batches of PROBE: a million messages to every subscriber and at least
 * 1.5 s (0.5 s --quick), then on until the row's CPU per message (publisher and every subscriber)
 * stops falling. The subscriber children's JIT, 8 processes compiling on two cores, can take seconds,
 * and the cost falls in steps (bench/harness/steady-warm-up.ts).
 */
const WARM = { leastMs: QUICK ? 500 : 1500, leastBatches: 1_000_000 / PROBE, mostMs: QUICK ? 6000 : 12_000 };
/** --drop: a subscriber's batch ends after this long without a message. */
const QUIET_MS = DROP ? 200 : 3000;
const ANSWER_MS = 30_000;
process.env.BENCH_HWM = String(HWM); // the subscribers' RCVHWM (sub-fixture.ts reads it)

async function batch(config: Config, count: number): Promise<BatchResult> {
  if (config.error) throw new Error(config.error);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const answers = config.subs.map((s) => s.askWithin(`${count} ${SIZE} ${QUIET_MS}`, ANSWER_MS));
  await config.publish(count, SIZE);
  const sent = performance.now();
  const results = (await Promise.all(answers)).map((line) => {
    const [word, got, ns, cpuMicros] = line.split(" ");
    if (word !== "OK") throw new Error(`${config.label}: subscriber answered "${line}"`);
    return { got: Number(got), ns: Number(ns), cpuMicros: cpuMicros === undefined ? null : Number(cpuMicros) };
  });
  const t1 = performance.now();
  const pubCpu = process.cpuUsage(cpu0);
  const pubCpuNs = config.impl === "zeromq.js" ? null : ((pubCpu.user + pubCpu.system) * 1000) / count;
  const subCpus = results.map((r) => r.cpuMicros);
  const subCpuNs = subCpus.every((c) => c !== null) ? (subCpus.reduce((a, c) => a + c!, 0) * 1000) / subCpus.length / count : null;
  const fewest = Math.min(...results.map((r) => r.got));
  if (!DROP) {
    if (fewest !== count) throw new Error(`${config.label}: a subscriber got ${fewest} of ${count} messages without drops`);
    return { perSub: count / ((t1 - t0) / 1000), delivered: 1, published: count / ((sent - t0) / 1000), subCpuNs, pubCpuNs };
  }
  const perSub = Math.min(...results.map((r) => (r.ns > 0 ? r.got / (r.ns / 1e9) : 0)));
  return { perSub, delivered: fewest / count, published: count / ((sent - t0) / 1000), subCpuNs, pubCpuNs };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const cpuMedian = (xs: Array<number | null>) => (xs.length > 0 && xs.every((x) => x !== null) ? median(xs as number[]) : null);

/** The table's last line: bunzmq's per-SUB msgs/s through the zeromq.js API ÷ zeromq.js's (absent without both rows). */
function printVersusZeromqjs(subCount: number, rows: RowResult[]): number | null {
  const of = (impl: Impl) => rows.find((r) => r.label === configLabel(impl, subCount))?.perSub ?? null;
  const zeromqjs = of("zeromq.js");
  if (!rows.some((r) => r.label === configLabel("zeromq.js", subCount))) return null;
  const bunzmq = of("bunzmq-api");
  const ratio = bunzmq !== null && zeromqjs !== null ? bunzmq / zeromqjs : null;
  console.log(
    `bunzmq ÷ zeromq.js (msgs/s per SUB, both through the zeromq.js API, same run): ${ratio === null ? "n/a" : `${ratio.toFixed(1)}×`}`,
  );
  return ratio;
}

const implementations = (zeromqjs: Zeromqjs | null): Impl[] => (zeromqjs ? [...ROWS, "zeromq.js"] : ROWS);

async function main(): Promise<number> {
  const started = performance.now();
  const results: RowResult[] = [];
  const versusZeromqjs: Array<{ subscribers: number; bunzmqOverZeromqjs: number | null }> = [];
  let exitCode = 0;
  try {
    const { zeromqjs, status } = await prepareZeromqjs(cli.argv);
    const context = runContext(status);
    console.log(
      `PUB fan-out over tcp://127.0.0.1, subscribers in child processes — ${contextLine(context)}${QUICK ? ", --quick" : ""}${DROP ? ", --drop" : ""}`,
    );
    for (const subCount of SUBS) {
      interrupt.check();
      const children: Child[] = [];
      const configs: Config[] = [];
      try {
        for (const impl of implementations(zeromqjs)) {
          try {
            configs.push(await makeConfig(impl, subCount, { drop: DROP, hwm: HWM }, children, zeromqjs));
          } catch (error) {
            process.stderr.write(`${impl} × ${subCount}: set-up failed: ${(error as Error).message}\n`);
            configs.push({
              label: configLabel(impl, subCount),
              impl,
              subs: [],
              publish: async () => {},
              close: () => {},
              error: (error as Error).message,
            });
          }
        }
        // Warm-up and probe: N such that a batch takes ~TARGET_MS at the geometric mean speed.
        const speeds: number[] = [];
        const warmUps: string[] = [];
        for (const config of configs) {
          interrupt.check();
          try {
            const warm = await warmUntilSteady(async () => {
              interrupt.check(); // a warm-up may take seconds: Ctrl-C ends it at the next batch
              const { subCpuNs, pubCpuNs } = await batch(config, PROBE);
              return subCpuNs === null ? null : subCpuNs * subCount + (pubCpuNs ?? 0);
            }, WARM);
            warmUps.push(`${config.impl} ${(warm.ms / 1000).toFixed(1)} s${warm.steady ? "" : " (still getting cheaper)"}`);
            speeds.push((await batch(config, PROBE)).perSub);
          } catch (error) {
            if (error instanceof Interrupted) throw error;
            config.error ??= (error as Error).message;
          }
        }
        const geomean = speeds.length ? Math.exp(speeds.reduce((a, x) => a + Math.log(x), 0) / speeds.length) : 100_000;
        const magnitude = 10 ** Math.max(0, Math.floor(Math.log10((geomean * TARGET_MS) / 1000)) - 1);
        const count = Math.max(1000, Math.round((geomean * TARGET_MS) / 1000 / magnitude) * magnitude);
        process.stderr.write(`${subCount} SUB: warmed ${warmUps.join(", ")}\n`);
        process.stderr.write(
          `${subCount} SUB: probe ${configs.map((c, i) => `${c.impl} ${speeds[i] ? rate(speeds[i]!) : "—"}`).join(", ")} msgs/s per SUB -> N = ${count}\n`,
        );
        const rounds = new Map<Config, BatchResult[]>(configs.map((c) => [c, []]));
        for (let round = 0; round < ROUNDS; round++) {
          interrupt.check();
          for (const config of configs) {
            if (config.error) continue;
            try {
              const r = await batch(config, count);
              rounds.get(config)!.push(r);
              process.stderr.write(
                `  ${config.label} #${round + 1}: ${rate(r.perSub)} msgs/s per SUB${DROP ? `, ${((1 - r.delivered) * 100).toFixed(1)}% dropped` : ""}\n`,
              );
            } catch (error) {
              config.error = (error as Error).message;
            }
          }
        }
        const rows: RowResult[] = configs.map((c) => {
          const mine = rounds.get(c)!;
          return {
            label: c.label,
            subscribers: subCount,
            count,
            rounds: mine,
            perSub: mine.length ? median(mine.map((r) => r.perSub)) : null,
            delivered: mine.length ? median(mine.map((r) => r.delivered)) : null,
            published: mine.length ? median(mine.map((r) => r.published)) : null,
            subCpuNs: cpuMedian(mine.map((r) => r.subCpuNs)),
            pubCpuNs: cpuMedian(mine.map((r) => r.pubCpuNs)),
            ratio: null,
            error: c.error,
          };
        });
        const base = rows.find((r) => r.label.startsWith("libzmq"))?.perSub ?? null;
        for (const r of rows) r.ratio = base === null || r.perSub === null ? null : r.perSub / base;
        printFanoutTable(subCount, count, rows, { drop: DROP, rounds: ROUNDS, hwm: HWM, size: SIZE });
        versusZeromqjs.push({ subscribers: subCount, bunzmqOverZeromqjs: printVersusZeromqjs(subCount, rows) });
        results.push(...rows);
      } finally {
        await Promise.all(children.map((c) => c.stop()));
        for (const config of configs) config.close();
      }
    }
    const elapsed = (performance.now() - started) / 1000;
    exitCode = finishRun({
      bench: "pub-fanout",
      context,
      footer:
        "msgs/s per SUB = messages each subscriber received per second, the slowest subscriber's figure; all SUBs = that × subscribers. " +
        `CPU ns/msg: per subscriber process (mean) and for the publisher (all SUBs' copies), medians over rounds. Whole run: ${elapsed.toFixed(1)} s.`,
      failed: results.filter((r) => r.error).map((r) => `${r.label}: ${r.error}`),
      save: SAVE,
      record: {
        mode: QUICK ? "quick" : "full",
        drop: DROP,
        highWaterMark: HWM,
        size: SIZE,
        rounds: ROUNDS,
        rows: results,
        ...(zeromqjs ? { versusZeromqjs } : {}),
        elapsedSeconds: elapsed,
      },
    });
  } catch (error) {
    if (error instanceof Interrupted) return reportInterrupted("pub-fanout", started);
    process.stderr.write(`pub-fanout failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    exitCode = 1;
  }
  return exitCode;
}

process.exitCode = await main();
