// PUB -> 4 SUB (and 1 SUB) fan-out throughput over TCP loopback, bunzmq against libzmq 4.3.x in the
// same run. Run: `bun run bench:fanout` (~30 s) or `bun run bench:fanout --quick` (<20 s).
//
// Design (bench/README.md, "PUB fan-out", says how to read it):
// - The PUBLISHER is this process (bunzmq Publisher, or a libzmq PUB driven with blocking zmq_send
//   from one reused buffer, as in push-pull); each SUBSCRIBER is its own child process
//   (bench/sub-fixture.ts), subscribed to everything. Each configuration (implementation × number
//   of subscribers) has its own publisher and children; bunzmq only talks to bunzmq, libzmq to libzmq.
// - Slow joiners: before anything is timed, this process publishes a 1 B message every 5 ms until
//   every subscriber has reported one (JOIN), then two untimed warm-up batches run.
// - Default mode, "no drop": ZMQ_XPUB_NODROP on both publishers (bunzmq `noDrop: true`), HWM 1000
//   everywhere (both defaults). A full subscriber then makes the publisher wait instead of
//   dropping, so every subscriber gets all N messages and the run is flow-controlled like
//   push-pull. One batch: tell each subscriber to expect N messages of 64 B, publish N, await every
//   subscriber's OK. msgs/s per subscriber = N / (first send -> the slowest subscriber holding its
//   last message). bunzmq publishes with `trySend`, and `await send()` when it returns false.
// - `--drop`: plain PUB (drops at the HWM), the publisher sends N as fast as it can (bunzmq:
//   trySend, yielding to the event loop every 1,024 messages so its sockets get written at all;
//   libzmq: zmq_send, which never blocks). Each subscriber reports what it got and its
//   first-to-last receive time; the table shows the slowest subscriber's delivered msgs/s
//   (received / its own window) and the worst drop rate (1 − received / N).
// - Rows interleave by round (bunzmq, libzmq, bunzmq, ...); the table shows each row's median over
//   rounds, and the ratio bunzmq / libzmq (higher is better).
//
// Options: --quick, --subs 1,4, --rounds N, --drop, --hwm N (SNDHWM of the publisher and RCVHWM
//          of every subscriber, both implementations; default 1000), --no-save.

import { Publisher } from "../src/index.ts";
import { Child } from "./child.ts";
import { PubSubSocket } from "./libzmq-pubsub.ts";
import { contextLine, runContext, saveRecord } from "./run-record.ts";
import { rate } from "./table.ts";
import { cBuffer, ZMQ } from "../scripts/libzmq/symbols.ts";

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const value = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const QUICK = flag("--quick");
const DROP = flag("--drop");
const SAVE = !flag("--no-save");
const SUBS = (value("--subs") ?? "1,4").split(",").map(Number);
const ROUNDS = Number(value("--rounds") ?? (QUICK ? 3 : 5));
const HWM = Number(value("--hwm") ?? 1000);
const SIZE = 64;
/** Target time of one timed batch at the probed speed of the pair of rows. */
const TARGET_MS = QUICK ? 200 : 500;
const PROBE = 20_000;
/** --drop: a subscriber's batch ends after this long without a message. */
const QUIET_MS = DROP ? 200 : 3000;
const ANSWER_MS = 30_000;
process.env.BENCH_HWM = String(HWM); // the subscribers' RCVHWM (sub-fixture.ts reads it)

interface BatchResult {
  /** Slowest subscriber's delivered msgs/s. */
  perSub: number;
  /** Fewest messages any subscriber received, as a share of N (1 in no-drop mode). */
  delivered: number;
  /** Publisher's msgs/s (send loop only). */
  published: number;
}

interface Config {
  label: string;
  impl: "bunzmq" | "libzmq";
  subs: Child[];
  /** Publishes `count` messages of `size` bytes (resolves when the send loop is done). */
  publish(count: number, size: number): Promise<void>;
  close(): void;
  error: string | null;
}

function body(size: number): Uint8Array {
  const b = cBuffer(size).subarray(0, size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + 7) & 0xff;
  return b;
}

