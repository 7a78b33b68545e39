// The gateway: players connect over WebSocket (Bun.serve), or as ZeroMQ sockets over WebSocket (a
// ROUTER at ws://host:port/zmq: a page running bunzmq/browser, ./zmq-players.ts); each action goes to
// a game server over one bunzmq PUSH, and each result comes back over one bound PULL and is sent to
// its player.
//
// Why this shape (docs/gateway.md has the long version):
// - PUSH load-balances actions over every connected server, so adding a server spreads load at once.
// - The gateway's PUSH *connects to* the servers (they announce their endpoint with HELLO), so the
//   gateway can end one server's connection on its own: `disconnect()` flushes what is queued for that
//   server, then closes, and the server knows it has received everything. That is the graceful stop.
// - `immediate: true`: a server that is down has no pipe, so round-robin skips it instead of queueing
//   actions for it that might never leave.
// - Results carry the player id, so a plain PULL suffices on the way back: no routing table of servers.
// Plain mode loses the actions a server held when it died hard; `atLeastOnce` keeps each action until
// its result arrives and dispatches it again after a deadline, dropping duplicate results.
// Everything it counts goes to one metrics model (./metrics-model.ts), served at /metrics.

import type { Server, ServerWebSocket } from "bun";
import { Pull, Push } from "../../src/index.ts";
import { ActionDispatcher } from "./dispatcher.ts";
import { gatewayRegistry, serveMetrics } from "./metrics-endpoint.ts";
import { GatewayMetrics, type GatewaySnapshot } from "./metrics-model.ts";
import {
  type ActionHeader,
  decodePlayerFrame,
  decodeServerMessage,
  elapsedMs,
  encodePlayerFrame,
  MAX_ACTION_BYTES,
  nowMicros,
} from "./protocol.ts";
import { Redelivery } from "./redelivery.ts";
import { ServerRegistry } from "./server-registry.ts";
import { type PlayerLink, ZmqPlayers } from "./zmq-players.ts";

export type { GatewaySnapshot } from "./metrics-model.ts";

export interface GatewayOptions {
  /** Bound PULL for results and server announcements (default tcp://127.0.0.1:*). */
  resultsEndpoint?: string;
  wsHostname?: string;
  /** WebSocket port for players (default 0: any free port; read `wsUrl`). */
  wsPort?: number;
  /** Keep every action until answered, re-dispatch after `redeliverAfterMs`, drop duplicate results. */
  atLeastOnce?: boolean;
  redeliverAfterMs?: number;
  /** Unanswered actions one player may have before it is disconnected as a flood (default 1000). */
  maxInFlightPerPlayer?: number;
  /** A server disconnected for this long is forgotten (default 2000 ms). */
  serverGoneAfterMs?: number;
  /** Where ZeroMQ players connect (a ROUTER, NULL, bare ZWS2.0 accepted); default any free port on wsHostname, path /zmq; null for none. */
  zmqPlayersEndpoint?: string | null;
  /** Where GET /metrics is served (Prometheus text format); default 127.0.0.1. */
  metricsHostname?: string;
  /** Its port (default 0: any free port; read `metricsUrl`). */
  metricsPort?: number;
}

interface Player {
  id: number;
  inFlight: number;
}

export class Gateway {
  readonly actions = new Push({ immediate: true, linger: 0, sendHighWaterMark: 10_000 });
  readonly results = new Pull({ linger: 0, receiveHighWaterMark: 10_000 });
  readonly servers: ServerRegistry;
  readonly metrics: GatewayMetrics;
  readonly #options: Required<GatewayOptions>;
  readonly #dispatcher: ActionDispatcher;
  readonly #redelivery: Redelivery | null;
  readonly #players = new Map<number, PlayerLink<Player>>();
  readonly zmqPlayers: ZmqPlayers<Player>;
  #ws: Server<Player> | null = null;
  #metricsServer: Server<undefined> | null = null;
  #timer: ReturnType<typeof setInterval> | undefined;
  #sampler: ReturnType<typeof setInterval> | undefined;
  #nextActionId = 1;
  #nextPlayerId = 1;

