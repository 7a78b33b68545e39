// The Majordomo broker (RFC 18/MDP 0.2): one Router for clients and workers alike, told apart by
// the header frame (protocol.ts). It keeps a queue of requests and a list of waiting workers per
// service, hands each request to the worker that has waited longest, relays PARTIAL and FINAL
// replies to the client (with the service name, as MDP/Client requires), and heartbeats its workers.
// A worker silent for `liveness` heartbeats is forgotten, as is one that breaks the protocol (after a
// DISCONNECT); a request nobody can serve is dropped once it has waited `requestTtlMs`. What is lost
// that way the client recovers by retrying (client.ts).

import { Router } from "../../src/index.ts"; // in your project: from "bunzmq"
import type { Print } from "../cli.ts";
import { CLIENT, CLIENT_COMMANDS, type Timing, WORKER, WORKER_COMMANDS, command, parseCommand } from "./protocol.ts";

interface Worker {
  id: Buffer;
  service: string;
  /** When the worker is taken for gone unless it sends something first (performance.now() ms). */
  expiresAt: number;
}

interface Service {
  /** Requests waiting for a worker: the client's routing id, the body, and when it is dropped. */
  requests: Array<{ client: Buffer; body: Buffer[]; dropAt: number }>;
  /** Workers waiting for a request, the one waiting longest first (routing ids as text). */
  waiting: string[];
}

export class MajordomoBroker {
  readonly #socket = new Router();
  readonly #timing: Timing;
  readonly #requestTtlMs: number;
  readonly #print: Print;
  readonly #services = new Map<string, Service>();
  readonly #workers = new Map<string, Worker>();
  #ticker: ReturnType<typeof setInterval> | undefined;
  /** Wakes until() when a worker registers or is forgotten. */
  #onChange: (() => void) | null = null;
  #running: Promise<void> = Promise.resolve();

  constructor(timing: Timing, requestTtlMs: number, print: Print) {
    this.#timing = timing;
    this.#requestTtlMs = requestTtlMs;
    this.#print = print;
  }

  /** Binds (tcp://127.0.0.1:* picks a free port) and serves until close(); returns the endpoint. */
  async start(endpoint: string): Promise<string> {
    await this.#socket.bind(endpoint);
    this.#running = this.#serve();
    this.#ticker = setInterval(() => this.#tick(), this.#timing.heartbeatMs);
    return this.#socket.lastEndpoint!;
  }

