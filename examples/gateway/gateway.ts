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
// `swapBytes` lets the PUSH queue actions on disk (bunzmq's `swap`) when no server can take them;
// `swapDirectory` makes that durable (./durable-answers.ts), so a gateway killed and restarted on
// the directory answers every action it had accepted.
// Everything it counts goes to one metrics model (./metrics-model.ts), served at /metrics.

import type { Server, ServerWebSocket } from "bun";
import { Pull, type Push } from "../../src/index.ts";
import { actionsPush, ANONYMOUS_PLAYERS, DurableAnswers } from "./durable-answers.ts";
import { type GatewayOptions, withDefaults } from "./gateway-options.ts";
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

export type { GatewayOptions } from "./gateway-options.ts";
export type { GatewaySnapshot } from "./metrics-model.ts";

interface Player {
  id: number;
  inFlight: number;
}

export class Gateway {
  readonly actions: Push;
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
  #nextPlayerId = ANONYMOUS_PLAYERS;
  readonly #durable: DurableAnswers | null;

  constructor(options: GatewayOptions = {}) {
    this.#options = withDefaults(options);
    const { swapBytes, swapDirectory, swapSync } = this.#options;
    // The PUSH first: its journal's lock (EBUSY) keeps a second gateway off a directory in use.
    this.actions = actionsPush(swapBytes, swapDirectory, swapSync);
    this.#durable = swapDirectory === null ? null : new DurableAnswers(swapDirectory, swapSync, this.#options.maxInFlightPerPlayer);
    this.#redelivery = this.#options.atLeastOnce ? new Redelivery(this.#options.redeliverAfterMs) : null;
    this.#dispatcher = new ActionDispatcher(this.actions);
    this.metrics = new GatewayMetrics({
      players: () => this.#players.size,
      backlog: () => this.#dispatcher.backlog,
      awaitingAnswer: () => this.#redelivery?.size ?? 0,
      spillBytes: () => this.actions.spilledBytes,
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
    if (this.#durable !== null) this.#recover(this.#durable);
    await this.results.bind(this.#options.resultsEndpoint);
    void this.#readResults();
    if (this.#options.zmqPlayersEndpoint !== null) await this.zmqPlayers.start(this.#options.zmqPlayersEndpoint);
    this.#ws = Bun.serve<Player>({
      hostname: this.#options.wsHostname,
      port: this.#options.wsPort,
      fetch: (request, server) => {
        const url = new URL(request.url);
        if (url.pathname !== "/play") return new Response("bunzmq game gateway: open a WebSocket to /play\n", { status: 404 });
        const id = this.#playerId(url.searchParams.get("player"));
        if (typeof id === "string") return new Response(`${id}\n`, { status: 409 });
        if (server.upgrade(request, { data: { id, inFlight: 0 } })) return;
        return new Response("bunzmq game gateway: /play is a WebSocket\n", { status: 426 });
      },
      websocket: {
        // A bigger message closes that player's connection (1009) before we see it.
        maxPayloadLength: 4 + MAX_ACTION_BYTES,
        open: (ws) => this.#onPlayerOpen(ws),
        message: (ws, data) => this.#onPlayerMessage(ws, data),
        close: (ws) => this.#onPlayerClose(ws),
      },
    });
    this.#metricsServer = serveMetrics(gatewayRegistry(this.metrics), this.#options.metricsHostname, this.#options.metricsPort, this);
    this.#timer = setInterval(() => this.#tick(), 100);
    this.#sampler = setInterval(() => this.metrics.sample(), 1000);
  }

  /** `/play?player=<id>` names a player (1 to 2^31-1), the same across reconnects and gateway restarts; else the gateway picks one. */
  #playerId(named: string | null): number | string {
    if (named === null) return this.#nextPlayerId++ >>> 0;
    const id = Number(named);
    if (!Number.isInteger(id) || id < 1 || id >= ANONYMOUS_PLAYERS) return `player must be 1 to ${ANONYMOUS_PLAYERS - 1}`;
    if (this.#players.has(id)) return `player ${id} is connected already`;
    return id;
  }

  #onPlayerOpen(ws: ServerWebSocket<Player>): void {
    this.#players.set(ws.data.id, ws);
    for (const { action, result } of this.#durable?.takeParked(ws.data.id) ?? [])
      this.#answer(ws, action.actionId, action.clientSeq, result);
  }

  /** Durable mode: plays again what the last gateway on the directory accepted and did not answer. */
  #recover(durable: DurableAnswers): void {
    this.#nextActionId = durable.nextActionId;
    this.#nextPlayerId = durable.nextAnonymousPlayer;
    const now = performance.now();
    for (const { actionId, playerId, clientSeq, payload } of durable.recovered) {
      const header: ActionHeader = { actionId, playerId, clientSeq, attempt: 2, sentAt: nowMicros() };
      this.#redelivery!.track(header, payload, now);
      this.#dispatcher.dispatch(header, payload);
    }
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
    this.#durable?.accepted(header, payload);
    this.#redelivery?.track(header, payload, performance.now());
    this.#dispatcher.dispatch(header, payload);
  }

  #dropPlayer(ws: PlayerLink<Player>, code: number, reason: string): void {
    this.metrics.droppedPlayers++;
    ws.close(code, reason);
  }

  #onPlayerClose(ws: PlayerLink<Player>): void {
    if (this.#players.get(ws.data.id) === ws) this.#players.delete(ws.data.id);
    // A named player may come back (durable mode): its actions are still played and their answers kept.
    if (this.#durable === null || ws.data.id >= ANONYMOUS_PLAYERS) this.#redelivery?.forgetPlayer(ws.data.id);
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
    const pending = this.#redelivery?.settle(header.actionId);
    if (this.#redelivery !== null && pending === undefined) {
      this.metrics.duplicates++;
      return;
    }
    this.metrics.actionAnswered(header.serverId, elapsedMs(header.sentAt));
    const ws = this.#players.get(header.playerId);
    if (ws !== undefined) return this.#answer(ws, header.actionId, header.clientSeq, payload);
    this.#durable?.undelivered(header, pending!.payload, payload);
  }

  #answer(ws: PlayerLink<Player>, actionId: number, clientSeq: number, result: Uint8Array): void {
    if (ws.data.inFlight > 0) ws.data.inFlight--;
    ws.send(encodePlayerFrame(clientSeq, result));
    this.#durable?.answered(actionId);
  }

  #tick(): void {
    const now = performance.now();
    this.servers.sweep(now);
    this.metrics.observeSpill(this.actions.spilledBytes);
    this.#durable?.compactIfLarge(() => this.#redelivery!.values());
    if (this.#redelivery === null) return;
    // With no server up, actions wait in the PUSH's queue: nobody lost them, so none is sent twice.
    this.#redelivery.hold(this.servers.connectedCount === 0, now);
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
    this.#durable?.close();
  }
}
