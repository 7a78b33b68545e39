// Hands actions to the gateway's PUSH in arrival order. While some server has room, an action goes out
// at once (trySend: no promise). When none has (all at their high-water mark, or no server yet),
// actions wait here in order and one pump awaits room: zeromq.js allows one pending send per socket.

import type { Push } from "../../src/index.ts";
import { type ActionHeader, encodeAction } from "./protocol.ts";

export class ActionDispatcher {
  readonly #push: Push;
  #waiting: Array<[Buffer, Uint8Array] | undefined> = [];
  #head = 0;
  #pumping = false;

  constructor(push: Push) {
    this.#push = push;
  }

  /** Actions waiting for a server with room. */
  get backlog(): number {
    return this.#waiting.length - this.#head;
  }

  dispatch(header: ActionHeader, payload: Uint8Array): void {
    const message: [Buffer, Uint8Array] = [encodeAction(header), payload];
    if (!this.#pumping && this.#push.trySend(message)) return;
    this.#waiting.push(message);
    if (!this.#pumping) void this.#pump();
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    try {
      while (this.#head < this.#waiting.length) {
        const message = this.#waiting[this.#head]!;
        this.#waiting[this.#head++] = undefined;
        if (!this.#push.trySend(message)) await this.#push.send(message);
      }
      this.#waiting = [];
      this.#head = 0;
    } catch {
      // The socket closed while waiting: the gateway is shutting down.
    } finally {
      this.#pumping = false;
    }
  }
}