  async #serve(): Promise<void> {
    for await (const [sender, ...frames] of this.#socket) {
      const parsed = parseCommand(frames);
      // RFC 18: invalid messages are dropped.
      if (parsed === null) continue;
      if (parsed.header === CLIENT && parsed.command === CLIENT_COMMANDS.REQUEST && parsed.rest.length >= 1) {
        const [service, ...body] = parsed.rest;
        this.#service(service!.toString()).requests.push({ client: sender!, body, dropAt: performance.now() + this.#requestTtlMs });
        this.#dispatch(service!.toString());
      } else if (parsed.header === WORKER) {
        await this.#fromWorker(sender!, parsed.command, parsed.rest);
      }
    }
  }

  async #fromWorker(id: Buffer, byte: number, rest: Buffer[]): Promise<void> {
    const name = id.toString();
    const worker = this.#workers.get(name);
    if (worker === undefined) {
      // Only READY opens a worker's conversation; anything else from an unknown worker is answered
      // with DISCONNECT (RFC 18), which sends it back to READY on a new socket.
      if (byte === WORKER_COMMANDS.READY && rest.length === 1) return this.#ready(id, rest[0]!.toString());
      if (byte !== WORKER_COMMANDS.DISCONNECT) await this.#socket.send([id, WORKER, command(WORKER_COMMANDS.DISCONNECT)]);
      return;
    }
    worker.expiresAt = performance.now() + this.#timing.liveness * this.#timing.heartbeatMs;
    if (byte === WORKER_COMMANDS.HEARTBEAT) return;
    if (byte === WORKER_COMMANDS.DISCONNECT) return this.#forget(name, "disconnected");
    if ((byte === WORKER_COMMANDS.PARTIAL || byte === WORKER_COMMANDS.FINAL) && rest.length >= 2) {
      const [client, , ...body] = rest;
      const reply = byte === WORKER_COMMANDS.FINAL ? CLIENT_COMMANDS.FINAL : CLIENT_COMMANDS.PARTIAL;
      await this.#socket.send([client!, CLIENT, command(reply), worker.service, ...body]);
      if (byte === WORKER_COMMANDS.PARTIAL) return;
      this.#service(worker.service).waiting.push(name);
      return this.#dispatch(worker.service);
    }
    // A valid but unexpected command (a second READY, a REQUEST): DISCONNECT, and no more commands.
    await this.#socket.send([id, WORKER, command(WORKER_COMMANDS.DISCONNECT)]);
    this.#forget(name, "broke the protocol");
  }

  #ready(id: Buffer, service: string): void {
    const name = id.toString();
    this.#workers.set(name, { id, service, expiresAt: performance.now() + this.#timing.liveness * this.#timing.heartbeatMs });
    this.#service(service).waiting.push(name);
    this.#print(`broker: ${name} serves "${service}"`);
    this.#onChange?.();
    this.#dispatch(service);
  }

  /** Hands the service's oldest requests to its longest-waiting workers, as far as both last. */
  #dispatch(name: string): void {
    const service = this.#service(name);
    while (service.requests.length > 0 && service.waiting.length > 0) {
      const { client, body } = service.requests.shift()!;
      const worker = this.#workers.get(service.waiting.shift()!)!;
      // Sent at once: a worker holds one request at a time, so its queue is never full.
      this.#socket.trySend([worker.id, WORKER, command(WORKER_COMMANDS.REQUEST), client, "", ...body]);
    }
  }

  /** Every interval: forget silent workers, heartbeat the rest, drop requests that waited too long. */
  #tick(): void {
    const now = performance.now();
    for (const [name, worker] of this.#workers) {
      if (now >= worker.expiresAt) this.#forget(name, `silent for ${this.#timing.liveness} heartbeats`);
      else this.#socket.trySend([worker.id, WORKER, command(WORKER_COMMANDS.HEARTBEAT)]);
    }
    for (const [name, service] of this.#services) {
      const expired = service.requests.filter((request) => now >= request.dropAt);
      if (expired.length === 0) continue;
      service.requests = service.requests.filter((request) => now < request.dropAt);
      this.#print(`broker: dropped ${expired.length} request(s) for "${name}": no worker came in time`);
    }
  }

  #forget(name: string, why: string): void {
    const worker = this.#workers.get(name);
    if (worker === undefined) return;
    this.#workers.delete(name);
    const waiting = this.#service(worker.service).waiting;
    if (waiting.includes(name)) waiting.splice(waiting.indexOf(name), 1);
    this.#print(`broker: forgot ${name} (${why})`);
    this.#onChange?.();
  }

  /** How many workers are registered. */
  get workerCount(): number {
    return this.#workers.size;
  }

  /** Resolves to true once `check` holds, checked whenever a worker comes or goes; false after `ms`. */
  async until(check: () => boolean, ms: number): Promise<boolean> {
    const deadline = performance.now() + ms;
    while (!check()) {
      const left = deadline - performance.now();
      if (left <= 0) return false;
      await Promise.race([new Promise<void>((resolve) => (this.#onChange = resolve)), new Promise((resolve) => setTimeout(resolve, left))]);
    }
    return true;
  }

  #service(name: string): Service {
    let service = this.#services.get(name);
    if (service === undefined) this.#services.set(name, (service = { requests: [], waiting: [] }));
    return service;
  }

  async close(): Promise<void> {
    clearInterval(this.#ticker);
    this.#socket.close();
    await this.#running;
  }
}
