// Many connections with and without I/O threads (issue 14): N DEALERs, each doing R request/reply
// rounds at once against one ROUTER, over tcp, with the measured side's engines on the application
// thread (ioThreads 0) or in 1 or 2 Workers. Two rows per thread count, each side in a process of
// its own (bench/fixtures/connections-fixture.ts), so that RSS is the measured side's alone:
//   clients  the N DEALERs are measured (the ROUTER's process runs without I/O threads)
//   server   the ROUTER is measured, its N accepted connections handed to its Workers (the DEALERs'
//            process runs without I/O threads)
// Each cell: the wall time from the first connect to the last reply (the DEALERs' process times
// it), and the measured process's RSS: the I/O threads' start-up (RSS growth while one connection
// per thread starts them), the RSS per connection after that (growth over the run, over N), and the
// peak during the run over the RSS before it. RSS is settled, the peak not
// (bench/fixtures/connections-fixture.ts says how).
// Run: `bun run bench:connections [options]` (`--help`). Medians of 3 repeats, interleaved (quick:
// 1 of 500 connections). Ctrl-C: the run under way ends, the cells printed so far stand, nothing is
// saved (exit 130).

import { COMMON_OPTIONS, Interrupted, benchCommand, reportInterrupted } from "../harness/command.ts";
import { Child } from "../harness/child.ts";
import { contextLine, finishRun, runContext } from "../report/run-record.ts";

const USAGE = `
usage: bun run bench:connections [options]

N DEALERs doing R request/reply rounds against one ROUTER, the DEALERs' side (clients) or the
ROUTER's (server) measured with ioThreads 0, 1 and 2: wall time, the I/O threads' start-up, RSS per
connection and the peak. Each side runs in a child process.

options:
  --quick              500 connections, one repeat
  --connections N      DEALERs (default 2000)
  --rounds R           request/reply rounds each (default 10)
  --threads LIST       I/O thread counts to measure (default 0,1,2)
  --sides LIST         clients, server or both (default clients,server)
  --repeats N          interleaved repeats, the median reported (default 3)
  --no-save            do not write bench/results/*.json
`;
const SIDE_OPTIONS = {
  ...COMMON_OPTIONS,
  connections: { type: "string" },
  rounds: { type: "string" },
  threads: { type: "string" },
  sides: { type: "string" },
  repeats: { type: "string" },
} as const;
const { cli, interrupt } = benchCommand("connections", USAGE, SIDE_OPTIONS);
const QUICK = cli.flag("quick");
const CONNECTIONS = cli.number("connections", QUICK ? 500 : 2000);
const ROUNDS = cli.number("rounds", 10);
const REPEATS = cli.number("repeats", QUICK ? 1 : 3);
const THREADS = cli.numbers("threads", "0,1,2");
const SIDES = cli.convert("sides", (text) => {
  const sides = (text ?? "clients,server").split(",");
  for (const side of sides) if (side !== "clients" && side !== "server") throw new Error(`"${side}" is neither clients nor server`);
  return sides as Side[];
});
const FIXTURE = new URL("../fixtures/connections-fixture.ts", import.meta.url);
/** A run that has not answered within this long is hung (its cell fails). */
const ANSWER_MS = 150_000;

type Side = "clients" | "server";
interface Sample {
  wallMs: number;
  handshakeMs: number;
  startupMib: number;
  kibPerConnection: number;
  /** The highest RSS during the run, over the RSS before it. */
  peakMib: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

/** One run: a ROUTER process and a DEALERs process, the `measured` one with `threads` I/O threads. */
async function runOnce(measured: Side, threads: number): Promise<Sample> {
  const routerThreads = measured === "server" ? threads : 0;
  const dealerThreads = measured === "clients" ? threads : 0;
  const router = await Child.spawn("router", FIXTURE, ["router", String(routerThreads), String(CONNECTIONS)]);
  let dealers: Child | null = null;
  const ask = async (child: Child, line: string, expect: string): Promise<number[]> => {
    const reply = await child.askWithin(line, ANSWER_MS);
    if (!reply.startsWith(`${expect} `)) throw new Error(`${child.name}: ${reply}`);
    return reply.split(" ").slice(1).map(Number);
  };
  try {
    dealers = await Child.spawn("dealers", FIXTURE, ["dealers", String(dealerThreads), String(CONNECTIONS), router.endpoint]);
    // One connection per I/O thread starts them all (each goes to the least loaded).
    const [routerBefore] = await ask(router, "MARK", "MARK");
    const [dealersBefore, dealersWarm] = await ask(dealers, `WARM ${Math.max(threads, 1)}`, "WARM");
    const [routerWarm] = await ask(router, "MARK", "MARK");
    const reply = await dealers.askWithin(`RUN ${ROUNDS}`, ANSWER_MS);
    if (!reply.startsWith("DONE ")) throw new Error(`dealers: ${reply}`);
    const run = JSON.parse(reply.slice(5)) as { wallMs: number; handshakeMs: number; baseline: number; rss: number; peak: number };
    const [, routerAfter, routerPeak] = await ask(router, "RSS", "RSS");
    const [before, warm, baseline, after, peak] =
      measured === "server"
        ? [routerBefore!, routerWarm!, routerWarm!, routerAfter!, routerPeak!]
        : [dealersBefore!, dealersWarm!, run.baseline, run.rss, run.peak];
    return {
      wallMs: run.wallMs,
      handshakeMs: run.handshakeMs,
      startupMib: (warm - before) / 2 ** 20,
      kibPerConnection: (after - baseline) / CONNECTIONS / 1024,
      peakMib: (peak - baseline) / 2 ** 20,
    };
  } finally {
    await dealers?.stop();
    await router.stop();
  }
}

/** Runs every cell REPEATS times, interleaved; each sample goes to `samples`, each failure to `failed`. */
async function measureAll(samples: Map<string, Sample[]>, failed: string[]): Promise<void> {
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    for (const side of SIDES) {
      for (const threads of THREADS) {
        interrupt.check();
        const key = `${side} ${threads}`;
        try {
          const sample = await runOnce(side, threads);
          samples.set(key, [...(samples.get(key) ?? []), sample]);
          process.stderr.write(
            `  ${key}: ${sample.wallMs.toFixed(0)} ms, start-up ${sample.startupMib.toFixed(1)} MiB, ` +
              `${sample.kibPerConnection.toFixed(1)} KiB per connection, peak +${sample.peakMib.toFixed(0)} MiB\n`,
          );
        } catch (error) {
          failed.push(`${key}: ${(error as Error).message}`);
        }
      }
    }
  }
}

