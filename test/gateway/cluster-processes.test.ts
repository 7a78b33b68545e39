// The game cluster with every role in its own process, as `bun run demo` and a real deployment run
// it (examples/gateway/cluster.ts --role ...): servers join, stop on SIGTERM and die on SIGKILL under
// load; the players, in this process, check that every action was answered exactly once.

import { expect, test } from "bun:test";
import { SimulatedPlayers } from "../../examples/gateway/players.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { waitFor, withTimeout } from "../helpers/wait.ts";
import { type ClusterRole, spawnClusterRole } from "./cluster-role.ts";

const cleanup = useCleanup();

const spawnRole = (args: string[]) => spawnClusterRole(cleanup, args);

function connectedServers(gateway: ClusterRole): number[] {
  const servers = (gateway.stats?.servers ?? []) as Array<{ id: number; connected: boolean }>;
  return servers.filter((s) => s.connected).map((s) => s.id);
}

test("separate processes, at-least-once: one server joins, one stops on SIGTERM, one dies on SIGKILL; nothing is lost or repeated", async () => {
  const gateway = await spawnRole(["--role", "gateway", "--at-least-once"]);
  const results = gateway.ready.results!;
  const server = (id: number) => spawnRole(["--role", "server", "--gateway", results, "--id", String(id), "--work-us", "0"]);
  const one = await server(1);
  const two = await server(2);
  await waitFor(() => connectedServers(gateway).length === 2, { timeoutMs: 10_000, what: "the gateway to report both servers up" });
  const players = new SimulatedPlayers({ url: gateway.ready.ws!, players: 100, rate: 50 });
  await players.start();
  cleanup.add(() => players.stop(0));
  const answered = async (more: number) => {
    const target = players.totals.answered + more;
    await waitFor(() => players.totals.answered >= target, {
      timeoutMs: 15_000,
      what: () => `${more} more answers (have ${players.totals.answered})`,
    });
  };
  await answered(1000);
  await server(3);
  await waitFor(() => connectedServers(gateway).includes(3), { timeoutMs: 10_000, what: "server 3 to join" });
  await answered(1000);
  one.process.kill("SIGTERM");
  expect(await withTimeout(one.process.exited, 15_000, "server 1 to stop gracefully")).toBe(0);
  await answered(1000);
  two.process.kill("SIGKILL");
  await answered(1000);
  const summary = await players.stop(15_000);
  expect(summary.lost).toBe(0);
  expect(summary.duplicates).toBe(0);
  expect(summary.answered).toBe(summary.sent);
}, 90_000);
