// A Majordomo worker (RFC 18/MDP 0.2): a Dealer that registers one service with READY, then answers
// each REQUEST with zero or more PARTIALs and one FINAL, through a handler that gets a `partial`
// callback. It heartbeats the broker when it has sent nothing else for an interval (RFC 18: not
// while sending other commands) and takes the broker for gone after `liveness` silent intervals, or
// on DISCONNECT; either way it opens a new socket and registers again, which is how workers find a
// restarted broker. stop() says DISCONNECT, so the broker forgets it at once.

import { Dealer } from "../../src/index.ts"; // in your project: from "bunzmq"
import type { Print } from "../cli.ts";
import { type Timing, WORKER, WORKER_COMMANDS, command, parseCommand } from "./protocol.ts";

/** Answers one request: returns the FINAL body, after sending any PARTIAL ones through `partial`. */
export type Handler = (request: Buffer[], partial: (body: string[]) => Promise<void>) => Promise<string[]>;

export class MajordomoWorker {
  readonly name: string;
  readonly #service: string;
  readonly #endpoint: string;
  readonly #timing: Timing;
  readonly #handler: Handler;
  readonly #print: Print;
  #socket: Dealer | null = null;
  #stopped = false;
  /** Requests answered with a FINAL. */
  answered = 0;

  constructor(name: string, service: string, endpoint: string, timing: Timing, handler: Handler, print: Print) {
    this.name = name;
    this.#service = service;
    this.#endpoint = endpoint;
    this.#timing = timing;
    this.#handler = handler;
    this.#print = print;
  }

  /** Serves until stop(), registering again on a new socket whenever the broker is lost. */
  async run(): Promise<void> {
    for (let conversation = 1; !this.#stopped; conversation++) {
      const lost = await this.#converse(`${this.name}#${conversation}`);
      if (lost) this.#print(`${this.name}: lost the broker, registering again`);
    }
  }

  /** One registration; true when the broker was lost, false when stopped. */
  async #converse(id: string): Promise<boolean> {
    const socket = new Dealer({ routingId: id, receiveTimeout: this.#timing.heartbeatMs, linger: 0 });
    this.#socket = socket;
    socket.connect(this.#endpoint);
    let lastSent = performance.now();
    const send = async (frames: Array<string | Uint8Array>) => {
      lastSent = performance.now();
      await socket.send([WORKER, ...frames]);
    };
    await send([command(WORKER_COMMANDS.READY), this.#service]);
    const heartbeat = setInterval(() => {
      if (performance.now() - lastSent >= this.#timing.heartbeatMs) socket.trySend([WORKER, command(WORKER_COMMANDS.HEARTBEAT)]);
    }, this.#timing.heartbeatMs);
    try {
      for (let liveness = this.#timing.liveness; liveness > 0; ) {
        let frames: Buffer[];
        try {
          frames = await socket.receive();
        } catch (error) {
          if (socket.closed) return false;
          if ((error as { code?: string }).code !== "EAGAIN") throw error;
          liveness--;
          continue;
        }
        liveness = this.#timing.liveness;
        const parsed = parseCommand(frames);
        if (parsed === null || parsed.command === WORKER_COMMANDS.HEARTBEAT) continue;
        if (parsed.command === WORKER_COMMANDS.DISCONNECT) return true;
        if (parsed.command !== WORKER_COMMANDS.REQUEST || parsed.rest.length < 2) continue;
        const [client, , ...body] = parsed.rest;
        const final = await this.#handler(body, (partial) => send([command(WORKER_COMMANDS.PARTIAL), client!, "", ...partial]));
        await send([command(WORKER_COMMANDS.FINAL), client!, "", ...final]);
        this.answered++;
      }
      return true;
    } finally {
      clearInterval(heartbeat);
      socket.close();
    }
  }

  /** Says DISCONNECT (the broker then forgets this worker at once) and ends run(). */
  stop(): void {
    this.#stopped = true;
    const socket = this.#socket;
    if (socket === null || socket.closed) return;
    // The socket lingers 0 ms while serving (nothing stale is worth delivering after a loss); the
    // DISCONNECT is given a moment to leave.
    socket.linger = 500;
    socket.trySend([WORKER, command(WORKER_COMMANDS.DISCONNECT)]);
    socket.close();
  }
}
