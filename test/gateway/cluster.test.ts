// The game cluster of examples/gateway (issue 6): gateway, game servers and simulated players in this
// process over real TCP and WebSocket connections. Servers join, leave gracefully and die under load;
// delivery is checked by the players themselves (every action answered exactly once, or counted).

import { describe, expect, test } from "bun:test";
import { Gateway, type GatewayOptions } from "../../examples/gateway/gateway.ts";
import { GameServer } from "../../examples/gateway/game-server.ts";
import { SimulatedPlayers } from "../../examples/gateway/players.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { waitFor } from "../helpers/wait.ts";

const cleanup = useCleanup();
const TEST_TIMEOUT = 30_000;

async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const gateway = new Gateway(options);
  await gateway.start();
  cleanup.add(() => gateway.close());
  return gateway;
}

async function startServer(gateway: Gateway, id: number): Promise<GameServer> {
  const server = new GameServer({ id, gateway: gateway.resultsEndpoint, workMicros: 0 });
  await server.start();
  cleanup.add(() => server.kill());
  await waitFor(() => gateway.servers.connectedCount >= 1 && gateway.snapshot().servers.some((s) => s.id === id && s.connected), {
    what: `the gateway to connect to server ${id}`,
  });
  return server;
}

async function startPlayers(gateway: Gateway, players = 50, rate = 40): Promise<SimulatedPlayers> {
  const simulated = new SimulatedPlayers({ url: gateway.wsUrl, players, rate });
  await simulated.start();
  cleanup.add(() => simulated.stop(0));
  return simulated;
}

/** Waits until the players have had `more` further actions answered. */
async function answeredMore(players: SimulatedPlayers, more: number): Promise<void> {
  const target = players.totals.answered + more;
  await waitFor(() => players.totals.answered >= target, {
    timeoutMs: 10_000,
    what: () => `${more} more answers (have ${players.totals.answered})`,
  });
}

describe("game cluster", () => {
  test(
    "players' actions reach the servers and every answer returns to its player, load spread evenly",
    async () => {
      const gateway = await startGateway();
      const servers = [await startServer(gateway, 1), await startServer(gateway, 2)];
      const players = await startPlayers(gateway);
      await answeredMore(players, 2000);
      const summary = await players.stop();
      expect(summary.lost).toBe(0);
      expect(summary.duplicates).toBe(0);
      expect(summary.answered).toBe(summary.sent);
      const [a, b] = servers.map((s) => s.handled);
      expect(Math.min(a!, b!) / Math.max(a!, b!)).toBeGreaterThan(0.8);
    },
    TEST_TIMEOUT,
  );

  test(
    "a server added under load takes its share; one stopped gracefully under load loses nothing (plain PUSH)",
    async () => {
      const gateway = await startGateway();
      const first = await startServer(gateway, 1);
      const players = await startPlayers(gateway);
      await answeredMore(players, 500);
      const second = await startServer(gateway, 2);
      await waitFor(() => second.handled >= 200, { timeoutMs: 10_000, what: "the new server to take a share" });
      await first.stop();
      await answeredMore(players, 500);
      const summary = await players.stop();
      expect(summary.lost).toBe(0);
      expect(summary.duplicates).toBe(0);
      expect(first.handled + second.handled).toBe(summary.sent);
    },
    TEST_TIMEOUT,
  );

  test(
    "at-least-once: a server killed hard under load loses no action, and no player sees a duplicate",
    async () => {
      const gateway = await startGateway({ atLeastOnce: true, redeliverAfterMs: 300 });
      const victim = await startServer(gateway, 1);
      await startServer(gateway, 2);
      const players = await startPlayers(gateway, 50, 100);
      await answeredMore(players, 1000);
      victim.kill();
      await answeredMore(players, 1000);
      const summary = await players.stop(10_000);
      expect(summary.lost).toBe(0);
      expect(summary.duplicates).toBe(0);
      expect(summary.answered).toBe(summary.sent);
    },
    TEST_TIMEOUT,
  );

  test(
    "hostile players (text, a short frame, an oversized frame, a flood) are dropped; the others keep being served",
    async () => {
      const gateway = await startGateway({ maxInFlightPerPlayer: 100 });
      await startServer(gateway, 1);
      const players = await startPlayers(gateway, 20);
      const closes: number[] = [];
      const hostile = (attack: (ws: WebSocket) => void) =>
        new Promise<void>((resolve) => {
          const ws = new WebSocket(gateway.wsUrl);
          ws.onopen = () => attack(ws);
          ws.onclose = (event) => {
            closes.push(event.code);
            resolve();
          };
        });
      await Promise.all([
        hostile((ws) => ws.send("not binary")),
        hostile((ws) => ws.send(new Uint8Array([1, 2]))),
        hostile((ws) => ws.send(new Uint8Array(64 * 1024))),
        hostile((ws) => {
          for (let i = 0; i < 5000; i++) ws.send(new Uint8Array([0, 0, 0, i & 0xff, 1]));
        }),
      ]);
      expect(closes.sort()).toEqual([1003, 1003, 1008, 1009]);
      expect(gateway.snapshot().droppedPlayers).toBe(3); // the oversized frame is refused by Bun itself
      await answeredMore(players, 500);
      const summary = await players.stop();
      expect(summary.lost).toBe(0);
    },
    TEST_TIMEOUT,
  );
});
