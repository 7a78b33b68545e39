// A load-balancing broker: clients' requests go to whichever worker is free, never to a busy one.
// Two Routers: the front end faces the clients (Request sockets), the back end the workers (Request
// sockets too, which send "READY" when they start and each reply when done). The broker keeps the
// free workers in a queue, least recently used first, and reads a client request only when a worker
// is free, so requests wait in the front end (and, at its high-water mark, in the clients) rather
// than piling up in the broker. A Router addresses each peer by the routing id it prefixes to what
// that peer sent; the broker carries the client's id through the worker and back.

import type { Router } from "../../src/index.ts"; // in your project: from "bunzmq"
import type { Print } from "../cli.ts";

/** What a worker sends when it starts, before its first request. */
export const READY = "READY";

export class LoadBalancer {
  readonly #frontEnd: Router;
  readonly #backEnd: Router;
  readonly #print: Print;
  /** Routing ids of the workers that are free, the one free longest first. */
  readonly #free: Buffer[] = [];
  /** Wakes the front-end loop when a worker becomes free. */
  #onFree: (() => void) | null = null;
  /** Requests routed to each worker, by the worker's routing id. */
  readonly routed = new Map<string, number>();

  constructor(frontEnd: Router, backEnd: Router, print: Print) {
    this.#frontEnd = frontEnd;
    this.#backEnd = backEnd;
    this.#print = print;
  }

  /** Runs both loops until the sockets are closed. */
  async run(): Promise<void> {
    await Promise.all([this.#fromWorkers(), this.#fromClients()]);
  }

  /**
   * Back end: [worker, "", READY] adds a worker; [worker, "", client, "", reply] passes the reply
   * on and frees the worker again.
   */
  async #fromWorkers(): Promise<void> {
    for await (const [worker, , ...rest] of this.#backEnd) {
      if (rest.length === 1 && rest[0]!.toString() === READY) {
        this.#print(`broker: ${worker} is ready`);
      } else {
        const [client, , reply] = rest;
        await this.#frontEnd.send([client!, "", reply!]);
      }
      this.#free.push(worker!);
      this.#onFree?.();
    }
    this.#onFree?.();
  }

  /** Front end: one client request at a time, each only once a worker is free to take it. */
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
        if (this.#frontEnd.closed) return; // closed while waiting: the run is over
        throw error;
      }
      const [client, , body] = request;
      const worker = this.#free.shift()!;
      this.routed.set(worker.toString(), (this.routed.get(worker.toString()) ?? 0) + 1);
      await this.#backEnd.send([worker, "", client!, "", body!]);
    }
  }

  /** Ends both loops: closing the sockets ends their receives. */
  close(): void {
    this.#frontEnd.close();
    this.#backEnd.close();
    this.#onFree?.();
  }
}
