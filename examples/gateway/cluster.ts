// The game cluster's command line. Without --role it runs the whole demo on this machine; with one it
// runs that role alone, so the same code spreads over many hosts (docs/gateway.md):
//
//   bun run demo [--duration 20] [--players 1000] [--rate 10] [--plain] [--work-us 20]
//   bun examples/gateway/cluster.ts --role gateway [--results tcp://0.0.0.0:5556] [--ws-host 0.0.0.0] [--ws-port 8080] [--at-least-once]
//   bun examples/gateway/cluster.ts --role server --gateway tcp://10.0.0.5:5556 [--bind tcp://0.0.0.0:5600] [--advertise tcp://10.0.0.7:5600] [--id 7] [--work-us 20]
//   bun examples/gateway/cluster.ts --role players --url ws://10.0.0.5:8080/play [--players 1000] [--rate 10 | --window 4]

import { runDemo } from "./demo.ts";
import { runRole, type RoleArgs } from "./roles.ts";

const USAGE = "usage: see the header of examples/gateway/cluster.ts, or docs/gateway.md";

function parse(argv: string[]): Map<string, string | true> {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (!flag.startsWith("--")) throw new Error(`unexpected argument "${flag}"; ${USAGE}`);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith("--")) flags.set(flag.slice(2), true);
    else flags.set(flag.slice(2), argv[++i]!);
  }
  return flags;
}

function number(flags: Map<string, string | true>, name: string): number | undefined {
  const value = flags.get(name);
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value === true || !Number.isFinite(parsed) || parsed < 0) throw new Error(`--${name} needs a number >= 0; ${USAGE}`);
  return parsed;
}

function text(flags: Map<string, string | true>, name: string): string | undefined {
  const value = flags.get(name);
  if (value === true) throw new Error(`--${name} needs a value; ${USAGE}`);
  return value;
}

async function main(): Promise<number> {
  const flags = parse(process.argv.slice(2));
  const role = text(flags, "role");
  if (role === undefined) {
    const ok = await runDemo({
      durationSeconds: number(flags, "duration") ?? 20,
      players: number(flags, "players") ?? 1000,
      rate: number(flags, "rate") ?? 10,
      atLeastOnce: !flags.has("plain"),
      workMicros: number(flags, "work-us") ?? 20,
    });
    return ok ? 0 : 1;
  }
  if (role !== "gateway" && role !== "server" && role !== "players") throw new Error(`unknown --role ${role}; ${USAGE}`);
  const args: RoleArgs = { role, atLeastOnce: flags.has("at-least-once") };
  const set = <K extends keyof RoleArgs>(key: K, value: RoleArgs[K] | undefined) => {
    if (value !== undefined) args[key] = value;
  };
  set("results", role === "server" ? text(flags, "gateway") : text(flags, "results"));
  set("wsHostname", text(flags, "ws-host"));
  set("wsPort", number(flags, "ws-port"));
  set("id", number(flags, "id"));
  set("bind", text(flags, "bind"));
  set("advertise", text(flags, "advertise"));
  set("workMicros", number(flags, "work-us"));
  set("url", text(flags, "url"));
  set("players", number(flags, "players"));
  set("rate", number(flags, "rate"));
  set("window", number(flags, "window"));
  await runRole(args);
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`cluster: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}
