// A game server: a bound PULL receives actions from the gateway's PUSH, a PUSH connected to the gateway
// returns results and announces this server (HELLO every second, BYE when it leaves).
//
// Graceful stop: BYE, then keep working until the gateway has closed our actions connection (it
// flushes everything queued for us first), answer every action received, flush the results, close.
// Nothing is lost. A hard kill loses what this process held; see docs/gateway.md.

import { Pull, Push } from "../../src/index.ts";
import { decodeAction, encodeBye, encodeHello, encodeResult } from "./protocol.ts";

export interface GameServerOptions {
  id: number;
  /** The gateway's results endpoint, e.g. tcp://10.0.0.5:5556. */
  gateway: string;
  /** Where this server's actions PULL binds (default tcp://127.0.0.1:*). */
  bind?: string;
  /** The endpoint announced to the gateway, when it differs from the bound one (tcp://*:p, NAT). */
  advertise?: string;
  /** CPU time each action costs, in µs: the game logic stand-in (default 20). */
  workMicros?: number;
}

export class GameServer {
  readonly id: number;
  // The receive time-out wakes the work loop now and then, so a stop can tell "queue empty" apart
  // from "nothing yet" without closing the socket under a receive.
  readonly actions = new Pull({ linger: 0, receiveHighWaterMark: 10_000, receiveTimeout: 100 });
  readonly results = new Push({ linger: 5_000, sendHighWaterMark: 10_000 });
  handled = 0;
  readonly #options: GameServerOptions;
  #announcer: ReturnType<typeof setInterval> | undefined;
  #loop: Promise<void> = Promise.resolve();
  #stopping = false;
  /** The gateway has closed our actions connection: once the queue is empty, the loop ends. */
  #drain = false;
  /** A send awaits room (results at the high-water mark): the next one waits for it (one at a time, as in zeromq.js). */
  #sendPending: Promise<void> | null = null;
  #gatewayClosed: Promise<void>;

  constructor(options: GameServerOptions) {
    this.id = options.id;
    this.#options = options;
    // The gateway ends our actions connection only when we leave (or it shuts down).
    this.#gatewayClosed = new Promise((resolve) => this.actions.events.on("disconnect", () => resolve()));
  }

  get endpoint(): string {
    return this.#options.advertise ?? this.actions.lastEndpoint!;
  }

  async start(): Promise<void> {
    await this.actions.bind(this.#options.bind ?? "tcp://127.0.0.1:*");
    this.results.connect(this.#options.gateway);
    // A server busy catching up (its results at the high-water mark) announces itself later.
    const announce = () => void (this.#sendPending !== null || this.results.trySend(encodeHello(this.id, this.endpoint)));
    announce();
    this.#announcer = setInterval(announce, 1000);
    this.#loop = this.#work();
  }

  async #work(): Promise<void> {
    for (;;) {
      let batch: Buffer[][];
      try {
        batch = await this.actions.receiveBatch(256);
      } catch {
        // EAGAIN: the time-out found the queue empty (done, if draining), or the socket closed.
        if (this.#drain || this.actions.closed) return;
        continue;
      }
      for (const [head, payload] of batch) {
        const header = decodeAction(head!);
        if (header === null || payload === undefined) continue; // not from a gateway: ignore
        const outcome = play(payload, this.#options.workMicros ?? 20);
        const message = [encodeResult({ ...header, serverId: this.id }), outcome];
        try {
          await this.#emit(message);
        } catch {
          return; // killed while waiting for room: the results are dropped with the socket
        }
        this.handled++;
      }
    }
  }

  /**
   * Leaves without losing an action: says BYE, waits (up to `timeoutMs`) for the gateway to flush
   * and close our actions connection, answers everything received, then closes with the results
   * flushed (linger).
   */
  async stop(timeoutMs = 5_000): Promise<void> {
    if (this.#stopping) return this.#loop;
    this.#stopping = true;
    clearInterval(this.#announcer);
    await this.#emit(encodeBye(this.id));
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.#gatewayClosed, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    // Everything the gateway sent is in our queue now: the loop answers it and ends when it is empty.
    this.#drain = true;
    await this.#loop;
    this.actions.close();
    this.results.close();
  }

  /** Sends on the results PUSH after any send still waiting for room (the work loop's, or BYE). */
  async #emit(message: Parameters<Push["trySend"]>[0]): Promise<void> {
    while (this.#sendPending !== null) await this.#sendPending.catch(() => {});
    if (this.results.trySend(message)) return;
    this.#sendPending = this.results.send(message).finally(() => (this.#sendPending = null));
    await this.#sendPending;
  }

  /** Stops at once, dropping whatever is queued: a crash, for tests and the demo. */
  kill(): void {
    if (this.results.closed) return;
    this.#stopping = true;
    clearInterval(this.#announcer);
    this.results.linger = 0;
    this.actions.close();
    this.results.close();
  }
}

/** The game logic stand-in: spends `workMicros` of CPU and returns an 8-byte outcome of the action. */
function play(payload: Uint8Array, workMicros: number): Uint8Array {
  const until = Bun.nanoseconds() + workMicros * 1000;
  let hash = 2166136261;
  do {
    for (let i = 0; i < payload.length; i++) hash = Math.imul(hash ^ payload[i]!, 16777619);
  } while (Bun.nanoseconds() < until);
  const outcome = Buffer.allocUnsafe(8);
  outcome.writeUInt32BE(hash >>> 0, 0);
  outcome.writeUInt32BE(payload.length, 4);
  return outcome;
}
