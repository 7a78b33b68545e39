// The demo's terminal view: one refreshed block per second on a terminal (one line per second when
// piped), then the summary. Reads the STATS records the roles print (examples/gateway/roles.ts).
// Imports nothing.

/** What `bun run demo` was asked to run (./demo.ts), which the summary reports. */
export interface DemoOptions {
  durationSeconds: number;
  players: number;
  rate: number;
  atLeastOnce: boolean;
  workMicros: number;
  /** Port of the gateway's GET /metrics (0: any free port). */
  metricsPort: number;
  /** Seconds every server is down (0: the usual join/leave/kill schedule instead). */
  outageSeconds: number;
  /** The gateway's durable directory (null: a temporary one with an outage, none otherwise). */
  swapDirectory: string | null;
}

export interface DemoState {
  elapsed: number;
  duration: number;
  gateway: Record<string, unknown> | null;
  players: Record<string, unknown> | null;
  events: string[];
  atLeastOnce: boolean;
  /** Seconds into the run when Ctrl-C stopped it, or null (absent while it runs). */
  interruptedAt?: number | null;
}

interface ServerStats {
  id: number;
  connected: boolean;
  leaving: boolean;
  perSecond: number;
  answered: number;
  /** 0 to 1 (examples/gateway/metrics-model.ts). */
  share: number;
  queueDepth: number;
}

const tty = process.stdout.isTTY === true;
let linesDrawn = 0;

const num = (value: unknown, digits = 0): string => (typeof value === "number" ? value.toFixed(digits) : "-");
const mib = (bytes: unknown): string => (typeof bytes === "number" ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : "-");

function serverShares(gateway: Record<string, unknown> | null): string[] {
  const servers = (gateway?.servers ?? []) as ServerStats[];
  return servers.map((s) => {
    const share = 100 * s.share;
    const state = s.leaving ? "left" : s.connected ? "up" : "down";
    const bar = "█".repeat(Math.round(share / 4));
    return (
      `  server ${String(s.id).padEnd(3)} ${state.padEnd(5)} ${num(s.perSecond).padStart(7)}/s ${num(share).padStart(3)}% ` +
      `depth ${num(s.queueDepth, 1).padStart(6)} ${bar}`
    );
  });
}

export function renderLive(state: DemoState): void {
  const g = state.gateway;
  const p = state.players;
  const headline =
    `${num(state.elapsed, 0).padStart(3)}/${state.duration} s  ` +
    `actions ${num(p?.sentPerSecond).padStart(6)}/s  answered ${num(p?.answeredPerSecond).padStart(6)}/s  ` +
    `latency p50 ${num(p?.p50, 2)} ms  p99 ${num(p?.p99, 2)} ms  players ${num(p?.connected)}`;
  if (!tty) {
    const shares = ((g?.servers ?? []) as ServerStats[]).map((s) => `${s.id}:${num(s.perSecond)}${s.connected ? "" : "(down)"}`);
    console.log(`${headline}  servers ${shares.join(" ")}`);
    return;
  }
  const lines = [
    "bunzmq game cluster — gateway + game servers over PUSH/PULL" + (state.atLeastOnce ? " (at-least-once)" : ""),
    headline,
    `  gateway: backlog ${num(g?.backlog)}  awaiting answer ${num(g?.awaitingRedelivery)}  re-sent ${num(g?.redelivered)}  duplicates dropped ${num(g?.duplicates)}  on disk ${mib(g?.spillBytes)}`,
    ...serverShares(g),
    "",
    ...state.events.slice(-6),
  ];
  if (linesDrawn > 0) process.stdout.write(`\x1b[${linesDrawn}F\x1b[J`);
  process.stdout.write(`${lines.join("\n")}\n`);
  linesDrawn = lines.length;
}

/** Prints the summary; true when every action was answered exactly once (or, in plain mode, the run completed). */
export function renderSummary(state: DemoState, players: Record<string, unknown> | null, options: DemoOptions): boolean {
  linesDrawn = 0;
  const servers = ((state.gateway?.servers ?? []) as ServerStats[]).map((s) => `server ${s.id}: ${s.answered}`);
  const sent = Number(players?.sent ?? 0);
  const lost = Number(players?.lost ?? NaN);
  const duplicates = Number(players?.duplicates ?? NaN);
  const latency = players?.latency as { p50: number; p99: number; max: number } | null | undefined;
  console.log("");
  const ran =
    state.interruptedAt == null ? `${state.duration} s` : `interrupted after ${state.interruptedAt.toFixed(1)} of ${state.duration} s`;
  console.log(`Summary (${options.players} players, ${ran}, ${options.atLeastOnce ? "at-least-once" : "plain PUSH"})`);
  for (const event of state.events) console.log(`  ${event}`);
  console.log(
    `  actions sent ${sent}, answered ${num(players?.answered)}, lost ${num(lost)}, duplicates seen by players ${num(duplicates)}`,
  );
  if (latency)
    console.log(
      `  end-to-end latency p50 ${latency.p50.toFixed(2)} ms, p99 ${latency.p99.toFixed(2)} ms, max ${latency.max.toFixed(1)} ms`,
    );
  console.log(`  answered per server: ${servers.join(", ")}`);
  const g = state.gateway;
  if (options.atLeastOnce && g !== null)
    console.log(`  gateway: ${num(g.redelivered)} actions sent again, ${num(g.duplicates)} late answers dropped`);
  const peak = g?.peakSpillBytes;
  if (typeof peak === "number" && peak > 0) console.log(`  gateway: peak ${mib(peak)} of actions on disk (swap)`);
  if (!options.atLeastOnce && lost > 0) {
    console.log(
      `  The ${lost} lost actions were held by the server killed hard: plain PUSH has no acknowledgements (run with --at-least-once).`,
    );
  }
  return players !== null && duplicates === 0 && (!options.atLeastOnce || lost === 0);
}