  constructor(options: GatewayOptions = {}) {
    this.#options = {
      resultsEndpoint: "tcp://127.0.0.1:*",
      wsHostname: "127.0.0.1",
      wsPort: 0,
      atLeastOnce: false,
      redeliverAfterMs: 1000,
      maxInFlightPerPlayer: 1000,
      serverGoneAfterMs: 2000,
      metricsHostname: "127.0.0.1",
      metricsPort: 0,
      zmqPlayersEndpoint: `ws://${options.wsHostname ?? "127.0.0.1"}:*/zmq`,
      ...options,
    };
    this.#redelivery = this.#options.atLeastOnce ? new Redelivery(this.#options.redeliverAfterMs) : null;
    this.#dispatcher = new ActionDispatcher(this.actions);
    this.metrics = new GatewayMetrics({
      players: () => this.#players.size,
      backlog: () => this.#dispatcher.backlog,
      awaitingAnswer: () => this.#redelivery?.size ?? 0,
      servers: () => this.servers.describe(),
    });
    this.zmqPlayers = new ZmqPlayers<Player>({
      join: (link) => {
        const player = { ...link, data: { id: this.#nextPlayerId++, inFlight: 0 } };
        this.#players.set(player.data.id, player);
        return player;
      },
      message: (link, frame) => this.#onPlayerFrame(link, decodePlayerFrame(frame)),
      leave: (link) => this.#onPlayerClose(link),
    });
    this.servers = new ServerRegistry(this.actions, this.#options.serverGoneAfterMs, (event) => this.metrics.serverEvent(event));
  }

  get resultsEndpoint(): string {
    return this.results.lastEndpoint!;
  }

  get wsUrl(): string {
    return `ws://${this.#options.wsHostname}:${this.#ws!.port}/play`;
  }

  /** Where ZeroMQ players connect (a DEALER of bunzmq/browser in a page), or null when there is none. */
  get zmqPlayersUrl(): string | null {
    return this.#options.zmqPlayersEndpoint === null ? null : this.zmqPlayers.endpoint;
  }

  /** The live page (./live-page.ts): the demo watched, and joined, from a browser. */
  get pageUrl(): string {
    return `http://${this.#options.metricsHostname}:${this.#metricsServer!.port}/`;
  }

  /** Where Prometheus scrapes the gateway's metrics. */
  get metricsUrl(): string {
    return `http://${this.#options.metricsHostname}:${this.#metricsServer!.port}/metrics`;
  }

  async start(): Promise<void> {
    await this.results.bind(this.#options.resultsEndpoint);
    void this.#readResults();
    if (this.#options.zmqPlayersEndpoint !== null) await this.zmqPlayers.start(this.#options.zmqPlayersEndpoint);
    this.#ws = Bun.serve<Player>({
      hostname: this.#options.wsHostname,
      port: this.#options.wsPort,
      fetch: (request, server) => {
        if (new URL(request.url).pathname === "/play" && server.upgrade(request, { data: { id: this.#nextPlayerId++, inFlight: 0 } }))
          return;
        return new Response("bunzmq game gateway: open a WebSocket to /play\n", { status: 404 });
      },
      websocket: {
        // A bigger message closes that player's connection (1009) before we see it.
        maxPayloadLength: 4 + MAX_ACTION_BYTES,
        open: (ws) => void this.#players.set(ws.data.id, ws),
        message: (ws, data) => this.#onPlayerMessage(ws, data),
        close: (ws) => this.#onPlayerClose(ws),
      },
    });
    this.#metricsServer = serveMetrics(gatewayRegistry(this.metrics), this.#options.metricsHostname, this.#options.metricsPort, this);
    this.#timer = setInterval(() => this.#tick(), 100);
    this.#sampler = setInterval(() => this.metrics.sample(), 1000);
  }

  #onPlayerMessage(ws: ServerWebSocket<Player>, data: string | Buffer): void {
    this.#onPlayerFrame(ws, typeof data === "string" ? null : decodePlayerFrame(data));
  }

  #onPlayerFrame(ws: PlayerLink<Player>, frame: ReturnType<typeof decodePlayerFrame>): void {
    if (frame === null) return this.#dropPlayer(ws, 1003, "an action is binary: u32 sequence + payload");
    const player = ws.data;
    if (player.inFlight >= this.#options.maxInFlightPerPlayer) return this.#dropPlayer(ws, 1008, "too many actions in flight");
    player.inFlight++;
    this.metrics.actionReceived();
    const header: ActionHeader = {
      actionId: this.#nextActionId++ >>> 0,
      playerId: player.id,
      clientSeq: frame.clientSeq,
      attempt: 1,
      sentAt: nowMicros(),
    };
    // The payload is a view of Bun's message buffer (or the received frame), reused after this callback: copy it once.
    const payload = Buffer.from(frame.payload);
    this.#redelivery?.track(header, payload, performance.now());
    this.#dispatcher.dispatch(header, payload);
  }

  #dropPlayer(ws: PlayerLink<Player>, code: number, reason: string): void {
    this.metrics.droppedPlayers++;
    ws.close(code, reason);
  }

  #onPlayerClose(ws: PlayerLink<Player>): void {
    this.#players.delete(ws.data.id);
    this.#redelivery?.forgetPlayer(ws.data.id);
  }

  async #readResults(): Promise<void> {
    for (;;) {
      let batch: Buffer[][];
      try {
        batch = await this.results.receiveBatch(1024);
      } catch {
        return; // closed
      }
      for (const frames of batch) this.#onServerMessage(frames);
    }
  }

  #onServerMessage(frames: Buffer[]): void {
    const message = decodeServerMessage(frames);
    if (message === null) return;
    if (message.kind === "hello") return this.servers.hello(message.serverId, message.endpoint);
    if (message.kind === "bye") return this.servers.bye(message.serverId);
    const { header, payload } = message;
    if (this.#redelivery !== null && !this.#redelivery.settle(header.actionId)) {
      this.metrics.duplicates++;
      return;
    }
    this.metrics.actionAnswered(header.serverId, elapsedMs(header.sentAt));
    const ws = this.#players.get(header.playerId);
    if (ws === undefined) return;
    ws.data.inFlight--;
    ws.send(encodePlayerFrame(header.clientSeq, payload));
  }

  #tick(): void {
    const now = performance.now();
    this.servers.sweep(now);
    if (this.#redelivery === null) return;
    for (const entry of this.#redelivery.expired(now)) {
      this.metrics.redelivered++;
      const header = { ...entry.header, sentAt: nowMicros() };
      this.#redelivery.track(header, entry.payload, now);
      this.#dispatcher.dispatch(header, entry.payload);
    }
  }

  /** The metrics model as one record; the per-second figures are the last completed second's. */
  snapshot(): GatewaySnapshot {
    return this.metrics.snapshot();
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    clearInterval(this.#sampler);
    await this.#metricsServer?.stop(true);
    for (const ws of this.#players.values()) ws.close(1001, "gateway shutting down");
    await this.#ws?.stop(true);
    this.zmqPlayers.close();
    this.actions.close();
    this.results.close();
  }
}
