// The Paranoid Pirate queue: a load-balancing broker that also watches its workers. Clients reach it
// through a Router front end; workers, Dealers that speak RFC 6 (protocol.ts), through a Router back
// end. It hands each request to the worker free longest, heartbeats every worker it knows, and
// forgets a worker from which nothing has come for LIVENESS intervals, so a crashed or frozen worker
// stops receiving requests. A request that worker had is lost here: the client's retry (client.ts)
// is what recovers it, by sending it again to be routed to a live worker.

import { Router } from "../../src/index.ts"; // in your project: from "bunzmq"
import type { Print } from "../cli.ts";
import { HEARTBEAT, LIVENESS, READY, type Timing, isCommand, pause } from "./protocol.ts";

interface Worker {
  id: Buffer;
  /** When the worker is taken for gone unless it sends something first (performance.now() ms). */
  expiresAt: number;
}

export class PirateQueue {
  readonly #frontEnd = new Router();
  readonly #backEnd = new Router();
  readonly #timing: Timing;
  readonly #print: Print;
  readonly #workers = new Map<string, Worker>();
  /** Names of the free workers, the one free longest first. */
  readonly #free: string[] = [];
  #onFree: (() => void) | null = null;
  #ticker: ReturnType<typeof setInterval> | undefined;
  #running: Promise<unknown> = Promise.resolve();
  /** Names of the workers this queue forgot for their silence. */
  readonly expired: string[] = [];
  /** Wakes until() when a worker comes or goes. */
  #onChange: (() => void) | null = null;

  constructor(timing: Timing, print: Print) {
    this.#timing = timing;
    this.#print = print;
  }

  /** Binds both ends (tcp://127.0.0.1:* picks free ports) and starts serving. */
  async start(frontEndpoint: string, backEndpoint: string): Promise<{ frontEnd: string; backEnd: string }> {
    await this.#frontEnd.bind(frontEndpoint);
    await this.#backEnd.bind(backEndpoint);
    this.#running = Promise.all([this.#fromWorkers(), this.#fromClients()]);
    this.#ticker = setInterval(() => this.#tick(), this.#timing.heartbeatMs);
    return { frontEnd: this.#frontEnd.lastEndpoint!, backEnd: this.#backEnd.lastEndpoint! };
  }

  /** Any message proves the worker alive; READY and a reply also make it free for the next request. */
  async #fromWorkers(): Promise<void> {
    for await (const [id, ...frames] of this.#backEnd) {
      const name = id!.toString();
      if (!this.#workers.has(name) && !isCommand(frames, READY)) continue; // forgotten already: ignore until READY
      this.#workers.set(name, { id: id!, expiresAt: performance.now() + LIVENESS * this.#timing.heartbeatMs });
      if (isCommand(frames, HEARTBEAT)) continue;
      if (isCommand(frames, READY)) {
        this.#print(`queue: ${name} is ready`);
        this.#onChange?.();
      } else await this.#frontEnd.send(frames); // REPLY: the client's address stack, then the answer
      if (!this.#free.includes(name)) this.#free.push(name);
      this.#onFree?.();
    }
  }

  /** Reads a client request only when a worker is free to take it. */
  async #fromClients(): Promise<void> {
    for (;;) {
      while (this.#free.length === 0) {
        if (this.#frontEnd.closed) return;
        await new Promise<void>((resolve) => (this.#onFree = resolve));
      }
      let request: Buffer[];
      try {
        request = await this.#frontEnd.receive();
      } catch (error) {
        if (this.#frontEnd.closed) return;
        throw error;
      }
      // The worker may have expired while the request was awaited; then wait for another one.
      const name = this.#free.shift();
      const worker = name === undefined ? undefined : this.#workers.get(name);
      if (worker === undefined) {
        this.#print("queue: no live worker for a request; the client will retry it");
        continue;
      }
      await this.#backEnd.send([worker.id, ...request]); // REQUEST: the client's address stack and content, behind the worker's id
    }
  }

  /** Every interval: forget the silent workers, heartbeat the others. */
  #tick(): void {
    const now = performance.now();
    for (const [name, worker] of this.#workers) {
      if (now < worker.expiresAt) {
        this.#backEnd.trySend([worker.id, HEARTBEAT]);
        continue;
      }
      this.#workers.delete(name);
      const free = this.#free.indexOf(name);
      if (free >= 0) this.#free.splice(free, 1);
      this.expired.push(name);
      this.#print(`queue: ${name} silent for ${LIVENESS} heartbeats, forgotten`);
      this.#onChange?.();
    }
  }

  /** The workers the queue knows (live ones), by name. */
  get workers(): string[] {
    return [...this.#workers.keys()];
  }

  /** Resolves to true once `check` holds, checked whenever a worker comes or goes; false after `ms`. */
  async until(check: () => boolean, ms: number): Promise<boolean> {
    const deadline = performance.now() + ms;
    while (!check()) {
      const left = deadline - performance.now();
      if (left <= 0) return false;
      await Promise.race([new Promise<void>((resolve) => (this.#onChange = resolve)), pause(left)]);
    }
    return true;
  }

  /** Stops: the workers will notice the silence and reconnect, the clients will retry. */
  async close(): Promise<void> {
    clearInterval(this.#ticker);
    this.#frontEnd.close();
    this.#backEnd.close();
    this.#onFree?.();
    await this.#running;
  }
}
