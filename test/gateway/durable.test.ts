// The gateway's durable at-least-once mode (`swapDirectory`, docs/gateway.md "Overload to disk"):
// with every game server down, actions queue on disk and are all answered once servers come; a
// gateway killed with SIGKILL (its server with it) and started again on the same directory answers
// every action it had accepted to the player that reconnects under the same name.

import { expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GameServer } from "../../examples/gateway/game-server.ts";
import { Gateway } from "../../examples/gateway/gateway.ts";
import { encodePlayerFrame } from "../../examples/gateway/protocol.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { waitFor, withTimeout } from "../helpers/wait.ts";
import { type ClusterRole, spawnClusterRole } from "./cluster-role.ts";

const cleanup = useCleanup();

function directory(): string {
  const path = mkdtempSync(join(tmpdir(), "bunzmq-gateway-test-"));
  cleanup.add(() => rmSync(path, { recursive: true, force: true }));
  return path;
}

/** A player over WebSocket: sends actions numbered from 0 and records which were answered. */
class TestPlayer {
  readonly answered = new Set<number>();
  #socket: WebSocket | null = null;
  #next = 0;

  get sent(): number {
    return this.#next;
  }

  async connect(url: string): Promise<void> {
    const socket = new WebSocket(url);
    socket.binaryType = "arraybuffer";
    socket.onmessage = (event) => this.answered.add(new DataView(event.data as ArrayBuffer).getUint32(0));
    this.#socket = socket;
    cleanup.add(() => socket.close());
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        socket.onopen = () => resolve();
        socket.onerror = () => reject(new Error(`cannot connect to ${url}`));
      }),
      5000,
      `the player's connection to ${url}`,
    );
  }

  /** Sends `count` more actions, if the connection is open. */
  send(count: number): void {
    for (let i = 0; i < count && this.#socket?.readyState === WebSocket.OPEN; i++) {
      this.#socket.send(encodePlayerFrame(this.#next++, new Uint8Array([1, 2, 3, 4])));
    }
  }

  /** Numbers below `upTo` not answered yet. */
  missing(upTo: number): number[] {
    const missing: number[] = [];
    for (let i = 0; i < upTo; i++) if (!this.answered.has(i)) missing.push(i);
    return missing;
  }
}

async function startServer(results: string, id: number): Promise<void> {
  const server = new GameServer({ id, gateway: results, workMicros: 0 });
  await server.start();
  cleanup.add(() => server.kill());
}

test("with every server down, a durable gateway queues actions on disk and answers them all when servers come", async () => {
  const gateway = new Gateway({ swapDirectory: directory(), maxInFlightPerPlayer: 10_000 });
  await gateway.start();
  cleanup.add(() => gateway.close());
  const player = new TestPlayer();
  await player.connect(`${gateway.wsUrl}?player=7`);
  const count = 3000;
  for (let i = 0; i < count; i += 100) player.send(100);
  // The gateway samples its bytes on disk every 100 ms: the peak shows once one sample saw them.
  await waitFor(() => gateway.snapshot().received === count && gateway.snapshot().peakSpillBytes > 0, {
    timeoutMs: 10_000,
    what: () =>
      `the gateway to take ${count} actions onto disk (has ${gateway.snapshot().received}, ${gateway.actions.spilledBytes} bytes)`,
  });
  expect(player.answered.size).toBe(0);
  await startServer(gateway.resultsEndpoint, 1);
  await startServer(gateway.resultsEndpoint, 2);
  await waitFor(() => player.answered.size === count, {
    timeoutMs: 20_000,
    what: () => `every action answered (${player.answered.size} of ${count}; first missing ${player.missing(count).slice(0, 5)})`,
  });
  const snapshot = gateway.snapshot();
  // Each action's record is some 60 bytes; all of them were on disk at the peak.
  expect(snapshot.peakSpillBytes).toBeGreaterThan(count * 40);
  // Whether any was sent twice depends on how fast this machine works the queue off (the deadline's
  // clock stood still while no server was up: durable-parts.test.ts); players see each answer once.
  console.log(`durable gateway: ${count} actions queued with no server, ${snapshot.redelivered} sent twice after the servers came`);
}, 40_000);

const spawnRole = (args: string[]) => spawnClusterRole(cleanup, args);
/** The gateway's `received` in its latest STATS line: every action it counts was journaled first. */
const received = (gateway: ClusterRole) => Number(gateway.stats?.received ?? 0);

test("a durable gateway killed with SIGKILL mid-stream, its server too, and restarted on its directory answers every action it had accepted", async () => {
  const swapDirectory = directory();
  const results = `ipc://${join(swapDirectory, "results.sock")}`;
  const gatewayArgs = ["--role", "gateway", "--swap-dir", swapDirectory, "--results", results, "--max-in-flight", "100000"];
  const first = await spawnRole(gatewayArgs);
  // One slow server (5 ms an action) against a stream ten times as fast: the kill finds actions unanswered.
  const slow = await spawnRole(["--role", "server", "--gateway", results, "--id", "1", "--work-us", "5000"]);
  const player = new TestPlayer();
  await player.connect(`${first.ready.ws}?player=7`);
  // A steady stream, until the gateway dies under it.
  const stream = setInterval(() => player.send(10), 5);
  cleanup.add(() => clearInterval(stream));
  // Every action a STATS line counts was journaled before the line was printed.
  await waitFor(() => received(first) >= 1500, { timeoutMs: 15_000, what: () => `1500 actions taken (${received(first)})` });
  first.process.kill("SIGKILL");
  const accepted = received(first);
  // The server dies too, with whatever it held: only the gateway's directory has those actions now.
  slow.process.kill("SIGKILL");
  await withTimeout(first.process.exited, 5000, "the killed gateway to exit");
  await withTimeout(slow.process.exited, 5000, "the killed server to exit");
  clearInterval(stream);
  const answeredBeforeKill = player.answered.size;
  expect(answeredBeforeKill).toBeLessThan(accepted);

  await spawnRole(["--role", "server", "--gateway", results, "--id", "2", "--work-us", "0"]);
  const second = await spawnRole(gatewayArgs);
  await player.connect(`${second.ready.ws}?player=7`);
  // A player's actions are taken in order, so the accepted ones are the first `accepted` numbers.
  await waitFor(() => player.missing(accepted).length === 0, {
    timeoutMs: 30_000,
    what: () =>
      `every accepted action answered (missing ${player.missing(accepted).length} of ${accepted}: ${player.missing(accepted).slice(0, 5)})`,
  });
  console.log(
    `durable gateway: ${accepted} actions accepted before SIGKILL (of ${player.sent} sent), ${answeredBeforeKill} answered then, ` +
      `the rest by the restarted gateway`,
  );
}, 60_000);
