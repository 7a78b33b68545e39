// The game cluster's command line. Without --role it runs the whole demo on this machine; with one it
// runs that role alone, so the same code spreads over many hosts (docs/gateway.md). The options are
// in USAGE below (`--help` prints it).

import { parseCommandLine } from "../../common/command-line.ts";
import { runDemo } from "./demo.ts";
import { runRole, type RoleArgs } from "./roles.ts";

const USAGE = `
usage: bun run demo [options]                      the whole cluster on this machine, with a live view
       bun examples/gateway/cluster.ts --role gateway|server|players [options]    one role (docs/gateway.md)

The game gateway demo: players on WebSockets, a gateway, game servers behind bunzmq PUSH/PULL. The
demo starts a gateway, three servers and the players; a fourth server joins a quarter of the way in,
one stops gracefully at half way, one is killed at three quarters; then it prints a summary. With
--outage S instead, every server is killed a quarter of the way in and started again S seconds
later: the gateway queues the actions on disk meanwhile (the summary shows the peak bytes spilled).
Ctrl-C stops it early, with a summary of what happened until then.

demo options:
  --duration S          seconds to run (default 20)
  --players N           simulated players (default 1000)
  --rate R              actions per second per player (default 10)
  --plain               plain PUSH, no acknowledgements (default: at-least-once)
  --work-us U           CPU time each action costs a server, µs (default 20)
  --metrics-port P      port of the gateway's GET /metrics (default 0: any free port, printed)
  --outage S            kill every server at a quarter of the run, start them again S s later
                        (the run lasts at least until S + 5 s after they are back)
  --swap-dir DIR        durable at-least-once: the gateway journals actions in DIR (created if
                        missing); default with --outage: a temporary directory, removed after

--role gateway:
  --results ENDPOINT    where the results PULL binds (default tcp://127.0.0.1:*)
  --ws-host HOST        players' WebSocket address (default 127.0.0.1)
  --ws-port P           players' WebSocket port (default 0: any free port)
  --at-least-once       keep every action until answered, re-send after 1 s (longer while
                        answers come back old)
  --max-in-flight N     unanswered actions one player may have before it is dropped (default 1000)
  --swap-bytes N        bytes of actions queued on disk while no server can take them (default 0;
                        1 GiB with --swap-dir)
  --swap-dir DIR        durable at-least-once (implies --at-least-once): the actions PUSH's journal
                        and the gateway's journal of unanswered actions live in DIR; a gateway
                        restarted on DIR (after SIGKILL too) answers every action it had accepted to
                        players that reconnect as the same ws://…/play?player=<id>
  --swap-sync           also fsync both journals (survives a power loss, not only a crash)
  --metrics-host HOST   address of GET /metrics (default 127.0.0.1)
  --metrics-port P      its port (default 0: any free port, in the READY line)
--role server:
  --gateway ENDPOINT    the gateway's results endpoint (required)
  --bind ENDPOINT       where this server's actions PULL binds (default tcp://127.0.0.1:*)
  --advertise ENDPOINT  the endpoint announced to the gateway, if not the bound one
  --id N                the server's id (default its pid)
  --work-us U           CPU time per action, µs (default 20)
--role players:
  --url URL             the gateway's WebSocket, ws://host:port/play (required)
  --players N, --rate R as for the demo; --window W: closed loop, W actions in flight per player

Every role prints READY and one STATS {json} line per second, and stops cleanly on SIGTERM or Ctrl-C.
`;

const cli = parseCommandLine({
  usage: USAGE,
  options: {
    role: { type: "string" },
    duration: { type: "string" },
    players: { type: "string" },
    rate: { type: "string" },
    plain: { type: "boolean" },
    "work-us": { type: "string" },
    "metrics-host": { type: "string" },
    "metrics-port": { type: "string" },
    results: { type: "string" },
    "ws-host": { type: "string" },
    "ws-port": { type: "string" },
    "at-least-once": { type: "boolean" },
    gateway: { type: "string" },
    bind: { type: "string" },
    advertise: { type: "string" },
    id: { type: "string" },
    url: { type: "string" },
    window: { type: "string" },
    outage: { type: "string" },
    "swap-dir": { type: "string" },
    "max-in-flight": { type: "string" },
    "swap-bytes": { type: "string" },
    "swap-sync": { type: "boolean" },
  },
});

async function main(): Promise<number> {
  const role = cli.text("role");
  if (role === undefined) {
    return runDemo({
      durationSeconds: cli.number("duration", 20),
      players: cli.number("players", 1000),
      rate: cli.number("rate", 10),
      atLeastOnce: !cli.flag("plain"),
      workMicros: cli.number("work-us", 20),
      metricsPort: cli.number("metrics-port", 0),
      outageSeconds: cli.number("outage", 0),
      swapDirectory: cli.text("swap-dir") ?? null,
    });
  }
  if (role !== "gateway" && role !== "server" && role !== "players") return cli.fail(`unknown --role ${role}`);
  if (role === "server" && cli.text("gateway") === undefined) cli.fail("--role server needs --gateway <results endpoint>");
  if (role === "players" && cli.text("url") === undefined) cli.fail("--role players needs --url ws://host:port/play");
  const args: RoleArgs = { role, atLeastOnce: cli.flag("at-least-once") };
  const set = <K extends keyof RoleArgs>(key: K, value: RoleArgs[K] | undefined) => {
    if (value !== undefined) args[key] = value;
  };
  set("results", role === "server" ? cli.text("gateway") : cli.text("results"));
  set("wsHostname", cli.text("ws-host"));
  set("wsPort", cli.number("ws-port"));
  set("metricsHostname", cli.text("metrics-host"));
  set("metricsPort", cli.number("metrics-port"));
  set("maxInFlight", cli.number("max-in-flight"));
  set("swapBytes", cli.number("swap-bytes"));
  set("swapDirectory", cli.text("swap-dir"));
  if (cli.flag("swap-sync")) args.swapSync = true;
  set("id", cli.number("id"));
  set("bind", cli.text("bind"));
  set("advertise", cli.text("advertise"));
  set("workMicros", cli.number("work-us"));
  set("url", cli.text("url"));
  set("players", cli.number("players"));
  set("rate", cli.number("rate"));
  set("window", cli.number("window"));
  await runRole(args);
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`cluster: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
