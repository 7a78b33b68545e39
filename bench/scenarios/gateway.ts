// The game gateway path end to end (examples/gateway, docs/gateway.md): simulated players → WebSocket →
// gateway → PUSH → game servers → PUSH → gateway → WebSocket → players, every role its own process.
// Options: USAGE below (`--help`). Ctrl-C: the one-second windows measured so far are reported
// (exit 130).
//
// Closed loop: each player keeps `window` actions unanswered and sends the next one as soon as one is
// answered, so the run shows the most actions/s the path carries and the latency at that load. The
// figures come from the players' process: answered actions per second over the measured seconds, and
// p50/p99 of the per-action round trip (player send → player receive), from each second's samples.
// Nothing here is compared with libzmq: the gateway's ZeroMQ hops are bunzmq at both ends.

import type { Subprocess } from "bun";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readLines } from "../../common/read-lines.ts";
import { benchCommand, Interrupted, reportInterrupted } from "../harness/command.ts";

const USAGE = `
usage: bun run bench:gateway [options]

The game gateway (examples/gateway) end to end under a closed loop: actions/s answered and the
players' round-trip p50/p99. Every role is its own process.

options:
  --players N        simulated players (default 1000)
  --servers N        game servers (default 4)
  --window W         actions each player keeps in flight (default 4)
  --seconds S        measured seconds (default 5; --quick 3)
  --warmup S         seconds before measuring (default 2; --quick 1)
  --work-us U        CPU time per action at a server, µs (default 0)
  --at-least-once    the gateway's at-least-once mode
  --durable          its durable at-least-once mode (--swap-dir, a temporary directory removed after)
  --quick            shorter warm-up and measurement
`;
const { cli, interrupt } = benchCommand("gateway", USAGE, {
  quick: { type: "boolean" },
  players: { type: "string" },
  servers: { type: "string" },
  window: { type: "string" },
  seconds: { type: "string" },
  warmup: { type: "string" },
  "work-us": { type: "string" },
  "at-least-once": { type: "boolean" },
  durable: { type: "boolean" },
});
const quick = cli.flag("quick");
const PLAYERS = cli.number("players", 1000);
const SERVERS = cli.number("servers", 4);
const WINDOW = cli.number("window", 4);
const SECONDS = cli.number("seconds", quick ? 3 : 5);
const WARMUP = cli.number("warmup", quick ? 1 : 2);
const WORK_US = cli.number("work-us", 0);
const DURABLE = cli.flag("durable") ? mkdtempSync(join(tmpdir(), "bunzmq-bench-gateway-")) : null;
const AT_LEAST_ONCE = cli.flag("at-least-once") || DURABLE !== null;

const CLUSTER = new URL("../../examples/gateway/cluster.ts", import.meta.url).pathname;

interface Role {
  process: Subprocess<"ignore", "pipe", "inherit">;
  ready: Record<string, string>;
  stats: Array<Record<string, number>>;
}

async function spawnRole(args: string[]): Promise<Role> {
  const process = Bun.spawn(["bun", CLUSTER, ...args], { stdin: "ignore", stdout: "pipe", stderr: "inherit" });
  roles.push({ process, ready: {}, stats: [] });
  const lines = readLines(process.stdout);
  const first = (await interrupt.race(lines.next())).value as string | undefined;
  if (first === undefined || !first.startsWith("READY ")) throw new Error(`${args.join(" ")} did not start: ${String(first)}`);
  const role = roles.at(-1)!;
  role.ready = JSON.parse(first.slice(6));
  void (async () => {
    for await (const line of lines) if (line.startsWith("STATS ")) role.stats.push(JSON.parse(line.slice(6)));
  })();
  return role;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.floor(sorted.length / 2)]!;
};

/** Every role started, for the clean-up (pushed as soon as its process exists). */
const roles: Role[] = [];

/** The measured windows' figures (all of them, or those before Ctrl-C). */
function report(measured: Array<Record<string, number>>, gateway: Role): void {
  if (measured.length === 0) return console.log("game gateway path — no one-second window was measured");
  const rate = measured.reduce((sum, s) => sum + s.answeredPerSecond!, 0) / Math.max(1, measured.length);
  const shares = ((gateway.stats.at(-1)?.servers ?? []) as unknown as Array<{ id: number; perSecond: number }>).map(
    (s) => `${s.id}: ${Math.round(s.perSecond)}/s`,
  );
  console.log(
    `game gateway path — ${PLAYERS} players (closed loop, ${WINDOW} in flight each), ${SERVERS} servers, ${DURABLE !== null ? "durable at-least-once" : AT_LEAST_ONCE ? "at-least-once" : "plain"}, work ${WORK_US} µs/action`,
  );
  console.log(`  actions answered: ${Math.round(rate).toLocaleString("en-US")} /s (mean of ${measured.length} one-second windows)`);
  console.log(
    `  end-to-end latency: p50 ${median(measured.map((s) => s.p50!)).toFixed(2)} ms, p99 ${median(measured.map((s) => s.p99!)).toFixed(2)} ms (median over the windows)`,
  );
  console.log(`  per server (last second): ${shares.join(", ")}`);
}

const started = performance.now();
try {
  const mode = DURABLE !== null ? ["--swap-dir", DURABLE] : AT_LEAST_ONCE ? ["--at-least-once"] : [];
  const gateway = await spawnRole(["--role", "gateway", ...mode]);
  for (let id = 1; id <= SERVERS; id++) {
    await spawnRole(["--role", "server", "--gateway", gateway.ready.results!, "--id", String(id), "--work-us", String(WORK_US)]);
  }
  // Wait until the gateway reports every server connected before any player starts.
  const deadline = performance.now() + 10_000;
  while (
    (gateway.stats.at(-1)?.servers as unknown as Array<{ connected: boolean }> | undefined)?.filter((s) => s.connected).length !== SERVERS
  ) {
    if (performance.now() > deadline) throw new Error("the gateway did not connect to every server within 10 s");
    if (await interrupt.sleep(50)) throw new Interrupted();
  }
  const players = await spawnRole([
    "--role",
    "players",
    "--url",
    gateway.ready.ws!,
    "--players",
    String(PLAYERS),
    "--window",
    String(WINDOW),
  ]);
  process.stderr.write(`warming up ${WARMUP} s, measuring ${SECONDS} s ...\n`);
  const warmedUp = !(await interrupt.sleep(WARMUP * 1000));
  const from = players.stats.length;
  const stopped = !warmedUp || (await interrupt.sleep(SECONDS * 1000 + 200));
  // After Ctrl-C, only the windows that closed before it count (none during the warm-up).
  const measured = warmedUp ? players.stats.slice(from, from + SECONDS) : [];
  report(measured, gateway);
  if (stopped) process.exitCode = reportInterrupted("gateway", started);
} catch (error) {
  if (!(error instanceof Interrupted)) throw error;
  process.exitCode = reportInterrupted("gateway", started);
} finally {
  for (const role of roles.reverse()) role.process.kill("SIGTERM");
  await Promise.all(roles.map((role) => role.process.exited));
  if (DURABLE !== null) rmSync(DURABLE, { recursive: true, force: true });
}
