// The game gateway path end to end (examples/gateway, docs/gateway.md): simulated players → WebSocket →
// gateway → PUSH → game servers → PUSH → gateway → WebSocket → players, every role its own process.
//
//   bun run bench:gateway [--players 1000] [--servers 4] [--window 4] [--seconds 5] [--warmup 2]
//                         [--at-least-once] [--work-us 0] [--quick]
//
// Closed loop: each player keeps `window` actions unanswered and sends the next one as soon as one is
// answered, so the run shows the most actions/s the path carries and the latency at that load. The
// figures come from the players' process: answered actions per second over the measured seconds, and
// p50/p99 of the per-action round trip (player send → player receive), from each second's samples.
// Nothing here is compared with libzmq: the gateway's ZeroMQ hops are bunzmq at both ends.

import type { Subprocess } from "bun";
import { readLines } from "../../common/read-lines.ts";

const argv = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const quick = argv.includes("--quick");
const PLAYERS = option("players", 1000);
const SERVERS = option("servers", 4);
const WINDOW = option("window", 4);
const SECONDS = option("seconds", quick ? 3 : 5);
const WARMUP = option("warmup", quick ? 1 : 2);
const WORK_US = option("work-us", 0);
const AT_LEAST_ONCE = argv.includes("--at-least-once");

const CLUSTER = new URL("../../examples/gateway/cluster.ts", import.meta.url).pathname;

interface Role {
  process: Subprocess<"ignore", "pipe", "inherit">;
  ready: Record<string, string>;
  stats: Array<Record<string, number>>;
}

async function spawnRole(args: string[]): Promise<Role> {
  const process = Bun.spawn(["bun", CLUSTER, ...args], { stdin: "ignore", stdout: "pipe", stderr: "inherit" });
  const lines = readLines(process.stdout);
  const first = (await lines.next()).value as string | undefined;
  if (first === undefined || !first.startsWith("READY ")) throw new Error(`${args.join(" ")} did not start: ${String(first)}`);
  const role: Role = { process, ready: JSON.parse(first.slice(6)), stats: [] };
  void (async () => {
    for await (const line of lines) if (line.startsWith("STATS ")) role.stats.push(JSON.parse(line.slice(6)));
  })();
  return role;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.floor(sorted.length / 2)]!;
};

const roles: Role[] = [];
try {
  const gateway = await spawnRole(["--role", "gateway", ...(AT_LEAST_ONCE ? ["--at-least-once"] : [])]);
  roles.push(gateway);
  for (let id = 1; id <= SERVERS; id++) {
    roles.push(
      await spawnRole(["--role", "server", "--gateway", gateway.ready.results!, "--id", String(id), "--work-us", String(WORK_US)]),
    );
  }
  // Wait until the gateway reports every server connected before any player starts.
  const deadline = performance.now() + 10_000;
  while (
    (gateway.stats.at(-1)?.servers as unknown as Array<{ connected: boolean }> | undefined)?.filter((s) => s.connected).length !== SERVERS
  ) {
    if (performance.now() > deadline) throw new Error("the gateway did not connect to every server within 10 s");
    await Bun.sleep(50);
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
  roles.push(players);
  process.stderr.write(`warming up ${WARMUP} s, measuring ${SECONDS} s ...\n`);
  await Bun.sleep(WARMUP * 1000);
  const from = players.stats.length;
  await Bun.sleep(SECONDS * 1000 + 200);
  const measured = players.stats.slice(from, from + SECONDS);
  const rate = measured.reduce((sum, s) => sum + s.answeredPerSecond!, 0) / Math.max(1, measured.length);
  const shares = (gateway.stats.at(-1)?.servers as unknown as Array<{ id: number; perSecond: number }>).map(
    (s) => `${s.id}: ${Math.round(s.perSecond)}/s`,
  );
  console.log(
    `game gateway path — ${PLAYERS} players (closed loop, ${WINDOW} in flight each), ${SERVERS} servers, ${AT_LEAST_ONCE ? "at-least-once" : "plain"}, work ${WORK_US} µs/action`,
  );
  console.log(`  actions answered: ${Math.round(rate).toLocaleString("en-US")} /s (mean of ${measured.length} one-second windows)`);
  console.log(
    `  end-to-end latency: p50 ${median(measured.map((s) => s.p50!)).toFixed(2)} ms, p99 ${median(measured.map((s) => s.p99!)).toFixed(2)} ms (median over the windows)`,
  );
  console.log(`  per server (last second): ${shares.join(", ")}`);
} finally {
  for (const role of roles.reverse()) role.process.kill("SIGTERM");
  await Promise.all(roles.map((role) => role.process.exited));
}
