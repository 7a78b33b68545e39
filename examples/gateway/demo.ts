// `bun run demo`: the game cluster on this machine, every role its own process. A gateway, three game
// servers and the simulated players start; a fourth server joins a quarter of the way in, one server
// stops gracefully at half way and one is killed hard (SIGKILL) at three quarters. A live view shows
// actions/s, end-to-end latency, each server's share and the players; the summary says what arrived.

import type { Subprocess } from "bun";
import { readLines } from "../../common/read-lines.ts";
import { renderLive, renderSummary, type DemoOptions, type DemoState } from "./dashboard.ts";

interface Child {
  name: string;
  process: Subprocess<"ignore", "pipe", "inherit">;
  ready: Promise<Record<string, unknown>>;
  last: Record<string, unknown> | null;
  final: Record<string, unknown> | null;
  /** Settles when its stdout has been read to the end. */
  done: Promise<void>;
}

const CLUSTER = new URL("./cluster.ts", import.meta.url).pathname;

function spawnRole(name: string, args: string[]): Child {
  const process = Bun.spawn(["bun", CLUSTER, ...args], { stdin: "ignore", stdout: "pipe", stderr: "inherit" });
  let markReady: (value: Record<string, unknown>) => void = () => {};
  const child: Child = {
    name,
    process,
    ready: new Promise((resolve) => (markReady = resolve)),
    last: null,
    final: null,
    done: Promise.resolve(),
  };
  child.done = (async () => {
    for await (const line of readLines(process.stdout)) {
      const space = line.indexOf(" ");
      const kind = line.slice(0, space);
      const value = JSON.parse(line.slice(space + 1)) as Record<string, unknown>;
      if (kind === "READY") markReady(value);
      else if (kind === "STATS") child.last = value;
      else child.final = value;
    }
  })();
  return child;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not start within ${ms} ms`)), ms)),
  ]);
}

export async function runDemo(options: DemoOptions): Promise<boolean> {
  const children: Child[] = [];
  const events: string[] = [];
  const note = (text: string) => events.push(`${((performance.now() - startedAt) / 1000).toFixed(1).padStart(5)} s  ${text}`);
  let startedAt = performance.now();
  try {
    const gateway = spawnRole("gateway", ["--role", "gateway", ...(options.atLeastOnce ? ["--at-least-once"] : [])]);
    children.push(gateway);
    const { results, ws } = (await withTimeout(gateway.ready, 10_000, "the gateway")) as { results: string; ws: string };
    const servers: Child[] = [];
    const addServer = async (id: number) => {
      const server = spawnRole(`server ${id}`, [
        "--role",
        "server",
        "--gateway",
        results,
        "--id",
        String(id),
        "--work-us",
        String(options.workMicros),
      ]);
      children.push(server);
      servers.push(server);
      await withTimeout(server.ready, 10_000, `server ${id}`);
    };
    for (const id of [1, 2, 3]) await addServer(id);
    const players = spawnRole("players", [
      "--role",
      "players",
      "--url",
      ws,
      "--players",
      String(options.players),
      "--rate",
      String(options.rate),
    ]);
    children.push(players);
    await withTimeout(players.ready, 30_000, "the players");
    startedAt = performance.now();
    note(`gateway ${results} (players on ${ws}), servers 1-3, ${options.players} players at ${options.rate} actions/s each`);

    const quarter = (options.durationSeconds * 1000) / 4;
    const schedule: Array<[number, () => Promise<void> | void]> = [
      [
        quarter,
        async () => {
          await addServer(4);
          note("server 4 joined");
        },
      ],
      [
        2 * quarter,
        () => {
          servers[0]!.process.kill("SIGTERM");
          note("server 1 asked to stop gracefully (SIGTERM)");
        },
      ],
      [
        3 * quarter,
        () => {
          servers[1]!.process.kill("SIGKILL");
          note("server 2 killed hard (SIGKILL)");
        },
      ],
    ];
    const state = (): DemoState => ({
      elapsed: (performance.now() - startedAt) / 1000,
      duration: options.durationSeconds,
      gateway: gateway.last,
      players: players.last,
      events,
      atLeastOnce: options.atLeastOnce,
    });
    const live = setInterval(() => renderLive(state()), 1000);
    for (const [at, action] of schedule) {
      await Bun.sleep(Math.max(0, at - (performance.now() - startedAt)));
      await action();
    }
    await Bun.sleep(Math.max(0, options.durationSeconds * 1000 - (performance.now() - startedAt)));
    clearInterval(live);
    note("players stop sending and wait (up to 5 s) for every answer still owed");
    players.process.kill("SIGTERM");
    await players.done;
    return renderSummary(state(), players.final, options);
  } finally {
    for (const child of children) if (child.process.exitCode === null && !child.process.killed) child.process.kill("SIGTERM");
    await Promise.all(children.map((child) => child.process.exited));
  }
}
