// A Majordomo client (RFC 18/MDP 0.2): a Dealer, as MDP/Client requires, that sends a REQUEST for a
// named service and collects the PARTIAL replies up to the FINAL one. It follows the recovery RFC 18
// recommends: when no reply comes within the time-out, close the socket, open a new one and send the
// request again; after the last try, report failure. The new socket matters: the broker addresses
// replies by routing id, so a late reply to an abandoned try goes to the closed socket and is
// dropped, never mistaken for the answer to the next try.

import { Dealer } from "../../src/index.ts"; // in your project: from "bunzmq"
import type { Print } from "../cli.ts";
import { CLIENT, CLIENT_COMMANDS, command, parseCommand } from "./protocol.ts";

export interface Reply {
  /** The bodies of the PARTIAL replies, in order, then of the FINAL one. */
  partials: string[][];
  final: string[];
}

export class MajordomoClient {
  readonly #endpoint: string;
  readonly #timeoutMs: number;
  readonly #print: Print;
  #socket: Dealer | null = null;
  /** Tries that timed out and were sent again. */
  retries = 0;

  constructor(endpoint: string, timeoutMs: number, print: Print) {
    this.#endpoint = endpoint;
    this.#timeoutMs = timeoutMs;
    this.#print = print;
  }

  /** The reply of `service` to `body`, or null when `tries` tries went unanswered. */
  async request(service: string, body: string[], tries: number): Promise<Reply | null> {
    for (let attempt = 1; attempt <= tries; attempt++) {
      const socket = this.#open();
      await socket.send([CLIENT, command(CLIENT_COMMANDS.REQUEST), service, ...body]);
      const reply = await this.#collect(socket, service);
      if (reply !== null) return reply;
      socket.close();
      this.#socket = null;
      if (attempt < tries) {
        this.retries++;
        this.#print(`client: no reply from "${service}" in ${this.#timeoutMs} ms, trying again on a new socket`);
      }
    }
    this.#print(`client: "${service}" unanswered after ${tries} tries, giving up`);
    return null;
  }

  /** PARTIALs until the FINAL; null when a reply takes longer than the time-out. */
  async #collect(socket: Dealer, service: string): Promise<Reply | null> {
    const partials: string[][] = [];
    for (;;) {
      let frames: Buffer[];
      try {
        frames = await socket.receive();
      } catch (error) {
        if ((error as { code?: string }).code === "EAGAIN") return null;
        throw error;
      }
      const parsed = parseCommand(frames);
      // Anything that is not a reply for this service is not ours: skip it.
      if (parsed === null || parsed.rest[0]?.toString() !== service) continue;
      const body = parsed.rest.slice(1).map((frame) => frame.toString());
      if (parsed.command === CLIENT_COMMANDS.PARTIAL) partials.push(body);
      else if (parsed.command === CLIENT_COMMANDS.FINAL) return { partials, final: body };
    }
  }

  #open(): Dealer {
    if (this.#socket === null) {
      this.#socket = new Dealer({ receiveTimeout: this.#timeoutMs, linger: 0 });
      this.#socket.connect(this.#endpoint);
    }
    return this.#socket;
  }

  close(): void {
    this.#socket?.close();
  }
}
