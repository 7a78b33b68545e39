// One cluster role per process, as `bun examples/gateway/cluster.ts --role <role> ...` runs it: the
// gateway, a game server, or the simulated players. Each prints one `STATS {json}` line per second on
// stdout (the demo's dashboard reads them; a person can too) and stops cleanly on SIGTERM or SIGINT:
// a game server stops gracefully (nothing lost); SIGKILL is the hard kill.

import { Gateway } from "./gateway.ts";
import { GameServer } from "./game-server.ts";
import { SimulatedPlayers } from "./players.ts";

export interface RoleArgs {
  role: "gateway" | "server" | "players";
  /** gateway: results bind endpoint; server: the gateway's results endpoint to connect to. */
  results?: string;
  wsHostname?: string;
  wsPort?: number;
  atLeastOnce?: boolean;
  /** gateway: unanswered actions one player may have before it is dropped as a flood. */
  maxInFlight?: number;
  /** gateway: bytes of actions queued on disk while no server can take them (0: none). */
  swapBytes?: number;
  /** gateway: durable at-least-once in this directory (docs/gateway.md, "Overload to disk"). */
  swapDirectory?: string;
  /** gateway: fsync its journals too. */
  swapSync?: boolean;
  /** gateway: where GET /metrics is served (default 127.0.0.1, any free port). */
  metricsHostname?: string;
  metricsPort?: number;
  /** server */
  id?: number;
  bind?: string;
  advertise?: string;
  workMicros?: number;
  /** players */
  url?: string;
  players?: number;
  rate?: number;
  window?: number;
}

function report(kind: string, value: object): void {
  process.stdout.write(`${kind} ${JSON.stringify(value)}\n`);
}

/** Resolves on the first SIGTERM or SIGINT. */
function terminated(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGTERM", () => resolve());
    process.once("SIGINT", () => resolve());
  });
}

export async function runRole(args: RoleArgs): Promise<void> {
  if (args.role === "gateway") return runGateway(args);
  if (args.role === "server") return runServer(args);
  return runPlayers(args);
}

async function runGateway(args: RoleArgs): Promise<void> {
  const options: ConstructorParameters<typeof Gateway>[0] = { atLeastOnce: args.atLeastOnce ?? false };
  if (args.results !== undefined) options.resultsEndpoint = args.results;
  if (args.wsHostname !== undefined) options.wsHostname = args.wsHostname;
  if (args.wsPort !== undefined) options.wsPort = args.wsPort;
  if (args.metricsHostname !== undefined) options.metricsHostname = args.metricsHostname;
  if (args.metricsPort !== undefined) options.metricsPort = args.metricsPort;
  if (args.maxInFlight !== undefined) options.maxInFlightPerPlayer = args.maxInFlight;
  if (args.swapBytes !== undefined) options.swapBytes = args.swapBytes;
  if (args.swapDirectory !== undefined) options.swapDirectory = args.swapDirectory;
  if (args.swapSync !== undefined) options.swapSync = args.swapSync;
  const gateway = new Gateway(options);
  await gateway.start();
  report("READY", { results: gateway.resultsEndpoint, ws: gateway.wsUrl, metrics: gateway.metricsUrl, page: gateway.pageUrl });
  const timer = setInterval(() => report("STATS", gateway.snapshot()), 1000);
  await terminated();
  clearInterval(timer);
  report("STATS", gateway.snapshot());
  await gateway.close();
}

async function runServer(args: RoleArgs): Promise<void> {
  if (args.results === undefined) throw new Error("--role server needs --gateway <results endpoint>");
  const server = new GameServer({
    id: args.id ?? process.pid,
    gateway: args.results,
    ...(args.bind === undefined ? {} : { bind: args.bind }),
    ...(args.advertise === undefined ? {} : { advertise: args.advertise }),
    ...(args.workMicros === undefined ? {} : { workMicros: args.workMicros }),
  });
  await server.start();
  report("READY", { id: server.id, endpoint: server.endpoint });
  const timer = setInterval(() => report("STATS", { id: server.id, handled: server.handled }), 1000);
  await terminated();
  clearInterval(timer);
  await server.stop();
  report("STOPPED", { id: server.id, handled: server.handled });
}

async function runPlayers(args: RoleArgs): Promise<void> {
  if (args.url === undefined) throw new Error("--role players needs --url ws://host:port/play");
  const players = new SimulatedPlayers({
    url: args.url,
    players: args.players ?? 1000,
    ...(args.rate === undefined ? {} : { rate: args.rate }),
    ...(args.window === undefined ? {} : { window: args.window }),
  });
  await players.start();
  report("READY", { players: args.players ?? 1000 });
  const timer = setInterval(() => report("STATS", players.snapshot()), 1000);
  await terminated();
  clearInterval(timer);
  report("SUMMARY", await players.stop());
}
