// The gateway's one metrics model: what happened (actions in, answers out, re-sends, duplicates,
// dropped players, servers joining, leaving and dying) and what is true now (players, backlog, each
// server's state), plus figures over the last one-second window (actions/s, latency percentiles,
// each server's share and queue depth). Every reader reads this model and none resets it: the
// STATS line and the demo's dashboard (snapshot()), the Prometheus endpoint (./metrics-endpoint.ts)
// and any live page.
//
// Per-server queue depth: the PUSH round-robins, so the gateway never knows which server holds which
// action, and no socket API reports a peer's queue. It is measured the way queueing theory allows
// (Little's law, L = λW): the sum of the latencies of the actions a server answered in the window,
// divided by the window's length, is the mean number of actions that were on their way to, waiting
// at or being played by that server during it. A server that answers nothing in a window shows 0
// there, however much it holds: its share (0) and its state say that.

import { Histogram } from "prom-client";
import { LatencyWindow, RateCounter } from "./stats.ts";

/** What the gateway's server registry says about one server. */
export interface ServerState {
  id: number;
  connected: boolean;
  leaving: boolean;
}

/** The gateway's current values, read by the model when asked (nothing here is copied ahead). */
export interface GatewayGauges {
  players(): number;
  /** Actions waiting because no server has room. */
  backlog(): number;
  /** At-least-once: actions dispatched and not yet answered. */
  awaitingAnswer(): number;
  /** Bytes of actions in the PUSH's swap files (overflow, or the whole journal in durable mode). */
  spillBytes(): number;
  servers(): ServerState[];
}

export interface ServerFigures extends ServerState {
  /** Answers from this server per second over the last window. */
  perSecond: number;
  /** Answers from this server since the gateway started. */
  answered: number;
  /** This server's part of the last window's answers, 0 to 1. */
  share: number;
  /** Mean actions on their way to, queued at or played by this server over the last window. */
  queueDepth: number;
}

export interface GatewaySnapshot {
  /** Actions taken from players since the gateway started (in durable mode: each journaled). */
  received: number;
  actionsPerSecond: number;
  answeredPerSecond: number;
  /** Gateway-side latency (action taken from its player, or re-sent → its result back) of the last window, ms. */
  p50: number;
  p99: number;
  players: number;
  servers: ServerFigures[];
  backlog: number;
  awaitingRedelivery: number;
  redelivered: number;
  duplicates: number;
  droppedPlayers: number;
  /** Bytes of actions in the PUSH's swap files now (overflow, or the whole journal in durable mode). */
  spillBytes: number;
  /** The most `spillBytes` has been, sampled every 100 ms since the gateway started. */
  peakSpillBytes: number;
}

/** How a server's membership changed: announced itself, its connection came up or went down, left, or was given up. */
export type ServerEvent = "joined" | "connected" | "disconnected" | "left" | "lost";
export const SERVER_EVENTS: readonly ServerEvent[] = ["joined", "connected", "disconnected", "left", "lost"];

/** Latency buckets in seconds: from a loopback round trip (~100 µs) to a re-sent action (seconds). */
const LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

interface ServerTally {
  answered: number;
  windowAnswered: number;
  windowLatencyMs: number;
  /** The last closed window's figures. */
  perSecond: number;
  share: number;
  queueDepth: number;
}

export class GatewayMetrics {
  /** Per-server latency histograms, kept by prom-client (the endpoint registers it). */
  readonly latency = new Histogram({
    name: "gateway_action_latency_seconds",
    help: "Time from the gateway taking an action from a player (or sending it again) until its result is back, by the server that answered.",
    labelNames: ["server"],
    buckets: LATENCY_BUCKETS,
    registers: [],
  });
  readonly received = new RateCounter();
  readonly answered = new RateCounter();
  redelivered = 0;
  duplicates = 0;
  droppedPlayers = 0;
  peakSpillBytes = 0;
  readonly serverEvents: Record<ServerEvent, number> = { joined: 0, connected: 0, disconnected: 0, left: 0, lost: 0 };
  readonly #gauges: GatewayGauges;
  readonly #window = new LatencyWindow();
  readonly #servers = new Map<number, ServerTally>();
  #windowStart = performance.now();
  #last = { actionsPerSecond: 0, answeredPerSecond: 0, p50: 0, p99: 0 };

  constructor(gauges: GatewayGauges) {
    this.#gauges = gauges;
  }

  actionReceived(): void {
    this.received.add();
  }

  /** A first answer reached the gateway from `serverId`, `latencyMs` after the action was dispatched. */
  actionAnswered(serverId: number, latencyMs: number): void {
    this.answered.add();
    this.#window.record(latencyMs);
    const tally = this.#tally(serverId);
    tally.answered++;
    tally.windowAnswered++;
    tally.windowLatencyMs += latencyMs;
    this.latency.observe({ server: String(serverId) }, latencyMs / 1000);
  }

  /** The gateway's PUSH holds `bytes` on disk now (the peak is kept). */
  observeSpill(bytes: number): void {
    this.peakSpillBytes = Math.max(this.peakSpillBytes, bytes);
  }

  serverEvent(event: ServerEvent): void {
    this.serverEvents[event]++;
  }

  /** Closes the current window (the gateway calls this once a second) and starts the next. */
  sample(now = performance.now()): void {
    const seconds = (now - this.#windowStart) / 1000;
    this.#windowStart = now;
    if (seconds <= 0) return;
    const latency = this.#window.take();
    let answers = 0;
    for (const tally of this.#servers.values()) answers += tally.windowAnswered;
    for (const tally of this.#servers.values()) {
      tally.perSecond = tally.windowAnswered / seconds;
      tally.share = answers > 0 ? tally.windowAnswered / answers : 0;
      tally.queueDepth = tally.windowLatencyMs / 1000 / seconds;
      tally.windowAnswered = 0;
      tally.windowLatencyMs = 0;
    }
    this.#last = {
      actionsPerSecond: this.received.rate(now),
      answeredPerSecond: this.answered.rate(now),
      p50: latency?.p50 ?? 0,
      p99: latency?.p99 ?? 0,
    };
  }

  /** Every server the gateway knows, with its last window's figures; sorted by id. */
  servers(): ServerFigures[] {
    return this.#gauges
      .servers()
      .sort((a, b) => a.id - b.id)
      .map((state) => {
        const { answered, perSecond, share, queueDepth } = this.#tally(state.id);
        return { ...state, answered, perSecond, share, queueDepth };
      });
  }

  /** The model as one record (the STATS line, the dashboard, a live page); reading changes nothing. */
  snapshot(): GatewaySnapshot {
    return {
      received: this.received.total,
      ...this.#last,
      players: this.#gauges.players(),
      servers: this.servers(),
      backlog: this.#gauges.backlog(),
      awaitingRedelivery: this.#gauges.awaitingAnswer(),
      redelivered: this.redelivered,
      duplicates: this.duplicates,
      droppedPlayers: this.droppedPlayers,
      spillBytes: this.#gauges.spillBytes(),
      peakSpillBytes: this.peakSpillBytes,
    };
  }

  /** The current values the endpoint reads without a window: players, backlog, awaiting answer. */
  get gauges(): GatewayGauges {
    return this.#gauges;
  }

  #tally(serverId: number): ServerTally {
    let tally = this.#servers.get(serverId);
    if (tally === undefined) {
      tally = { answered: 0, windowAnswered: 0, windowLatencyMs: 0, perSecond: 0, share: 0, queueDepth: 0 };
      this.#servers.set(serverId, tally);
    }
    return tally;
  }
}
