// `bun run demo`: the game cluster on this machine, every role its own process. A gateway, three game
// servers and the simulated players start; a fourth server joins a quarter of the way in, one server
// stops gracefully at half way and one is killed hard (SIGKILL) at three quarters. A live view shows
// actions/s, end-to-end latency, each server's share and the players; the summary says what arrived.
// With `--outage S` every server is killed a quarter of the way in and started again S seconds later,
// while the gateway (durable at-least-once, swap) queues the actions on disk.
// Ctrl-C ends the run early: no further scheduled step happens, the players stop and are counted, and
// the summary covers the run up to the interrupt (exit code 130).

import type { Subprocess } from "bun";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { INTERRUPTED_EXIT, Interrupted, watchInterrupt } from "../../common/interrupt.ts";
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

/** `promise`, or a rejection naming `what` after `ms`; the timer is cleared either way (it would hold the process). */
function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not start within ${ms} ms`)), ms);
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

/** Runs the demo; returns the exit code: 0 when delivery was as promised, 1 when not, 130 after Ctrl-C. */
export async function runDemo(options: DemoOptions): Promise<number> {
  const interrupt = watchInterrupt("demo: interrupted; no further steps, the players stop and the summary follows");
  const children: Child[] = [];
  const events: string[] = [];
  const seconds = (at = performance.now()) => (at - startedAt) / 1000;
  const note = (text: string, at?: number) => events.push(`${seconds(at).toFixed(1).padStart(5)} s  ${text}`);
  // A start-up step that Ctrl-C abandons at once.
  const starting = <T>(promise: Promise<T>, ms: number, what: string) => interrupt.race(withTimeout(promise, ms, what));
  let startedAt = performance.now();
  let live: ReturnType<typeof setInterval> | undefined;
  // An outage needs the actions kept somewhere while no server is up: on disk, durably.
  const temporary = options.outageSeconds > 0 && options.swapDirectory === null ? mkdtempSync(join(tmpdir(), "bunzmq-gateway-")) : null;
  const swapDirectory = options.swapDirectory ?? temporary;
  try {
    const gateway = spawnRole("gateway", [
      "--role",
      "gateway",
      "--metrics-port",
      String(options.metricsPort),
      ...(options.atLeastOnce ? ["--at-least-once"] : []),
      ...(swapDirectory === null ? [] : ["--swap-dir", swapDirectory]),
    ]);
    children.push(gateway);
    const { results, ws, metrics, page } = (await starting(gateway.ready, 10_000, "the gateway")) as Record<string, string>;
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
      await starting(server.ready, 10_000, `server ${id}`);
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
    await starting(players.ready, 30_000, "the players");
    startedAt = performance.now();
    note(`gateway ${results} (players on ${ws}), servers 1-3, ${options.players} players at ${options.rate} actions/s each`);
    note(`gateway metrics (Prometheus): ${metrics}`);
    console.log(`Gateway metrics, Prometheus text format: ${metrics}`);
    note(`live page (watch, and join as a player): ${page}`);
    console.log(`Live page, watch the demo and join as a player: ${page}`);

    const quarter = (options.durationSeconds * 1000) / 4;
    if (swapDirectory !== null) note(`gateway: durable at-least-once, actions journaled in ${swapDirectory}`);
    const outage = options.outageSeconds * 1000;
    const schedule: Array<[number, () => Promise<void> | void]> =
      outage > 0
        ? [
            [
              quarter,
              () => {
                for (const server of servers.splice(0)) server.process.kill("SIGKILL");
                note(`every server killed (SIGKILL): the gateway queues actions on disk for ${options.outageSeconds} s`);
              },
            ],
            [
              quarter + outage,
              async () => {
                for (const id of [1, 2, 3]) await addServer(id);
                note("servers 1-3 back");
              },
            ],
          ]
        : [
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
    // Time after the servers return for the backlog to drain while players go on (it took about as long as the outage here).
    if (outage > 0) options = { ...options, durationSeconds: Math.max(options.durationSeconds, (quarter + 2 * outage) / 1000 + 5) };
    const state = (): DemoState => ({
      elapsed: seconds(),
      duration: options.durationSeconds,
      gateway: gateway.last,
      players: players.last,
      events,
      atLeastOnce: options.atLeastOnce,
    });
    live = setInterval(() => renderLive(state()), 1000);
    const until = (ms: number) => interrupt.sleep(Math.max(0, ms - seconds() * 1000));
    for (const [at, action] of schedule) {
      if (await until(at)) break;
      // Ctrl-C while server 4 starts abandons that step (it is not noted); the summary follows.
      await Promise.resolve(action()).catch((error) => {
        if (!(error instanceof Interrupted)) throw error;
      });
    }
    await until(options.durationSeconds * 1000);
    clearInterval(live);
    const interruptedAt = interrupt.at === null ? null : seconds(interrupt.at);
    // After Ctrl-C this is the last event: nothing scheduled later has happened, or will.
    note(
      interruptedAt === null
        ? "players stop sending and wait (up to 5 s) for every answer still owed"
        : "interrupted (Ctrl-C): no further steps; players stop and wait (up to 5 s) for answers still owed",
      interrupt.at ?? undefined,
    );
    players.process.kill("SIGTERM");
    await players.done;
    const ok = renderSummary({ ...state(), interruptedAt }, players.final, options);
    return interruptedAt !== null ? INTERRUPTED_EXIT : ok ? 0 : 1;
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
    console.log("\nInterrupted (Ctrl-C) while the cluster was starting: nothing ran; every process started is stopped.");
    return INTERRUPTED_EXIT;
  } finally {
    clearInterval(live);
    for (const child of children) if (child.process.exitCode === null && !child.process.killed) child.process.kill("SIGTERM");
    await Promise.all(children.map((child) => child.process.exited));
    if (temporary !== null) rmSync(temporary, { recursive: true, force: true });
  }
}
