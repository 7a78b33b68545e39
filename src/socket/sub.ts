// SUB (RFC 29/PUBSUB): subscribes to topics and receives only matching messages; never sends.
// Imports only core and xsub.ts. Subscription bookkeeping and upstream sending are XSUB's.

import type { Message } from "../core/message.ts";
import { SocketType } from "../core/socket-type.ts";
import { XSubSocket } from "./xsub.ts";

export class SubSocket extends XSubSocket {
  /** ZMQ_INVERT_MATCHING: accept only the messages that match no subscription. */
  invertMatching = false;
  /** A received message that passed the filter while answering `readable`. */
  #ready: Message | undefined = undefined;

  constructor() {
    super(SocketType.Subscriber);
  }

  // RFC 29 SUB: SHALL create a subscription by sending a subscribe message to each publisher.
  subscribe(topic: Uint8Array): void {
    this.subscribeTopic(topic);
  }

  unsubscribe(topic: Uint8Array): void {
    this.unsubscribeTopic(topic);
  }

  override trySend(): never {
    return this.cannotSend();
  }

  override get writable(): boolean {
    return false;
  }

  // RFC 29 SUB: SHALL silently discard messages that do not match a subscription. libzmq's SUB
  // filters locally too (the publisher may be an XPUB in manual mode, or lag behind a cancel).
  override tryReceive(): Message | undefined {
    const ready = this.#ready;
    if (ready !== undefined) {
      this.#ready = undefined;
      return ready;
    }
    for (let message = this.fairQueue.receive(); message !== undefined; message = this.fairQueue.receive()) {
      if (this.subscriptions.matches(message[0]!) !== this.invertMatching) return message;
    }
    return undefined;
  }

  // Filtering happens here too, so `readable` never promises a message that would be discarded.
  override get readable(): boolean {
    if (this.#ready === undefined) this.#ready = this.tryReceive();
    return this.#ready !== undefined;
  }
}
