// The gateway's metrics in Prometheus' text format, at GET /metrics on its own small HTTP server
// (Bun.serve), through prom-client. Every metric but the latency histogram is a view: prom-client
// calls `collect()` at each scrape and the value is read from the model (./metrics-model.ts) then,
// so the action path pays nothing for the endpoint and every scraper sees the same numbers.
//
// Its own server, not a path on the players' WebSocket server: players may be served on a public
// address, the metrics should not be. It binds 127.0.0.1, port 0 (any free port) unless told
// otherwise; docs/gateway.md has the metric names and a scrape configuration.
//
// prom-client's default process metrics are left out: under Bun its event-loop figures read 0 or NaN.

import type { Server } from "bun";
import { Counter, Gauge, Registry } from "prom-client";
import { type LivePageSource, livePage } from "./live-page.ts";
import { type GatewayMetrics, SERVER_EVENTS } from "./metrics-model.ts";

/** A Counter whose value is read from the model at scrape time (set, never incremented here). */
function counterOf(registry: Registry, name: string, help: string, read: () => number): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

function gaugeOf(registry: Registry, name: string, help: string, read: () => number): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}

/** A registry holding every gateway metric, each read from `model` when scraped. */
export function gatewayRegistry(model: GatewayMetrics): Registry {
  const registry = new Registry();
  const { gauges } = model;
  counterOf(registry, "gateway_actions_received_total", "Actions received from players.", () => model.received.total);
  counterOf(
    registry,
    "gateway_actions_answered_total",
    "Actions whose first result reached the gateway (passed on to the player if still connected).",
    () => model.answered.total,
  );
  counterOf(
    registry,
    "gateway_actions_redelivered_total",
    "At-least-once: actions sent again after no result came within the deadline.",
    () => model.redelivered,
  );
  counterOf(
    registry,
    "gateway_results_duplicate_total",
    "At-least-once: results dropped because the action had been answered already.",
    () => model.duplicates,
  );
  counterOf(
    registry,
    "gateway_players_dropped_total",
    "Players disconnected for breaking the protocol (text, short frames, floods).",
    () => model.droppedPlayers,
  );
  gaugeOf(registry, "gateway_players", "Players connected now.", () => gauges.players());
  gaugeOf(registry, "gateway_backlog_actions", "Actions waiting at the gateway because no game server has room.", () => gauges.backlog());
  gaugeOf(
    registry,
    "gateway_awaiting_answer_actions",
    "At-least-once: actions dispatched and not yet answered (always 0 in plain mode).",
    () => gauges.awaitingAnswer(),
  );
  gaugeOf(
    registry,
    "gateway_spill_bytes",
    "Bytes of actions in the gateway PUSH's swap files: those queued on disk while no game server could take them (the whole journal in durable mode).",
    () => gauges.spillBytes(),
  );
  registry.registerMetric(model.latency);
  new Counter({
    name: "gateway_server_answered_total",
    help: "Actions answered by each game server (its share over time: rate() of this over the sum).",
    labelNames: ["server"],
    registers: [registry],
    collect() {
      this.reset();
      for (const server of model.servers()) this.inc({ server: String(server.id) }, server.answered);
    },
  });
  const perServer = (name: string, help: string, read: (server: ReturnType<GatewayMetrics["servers"]>[number]) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ["server"],
      registers: [registry],
      collect() {
        // Reset first, so a server the gateway has forgotten stops being reported.
        this.reset();
        for (const server of model.servers()) this.set({ server: String(server.id) }, read(server));
      },
    });
  perServer("gateway_server_up", "1 while the gateway's connection to the server is up, else 0.", (s) => (s.connected ? 1 : 0));
  perServer("gateway_server_share_ratio", "The server's part of the answers in the last second, 0 to 1.", (s) => s.share);
  perServer(
    "gateway_server_queue_depth",
    "Mean actions on their way to, queued at or played by the server over the last second (Little's law over its answers' latencies; 0 when it answered none).",
    (s) => s.queueDepth,
  );
  new Gauge({
    name: "gateway_servers",
    help: "Game servers the gateway knows, by state: up (connected), down (reconnecting), leaving (said BYE).",
    labelNames: ["state"],
    registers: [registry],
    collect() {
      const count = { up: 0, down: 0, leaving: 0 };
      for (const s of model.servers()) count[s.leaving ? "leaving" : s.connected ? "up" : "down"]++;
      for (const [state, n] of Object.entries(count)) this.set({ state }, n);
    },
  });
  new Counter({
    name: "gateway_server_events_total",
    help: "Server membership changes: joined (first HELLO), connected, disconnected, left (BYE), lost (down too long, forgotten).",
    labelNames: ["event"],
    registers: [registry],
    collect() {
      this.reset();
      for (const event of SERVER_EVENTS) this.inc({ event }, model.serverEvents[event]);
    },
  });
  return registry;
}

/**
 * Serves `registry` at http://hostname:port/metrics (port 0: any free port; read the server's `url`),
 * and the live page's paths (./live-page.ts) from the same model when `page` is given.
 */
export function serveMetrics(registry: Registry, hostname: string, port: number, page?: LivePageSource): Server<undefined> {
  return Bun.serve({
    hostname,
    port,
    fetch: async (request) => {
      const path = new URL(request.url).pathname;
      const pageResponse = page === undefined || path === "/metrics" ? null : await livePage(path, page);
      if (pageResponse !== null) return pageResponse;
      if (path !== "/metrics") return new Response("bunzmq game gateway: metrics at /metrics, the live page at /\n", { status: 404 });
      return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType } });
    },
  });
}