/** Prints the medians of what was measured, with the ratios to ioThreads 0; returns the rows. */
function printTable(samples: Map<string, Sample[]>): Array<{ side: Side; threads: number } & Sample> {
  const rows: Array<{ side: Side; threads: number } & Sample> = [];
  console.log(
    `${"side".padEnd(8)} ${"ioThreads".padEnd(10)} ${"wall ms".padStart(8)} ${"handshakes ms".padStart(14)} ` +
      `${"start-up MiB".padStart(13)} ${"KiB/conn".padStart(9)} ${"all KiB/conn".padStart(13)} ${"peak MiB".padStart(9)}   against ioThreads 0`,
  );
  const all = (r: Sample) => r.kibPerConnection + (r.startupMib * 1024) / CONNECTIONS;
  for (const side of SIDES) {
    for (const threads of THREADS) {
      const cell = samples.get(`${side} ${threads}`);
      if (cell === undefined) continue;
      const of = (field: keyof Sample) => median(cell.map((sample) => sample[field]));
      const row = {
        side,
        threads,
        wallMs: of("wallMs"),
        handshakeMs: of("handshakeMs"),
        startupMib: of("startupMib"),
        kibPerConnection: of("kibPerConnection"),
        peakMib: of("peakMib"),
      };
      rows.push(row);
      const base = rows.find((r) => r.side === side && r.threads === 0);
      const ratios =
        base && threads !== 0
          ? `time ${(row.wallMs / base.wallMs).toFixed(2)}×, KiB/conn ${(row.kibPerConnection / base.kibPerConnection).toFixed(2)}× (all ${(all(row) / all(base)).toFixed(2)}×)`
          : "";
      console.log(
        `${side.padEnd(8)} ${String(threads).padEnd(10)} ${row.wallMs.toFixed(0).padStart(8)} ${row.handshakeMs.toFixed(0).padStart(14)} ` +
          `${row.startupMib.toFixed(1).padStart(13)} ${row.kibPerConnection.toFixed(1).padStart(9)} ${all(row).toFixed(1).padStart(13)} ` +
          `${row.peakMib.toFixed(0).padStart(9)}   ${ratios}`,
      );
    }
  }
  return rows;
}

async function main(): Promise<number> {
  const started = performance.now();
  const context = runContext();
  console.log(contextLine(context));
  console.log(
    `${CONNECTIONS} DEALERs × ${ROUNDS} request/reply rounds against one ROUTER, ioThreads ${THREADS.join(" / ")}; ` +
      `${REPEATS === 1 ? "one repeat" : `median of ${REPEATS} repeats`}\n`,
  );
  const samples = new Map<string, Sample[]>();
  const failed: string[] = [];
  try {
    await measureAll(samples, failed);
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
    printTable(samples);
    return reportInterrupted("connections", started);
  }
  const rows = printTable(samples);
  return finishRun({
    bench: "connections",
    context,
    footer:
      "KiB/conn: the measured process's settled RSS growth over the run, per connection; all KiB/conn adds the I/O threads' start-up, spread over the connections.",
    failed,
    save: !cli.flag("no-save"),
    record: { connections: CONNECTIONS, rounds: ROUNDS, repeats: REPEATS, rows },
  });
}

process.exitCode = await main();