async function makeConfig(impl: "bunzmq" | "libzmq", subCount: number, children: Child[]): Promise<Config> {
  let endpoint: string;
  let publish: Config["publish"];
  let close: () => void;
  if (impl === "bunzmq") {
    const pub = new Publisher({ linger: 0, noDrop: !DROP, sendHighWaterMark: HWM });
    await pub.bind("tcp://127.0.0.1:*");
    endpoint = pub.lastEndpoint!;
    publish = async (count, size) => {
      const msg = body(size);
      if (DROP) {
        for (let i = 0; i < count; i++) {
          pub.trySend(msg);
          if ((i & 1023) === 1023) await new Promise((resolve) => setImmediate(resolve));
        }
      } else {
        for (let i = 0; i < count; i++) if (!pub.trySend(msg)) await pub.send(msg);
      }
    };
    close = () => pub.close();
  } else {
    const pub = new PubSubSocket(ZMQ.PUB);
    pub.setInt(ZMQ.SNDHWM, HWM);
    if (!DROP) pub.setInt(ZMQ.XPUB_NODROP, 1);
    pub.setInt(ZMQ.SNDTIMEO, 5000);
    pub.bind("tcp://127.0.0.1:*");
    endpoint = pub.lastEndpoint;
    publish = async (count, size) => pub.sendMany(body(size), size, count);
    close = () => pub.close(0);
  }
  const subs: Child[] = [];
  for (let i = 0; i < subCount; i++) {
    const child = await Child.spawn(`${impl} SUB ${i + 1}`, "sub-fixture.ts", [impl, endpoint]);
    children.push(child);
    subs.push(child);
    if (child.hello !== "READY") throw new Error(`${child.name} said "${child.hello}"`);
  }
  const config: Config = { label: `${impl} PUB → ${subCount} ${impl} SUB`, impl, subs, publish, close, error: null };
  await join(config);
  return config;
}

/** The slow-joiner wait: publish 1 B messages until every subscriber has received one. */
async function join(config: Config): Promise<void> {
  const joined = Promise.all(config.subs.map((s) => s.askWithin("JOIN", 12_000)));
  let done = false;
  joined.finally(() => (done = true)).catch(() => {});
  while (!done) {
    await config.publish(1, 1);
    await Bun.sleep(5);
  }
  const answers = await joined;
  if (answers.some((a) => a !== "JOINED")) throw new Error(`${config.label}: join answers ${answers.join(", ")}`);
  await Bun.sleep(50); // let the last 1 B strays arrive before the first batch
}

