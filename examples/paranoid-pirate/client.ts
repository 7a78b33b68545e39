// The client side of reliable request-reply ("Lazy Pirate"): send a request, wait a bounded time
// for the reply, and when none comes, send it again, up to a number of tries, then give up. A plain
// Request socket cannot do this, since it must receive before it sends again; libzmq's answer is to
// close it and open another. bunzmq has libzmq's two options that make it one socket's job:
// `relaxed` allows the new send, and `correlate` tags each request so that a late reply to an
// abandoned try is dropped instead of being taken for the answer to the next. Requests must be
// idempotent, since a slow worker may end up doing one twice.

import { Request } from "../../src/index.ts"; // in your project: from "bunzmq"
import type { Print } from "../cli.ts";

export interface RetryPolicy {
  /** How long one try waits for its reply. */
  timeoutMs: number;
  /** How many tries before giving up. */
  tries: number;
}

export class LazyPirateClient {
  readonly #socket: Request;
  readonly #policy: RetryPolicy;
  readonly #print: Print;
  /** Tries that timed out and were sent again. */
  retries = 0;

  constructor(endpoint: string, policy: RetryPolicy, print: Print) {
    this.#socket = new Request({ relaxed: true, correlate: true, receiveTimeout: policy.timeoutMs, linger: 0 });
    this.#socket.connect(endpoint);
    this.#policy = policy;
    this.#print = print;
  }

  /** The reply to `request`, or null when every try timed out. */
  async request(request: string): Promise<string | null> {
    for (let attempt = 1; attempt <= this.#policy.tries; attempt++) {
      await this.#socket.send(request);
      try {
        const [reply] = await this.#socket.receive();
        return reply!.toString();
      } catch (error) {
        if ((error as { code?: string }).code !== "EAGAIN") throw error;
        if (attempt === this.#policy.tries) break;
        this.retries++;
        this.#print(`client: no reply to "${request}" in ${this.#policy.timeoutMs} ms, sending it again`);
      }
    }
    this.#print(`client: "${request}" unanswered after ${this.#policy.tries} tries, giving up`);
    return null;
  }

  close(): void {
    this.#socket.close();
  }
}
