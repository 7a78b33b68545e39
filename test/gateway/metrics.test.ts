// The gateway's GET /metrics (examples/gateway/metrics-endpoint.ts, issue 15): a gateway, two game
// servers and simulated players in this process; the scrapes must parse as Prometheus' text format
// and their counters, histograms and per-server gauges must follow what the players did.

import { expect, test } from "bun:test";
import { Gateway } from "../../examples/gateway/gateway.ts";
import { GameServer } from "../../examples/gateway/game-server.ts";
import { SimulatedPlayers } from "../../examples/gateway/players.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { type Family, parsePrometheusText, sampleValue } from "../helpers/prometheus-text.ts";
import { waitFor, withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();

async function scrape(gateway: Gateway): Promise<Map<string, Family>> {
  const response = await withTimeout(fetch(gateway.metricsUrl), 5_000, "GET /metrics");
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toStartWith("text/plain; version=0.0.4");
  return parsePrometheusText(await response.text());
}

const value = (families: Map<string, Family>, name: string, labels: Record<string, string> = {}) => {
  const found = sampleValue(families, name, labels);
  if (found === undefined) throw new Error(`no sample ${name}${JSON.stringify(labels)} in the scrape`);
  return found;
};

async function startServer(gateway: Gateway, id: number): Promise<GameServer> {
  const server = new GameServer({ id, gateway: gateway.resultsEndpoint, workMicros: 0 });
  await server.start();
  cleanup.add(() => server.kill());
  return server;
}

test("GET /metrics parses as Prometheus text and follows actions, latency, servers and their shares", async () => {
  const gateway = new Gateway({ atLeastOnce: true });
  await gateway.start();
  cleanup.add(() => gateway.close());
  expect(gateway.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);

  const empty = await scrape(gateway);
  expect(value(empty, "gateway_actions_received_total")).toBe(0);
  expect(value(empty, "gateway_spill_bytes")).toBe(0);
  expect(empty.get("gateway_spill_bytes")!.help).toContain("swap files");
  expect(empty.get("gateway_action_latency_seconds")!.type).toBe("histogram");

  const servers = [await startServer(gateway, 1), await startServer(gateway, 2)];
  await waitFor(async () => value(await scrape(gateway), "gateway_servers", { state: "up" }) === 2, {
    timeoutMs: 10_000,
    what: "the scrape to show both servers up",
  });
  const players = new SimulatedPlayers({ url: gateway.wsUrl, players: 10, rate: 100 });
  await players.start();
  cleanup.add(() => players.stop(0));
  await waitFor(() => players.totals.answered >= 500, { timeoutMs: 10_000, what: () => `500 answers (have ${players.totals.answered})` });
  const summary = await players.stop();
  gateway.metrics.sample(); // close the window now instead of waiting for the gateway's once-a-second sample

  const after = await scrape(gateway);
  expect(value(after, "gateway_actions_received_total")).toBe(summary.sent);
  expect(value(after, "gateway_actions_answered_total")).toBe(summary.answered);
  const perServer = servers.map((s) => value(after, "gateway_server_answered_total", { server: String(s.id) }));
  expect(perServer[0]! + perServer[1]!).toBe(summary.answered);
  for (const [i, server] of servers.entries()) {
    const labels = { server: String(server.id) };
    expect(value(after, "gateway_action_latency_seconds_count", labels)).toBe(perServer[i]!);
    expect(value(after, "gateway_action_latency_seconds_sum", labels)).toBeGreaterThan(0);
    expect(value(after, "gateway_server_up", labels)).toBe(1);
    expect(value(after, "gateway_server_queue_depth", labels)).toBeGreaterThan(0);
  }
  const shares = servers.map((s) => value(after, "gateway_server_share_ratio", { server: String(s.id) }));
  expect(shares[0]! + shares[1]!).toBeCloseTo(1, 6);
  expect(value(after, "gateway_server_events_total", { event: "joined" })).toBe(2);
  expect(value(after, "gateway_server_events_total", { event: "connected" })).toBe(2);

  servers[0]!.kill();
  await waitFor(async () => value(await scrape(gateway), "gateway_server_events_total", { event: "disconnected" }) === 1, {
    timeoutMs: 10_000,
    what: "the scrape to count the killed server's disconnect",
  });
  const down = await scrape(gateway);
  expect(value(down, "gateway_server_up", { server: "1" })).toBe(0);
  expect(value(down, "gateway_servers", { state: "down" })).toBe(1);
}, 30_000);

test("the metrics server answers 404 off /metrics", async () => {
  const gateway = new Gateway({ metricsHostname: "127.0.0.1", metricsPort: 0 });
  await gateway.start();
  cleanup.add(() => gateway.close());
  const other = await withTimeout(fetch(gateway.metricsUrl.replace("/metrics", "/other")), 5_000, "GET /other");
  expect(other.status).toBe(404);
  await other.text();
});