async function batch(config: Config, count: number): Promise<BatchResult> {
  if (config.error) throw new Error(config.error);
  const t0 = performance.now();
  const answers = config.subs.map((s) => s.askWithin(`${count} ${SIZE} ${QUIET_MS}`, ANSWER_MS));
  await config.publish(count, SIZE);
  const sent = performance.now();
  const results = (await Promise.all(answers)).map((line) => {
    const [word, got, ns] = line.split(" ");
    if (word !== "OK") throw new Error(`${config.label}: subscriber answered "${line}"`);
    return { got: Number(got), ns: Number(ns) };
  });
  const t1 = performance.now();
  const fewest = Math.min(...results.map((r) => r.got));
  if (!DROP) {
    if (fewest !== count) throw new Error(`${config.label}: a subscriber got ${fewest} of ${count} messages without drops`);
    return { perSub: count / ((t1 - t0) / 1000), delivered: 1, published: count / ((sent - t0) / 1000) };
  }
  const perSub = Math.min(...results.map((r) => (r.ns > 0 ? r.got / (r.ns / 1e9) : 0)));
  return { perSub, delivered: fewest / count, published: count / ((sent - t0) / 1000) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

interface RowResult {
  label: string;
  subscribers: number;
  count: number;
  rounds: BatchResult[];
  perSub: number | null;
  delivered: number | null;
  published: number | null;
  ratio: number | null;
  error: string | null;
}

function printTable(subCount: number, count: number, rows: RowResult[]): void {
  const w = Math.max(...rows.map((r) => r.label.length)) + 2;
  console.log(
    `\n1 PUB → ${subCount} SUB, ${SIZE} B messages, ${DROP ? "plain PUB (drops at the HWM)" : "no drop (XPUB_NODROP / noDrop)"}, HWM ${HWM} — N = ${count.toLocaleString("en-US")} per batch` +
      `${ROUNDS > 1 ? `, median of ${ROUNDS} interleaved rounds` : ""}`,
  );
  console.log(
    `${"implementation".padEnd(w)} ${"msgs/s per SUB".padStart(15)} ${"all SUBs".padStart(9)} ${"vs libzmq".padStart(9)}` +
      `${DROP ? ` ${"published/s".padStart(11)} ${"drop %".padStart(7)}` : ""}${ROUNDS > 1 ? "   per SUB per round" : ""}`,
  );
  console.log("-".repeat(w + 36 + (DROP ? 20 : 0) + (ROUNDS > 1 ? 30 : 0)));
  for (const r of rows) {
    if (r.perSub === null) {
      console.log(`${r.label.padEnd(w)} ${"FAILED".padStart(15)}   ${r.error ?? ""}`);
      continue;
    }
    const ratio = r.ratio === null ? "n/a" : `${r.ratio.toFixed(2)}×`;
    const drop = DROP ? ` ${rate(r.published!).padStart(11)} ${((1 - r.delivered!) * 100).toFixed(1).padStart(7)}` : "";
    const spread = ROUNDS > 1 ? `   ${r.rounds.map((x) => rate(x.perSub)).join(" / ")}` : "";
    console.log(`${r.label.padEnd(w)} ${rate(r.perSub).padStart(15)} ${rate(r.perSub * subCount).padStart(9)} ${ratio.padStart(9)}${drop}${spread}`);
    if (r.error) console.log(`${"".padEnd(w)}   (some rounds failed: ${r.error})`);
  }
}

async function main(): Promise<number> {
  const started = performance.now();
  const context = runContext();
  console.log(`PUB fan-out over tcp://127.0.0.1, subscribers in child processes — ${contextLine(context)}${QUICK ? ", --quick" : ""}${DROP ? ", --drop" : ""}`);
  const results: RowResult[] = [];
  let exitCode = 0;
  try {
    for (const subCount of SUBS) {
      const children: Child[] = [];
      const configs: Config[] = [];
      try {
        for (const impl of ["bunzmq", "libzmq"] as const) {
          try {
            configs.push(await makeConfig(impl, subCount, children));
          } catch (error) {
            process.stderr.write(`${impl} × ${subCount}: set-up failed: ${(error as Error).message}\n`);
            configs.push({ label: `${impl} PUB → ${subCount} ${impl} SUB`, impl, subs: [], publish: async () => {}, close: () => {}, error: (error as Error).message });
          }
        }
        // Warm-up and probe: N such that a batch takes ~TARGET_MS at the geometric mean speed.
        const speeds: number[] = [];
        for (const config of configs) {
          try {
            for (let i = 0; i < 2; i++) await batch(config, PROBE);
            speeds.push((await batch(config, PROBE)).perSub);
          } catch (error) {
            config.error ??= (error as Error).message;
          }
        }
        const geomean = speeds.length ? Math.exp(speeds.reduce((a, x) => a + Math.log(x), 0) / speeds.length) : 100_000;
        const magnitude = 10 ** Math.max(0, Math.floor(Math.log10((geomean * TARGET_MS) / 1000)) - 1);
        const count = Math.max(1000, Math.round((geomean * TARGET_MS) / 1000 / magnitude) * magnitude);
        process.stderr.write(`${subCount} SUB: probe ${configs.map((c, i) => `${c.impl} ${speeds[i] ? rate(speeds[i]!) : "—"}`).join(", ")} msgs/s per SUB -> N = ${count}\n`);
        const rounds = new Map<Config, BatchResult[]>(configs.map((c) => [c, []]));
        for (let round = 0; round < ROUNDS; round++) {
          for (const config of configs) {
            if (config.error) continue;
            try {
              const r = await batch(config, count);
              rounds.get(config)!.push(r);
              process.stderr.write(`  ${config.label} #${round + 1}: ${rate(r.perSub)} msgs/s per SUB${DROP ? `, ${((1 - r.delivered) * 100).toFixed(1)}% dropped` : ""}\n`);
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
            ratio: null,
            error: c.error,
          };
        });
        const base = rows.find((r) => r.label.startsWith("libzmq"))?.perSub ?? null;
        for (const r of rows) r.ratio = base === null || r.perSub === null ? null : r.perSub / base;
        printTable(subCount, count, rows);
        results.push(...rows);
      } finally {
        await Promise.all(children.map((c) => c.stop()));
        for (const config of configs) config.close();
      }
    }
    const elapsed = (performance.now() - started) / 1000;
    console.log(
      `\nmsgs/s per SUB = messages each subscriber received per second, the slowest subscriber's figure; all SUBs = that × subscribers. Whole run: ${elapsed.toFixed(1)} s.`,
    );
    const failed = results.filter((r) => r.error);
    if (failed.length > 0) {
      console.log(`FAILED rows (exit code 1): ${failed.map((r) => `${r.label}: ${r.error}`).join("; ")}`);
      exitCode = 1;
    }
    if (SAVE) {
      const path = saveRecord("pub-fanout", context, {
        mode: QUICK ? "quick" : "full",
        drop: DROP,
        highWaterMark: HWM,
        size: SIZE,
        rounds: ROUNDS,
        rows: results,
        elapsedSeconds: elapsed,
      });
      console.log(`Results: ${path}`);
    }
  } catch (error) {
    process.stderr.write(`pub-fanout failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    exitCode = 1;
  }
  return exitCode;
}

process.exitCode = await main();
