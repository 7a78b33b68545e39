// The heartbeat timers of one ZMTP connection (ZMTP 3.1 PING/PONG, zmtp-notes §4.2), as libzmq 4.3.4
// runs them: our PINGs every interval, our time-out after a PING, and the peer's TTL after its PING.
// Imports wire. The engine owns one, counts inbound traffic on it, and acts on what it reports.
//
// Liveness is a counter, not a timer reset per frame: the engine bumps `arrivals` for every chunk of
// bytes it receives, and each timer remembers the count at the moment it was armed. "Any inbound
// frame cancels the timer" (libzmq) is then "the count moved since arming", checked when the timer
// fires — so receiving pays one increment per chunk, and only on connections with a Heartbeat.

import { encodePing } from "../wire/command.ts";

export interface HeartbeatOptions {
  /** ms between our PINGs, sent regardless of other traffic; 0 = none (ZMQ_HEARTBEAT_IVL). */
  interval: number;
  /** ms the peer may wait for traffic after our PING, sent as deciseconds; 0 = none (ZMQ_HEARTBEAT_TTL). */
  timeToLive: number;
  /** ms we wait for any frame after a PING before closing; -1 = `interval`, 0 = never (ZMQ_HEARTBEAT_TIMEOUT). */
  timeout: number;
}

export interface HeartbeatHost {
  /** Queue this encoded PING command frame for writing. */
  sendPing(frame: Uint8Array): void;
  /** Nothing arrived in time: close the connection. */
  heartbeatExpired(message: string): void;
}

const MAX_TTL_DECISECONDS = 0xffff;
const EMPTY = new Uint8Array(0);

/** What a PING carries for a TTL of `ms`: deciseconds, truncated as libzmq stores ZMQ_HEARTBEAT_TTL, 0..65535. */
export function ttlDeciseconds(ms: number): number {
  return ms > 0 ? Math.min(Math.trunc(ms / 100), MAX_TTL_DECISECONDS) : 0;
}

/**
 * The time-out libzmq arms for a received PING TTL: deciseconds × 100 in a uint16_t, so values above
 * 655 ds wrap (700 ds → 4 464 ms; zmtp-notes §0 item 8). 0 means no timer, as in libzmq.
 */
export function peerTtlMs(deciseconds: number): number {
  return (deciseconds * 100) & 0xffff;
}

type Timer = ReturnType<typeof setTimeout>;

export class Heartbeat {
  /** Chunks received so far on this connection; the engine increments it for each one. */
  arrivals = 0;
  readonly #host: HeartbeatHost;
  readonly #interval: number;
  readonly #timeout: number;
  /** Our PING, built once: libzmq sends no context, and ours is empty too (any frame proves liveness). */
  readonly #ping: Uint8Array;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #timeoutTimer: Timer | undefined;
  #timeoutMark = 0;
  #ttlTimer: Timer | undefined;
  #ttlMark = 0;
  #ttlMs = 0;
  #stopped = false;

  constructor(options: HeartbeatOptions, host: HeartbeatHost) {
    this.#host = host;
    this.#interval = options.interval;
    this.#timeout = options.timeout === -1 ? options.interval : options.timeout;
    this.#ping = encodePing(ttlDeciseconds(options.timeToLive), EMPTY);
  }

  /** After the handshake: starts our PINGs if an interval is set. */
  start(): void {
    if (this.#interval <= 0 || this.#stopped || this.#pingTimer !== undefined) return;
    this.#pingTimer = setInterval(() => this.#sendPing(), this.#interval);
    this.#pingTimer.unref?.();
  }

  /**
   * The peer sent a PING with `ttl` deciseconds (the engine has already counted its frame). libzmq
   * cancels its TTL timer on every inbound frame, this PING included, and then arms it anew, so the
   * deadline is always TTL after the latest PING, until any later frame cancels it.
   */
  peerPinged(ttl: number): void {
    if (this.#stopped) return;
    const ms = peerTtlMs(ttl);
    if (ms === 0) return;
    clearTimeout(this.#ttlTimer);
    this.#ttlMark = this.arrivals;
    this.#ttlMs = ms;
    this.#ttlTimer = setTimeout(() => this.#onTtl(), ms);
    this.#ttlTimer.unref?.();
  }

  /** Clears every timer; nothing fires or re-arms afterwards. */
  stop(): void {
    this.#stopped = true;
    clearInterval(this.#pingTimer);
    clearTimeout(this.#timeoutTimer);
    clearTimeout(this.#ttlTimer);
    this.#pingTimer = this.#timeoutTimer = this.#ttlTimer = undefined;
  }

  #sendPing(): void {
    if (this.#stopped) return;
    this.#host.sendPing(this.#ping);
    if (this.#stopped || this.#timeout <= 0) return;
    // libzmq arms the time-out when a PING goes out unless it is already armed. A frame since arming
    // would have cancelled it there, so only a timer whose mark still holds counts as armed.
    if (this.#timeoutTimer !== undefined && this.#timeoutMark === this.arrivals) return;
    clearTimeout(this.#timeoutTimer);
    this.#timeoutMark = this.arrivals;
    this.#timeoutTimer = setTimeout(() => this.#onTimeout(), this.#timeout);
    this.#timeoutTimer.unref?.();
  }

  #onTimeout(): void {
    this.#timeoutTimer = undefined;
    this.#expireAfterPoll(this.#timeoutMark, `no traffic from the peer within ${this.#timeout} ms of a heartbeat PING`);
  }

  #onTtl(): void {
    this.#ttlTimer = undefined;
    this.#expireAfterPoll(this.#ttlMark, `no traffic from the peer within the ${this.#ttlMs} ms TTL of its heartbeat PING`);
  }

  /**
   * Expires unless traffic arrived since `mark`, judged after the loop has read its sockets once
   * more: timers run before I/O in a loop turn, so after this thread was busy (a long synchronous
   * task, a collection, a loaded machine) a timer that is due would otherwise fire with the peer's
   * answer waiting unread in the kernel, and drop a live connection.
   */
  #expireAfterPoll(mark: number, message: string): void {
    if (this.#stopped || this.arrivals !== mark) return;
    // A timer, not setImmediate: Bun may run immediates before it polls, while waiting for even a
    // 1 ms timer makes it poll, and dispatch what the sockets hold, first.
    const grace = setTimeout(() => {
      if (this.#stopped || this.arrivals !== mark) return;
      this.#host.heartbeatExpired(message);
    }, 1);
    grace.unref?.();
  }
}
