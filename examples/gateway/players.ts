// Simulated players: WebSocket clients of the gateway, each sending small binary actions at a steady
// rate and timing every answer end to end (player → gateway → server → gateway → player). They also
// check delivery: every action answered exactly once, or counted as lost or duplicated.

import { encodePlayerFrame } from "./protocol.ts";
import { LatencyWindow, RateCounter } from "./stats.ts";

export interface PlayersOptions {
  /** The gateway's WebSocket URL (ws://host:port/play). */
  url: string;
  players: number;
  /** Actions per second per player (default 10). Ignored when `window` is set. */
  rate?: number;
  /**
   * Closed loop instead of a rate: each player keeps this many actions unanswered, sending the next
   * as soon as one is answered (0, the default: open loop at `rate`). Measures the most the path carries.
   */
  window?: number;
  /** Payload bytes per action (default 16). */
  payloadBytes?: number;
}

export interface PlayersSnapshot {
  connected: number;
  sentPerSecond: number;
  answeredPerSecond: number;
  /** End-to-end latency of the last window, ms. */
  p50: number;
  p99: number;
  outstanding: number;
}

export interface PlayersSummary {
  sent: number;
  answered: number;
  /** Sent but never answered by the end of the drain. */
  lost: number;
  duplicates: number;
  latency: { p50: number; p99: number; max: number } | null;
}

interface Client {
  socket: WebSocket;
  open: boolean;
  nextSeq: number;
  /** clientSeq → send time (performance.now()). */
  waiting: Map<number, number>;
  /** Fractional actions owed by the rate, carried between ticks. */
  credit: number;
}

const TICK_MS = 10;

export class SimulatedPlayers {
  readonly #options: Required<PlayersOptions>;
  readonly #clients: Client[] = [];
  readonly #sent = new RateCounter();
  readonly #answeredRate = new RateCounter();
  readonly #window = new LatencyWindow();
  readonly #all = new LatencyWindow(true);
  readonly #payload: Uint8Array;
  #timer: ReturnType<typeof setInterval> | undefined;
  #duplicates = 0;
  #lastTick = 0;
  #stopped = false;

  constructor(options: PlayersOptions) {
    this.#options = { rate: 10, window: 0, payloadBytes: 16, ...options };
    this.#payload = new Uint8Array(this.#options.payloadBytes).map((_, i) => i);
  }

  /** Opens every connection (resolves once all are open or failed) and starts sending. */
  async start(): Promise<void> {
    const opened: Promise<void>[] = [];
    for (let i = 0; i < this.#options.players; i++) opened.push(this.#connect());
    await Promise.all(opened);
    this.#lastTick = performance.now();
    if (this.#options.window > 0) {
      for (const client of this.#clients)
        for (let i = 0; i < this.#options.window && client.open; i++) this.#send(client, performance.now());
      return;
    }
    this.#timer = setInterval(() => this.#tick(), TICK_MS);
  }

  #connect(): Promise<void> {
    const socket = new WebSocket(this.#options.url);
    socket.binaryType = "arraybuffer";
    const client: Client = { socket, open: false, nextSeq: 0, waiting: new Map(), credit: Math.random() };
    this.#clients.push(client);
    socket.onmessage = (event) => this.#onAnswer(client, new Uint8Array(event.data as ArrayBuffer));
    socket.onclose = () => void (client.open = false);
    return new Promise((resolve) => {
      socket.onopen = () => {
        client.open = true;
        resolve();
      };
      socket.onerror = () => resolve();
    });
  }

  #tick(): void {
    // Credit follows the clock, not the tick count: a late timer must not lower the rate.
    const now = performance.now();
    const perTick = (this.#options.rate * (now - this.#lastTick)) / 1000;
    this.#lastTick = now;
    for (const client of this.#clients) {
      if (!client.open) continue;
      client.credit += perTick;
      while (client.credit >= 1) {
        client.credit--;
        this.#send(client, now);
      }
    }
  }

  #send(client: Client, now: number): void {
    const seq = client.nextSeq++;
    client.waiting.set(seq, now);
    client.socket.send(encodePlayerFrame(seq, this.#payload));
    this.#sent.add();
  }

  #onAnswer(client: Client, frame: Uint8Array): void {
    if (frame.length < 4) return;
    const seq = ((frame[0]! << 24) | (frame[1]! << 16) | (frame[2]! << 8) | frame[3]!) >>> 0;
    const sentAt = client.waiting.get(seq);
    if (sentAt === undefined) {
      // Sequences are sent in order, so an answer for one we sent but no longer wait for is a repeat.
      if (seq < client.nextSeq) this.#duplicates++;
      return;
    }
    client.waiting.delete(seq);
    const now = performance.now();
    const ms = now - sentAt;
    this.#window.record(ms);
    this.#all.record(ms);
    this.#answeredRate.add();
    if (this.#options.window > 0 && !this.#stopped && client.open) this.#send(client, now);
  }

  snapshot(): PlayersSnapshot {
    const now = performance.now();
    const latency = this.#window.take();
    return {
      connected: this.#clients.filter((c) => c.open).length,
      sentPerSecond: this.#sent.rate(now),
      answeredPerSecond: this.#answeredRate.rate(now),
      p50: latency?.p50 ?? 0,
      p99: latency?.p99 ?? 0,
      outstanding: this.#outstanding(),
    };
  }

  /** Running totals, without touching the per-second windows. */
  get totals(): { sent: number; answered: number; outstanding: number; duplicates: number; connected: number } {
    return {
      sent: this.#sent.total,
      answered: this.#answeredRate.total,
      outstanding: this.#outstanding(),
      duplicates: this.#duplicates,
      connected: this.#clients.filter((c) => c.open).length,
    };
  }

  #outstanding(): number {
    let count = 0;
    for (const client of this.#clients) count += client.waiting.size;
    return count;
  }

  /** Stops sending and waits (up to `drainMs`) for the answers still owed, then closes. */
  async stop(drainMs = 5_000): Promise<PlayersSummary> {
    this.#stopped = true;
    clearInterval(this.#timer);
    const deadline = performance.now() + drainMs;
    // No open connection means no answer can still come (the gateway is gone): stop waiting then.
    while (this.#outstanding() > 0 && performance.now() < deadline && this.#clients.some((c) => c.open))
      await new Promise((r) => setTimeout(r, 20));
    for (const client of this.#clients) client.socket.close();
    const overall = this.#all.overall();
    return {
      sent: this.#sent.total,
      answered: this.#answeredRate.total,
      lost: this.#outstanding(),
      duplicates: this.#duplicates,
      latency: overall === null ? null : { p50: overall.p50, p99: overall.p99, max: overall.max },
    };
  }
}
