// XSUB (RFC 29/PUBSUB): receives everything from its publishers unfiltered; sends subscriptions
// (and any other message) upstream. Imports routing, pipe and core only. SUB (sub.ts) builds on it.

import { type Message, subscriptionMessage } from "../core/message.ts";
import { SocketType } from "../core/socket-type.ts";
import type { PipeEnd } from "../pipe/pipe-end.ts";
import { Distribute } from "../routing/distribute.ts";
import { FairQueue } from "../routing/fair-queue.ts";
import { SubscriptionTrie } from "../routing/subscription-trie.ts";
import { SocketBase } from "./socket-base.ts";

export class XSubSocket extends SocketBase {
  protected readonly subscriptions = new SubscriptionTrie();
  protected readonly fairQueue = new FairQueue();
  readonly #distribute = new Distribute();

  constructor(type: SocketType = SocketType.XSubscriber) {
    super(type);
  }

  // The app's `\x01topic` / `\x00topic` go upstream verbatim as data frames, never as commands, as
  // libzmq's XSUB does (zmtp-notes §0 item 5); the trie remembers them for re-sending after reconnect.
  trySend(message: Message): boolean {
    const first = message[0]!;
    if (first.length > 0 && first[0] === 1) {
      this.subscriptions.add(first.subarray(1));
      return this.#distribute.sendToAll(message, "force");
    }
    if (first.length > 0 && first[0] === 0) {
      // libzmq drops a cancel for a topic still referenced (or never subscribed).
      if (this.subscriptions.remove(first.subarray(1))) this.#distribute.sendToAll(message, "force");
      return true;
    }
    // Other messages go to every publisher; one at its high-water mark misses it (libzmq dist).
    return this.#distribute.sendToAll(message, "drop");
  }

  // RFC 29 XSUB: SHALL receive incoming messages from its peers using a fair-queuing strategy.
  tryReceive(): Message | undefined {
    return this.fairQueue.receive();
  }

  get writable(): boolean {
    return true;
  }

  get readable(): boolean {
    return this.fairQueue.readable;
  }

  /** Subscribes locally and tells every publisher (a SUBSCRIBE goes out every time, as libzmq). */
  protected subscribeTopic(topic: Uint8Array): void {
    this.subscriptions.add(topic);
    this.#distribute.sendToAll(subscriptionMessage(true, topic), "force");
  }

  /** Drops one local reference; the CANCEL goes out only when the last one goes. */
  protected unsubscribeTopic(topic: Uint8Array): void {
    if (this.subscriptions.remove(topic)) this.#distribute.sendToAll(subscriptionMessage(false, topic), "force");
  }

  protected onPipeAttached(end: PipeEnd): void {
    this.fairQueue.attach(end.inbound);
    this.#distribute.attach(end.outbound);
    this.#sendAllSubscriptions(end);
  }

  // The inbound pipe stays in the fair queue until drained.
  protected onPipeDetached(end: PipeEnd): void {
    this.#distribute.detach(end.outbound);
  }

  // The publisher behind a reconnected pipe starts with an empty table (libzmq xsub::xhiccuped).
  protected override onPipeReconnected(end: PipeEnd): void {
    this.#sendAllSubscriptions(end);
  }

  // Subscriptions bypass the high-water mark: losing one would silently starve the subscriber.
  #sendAllSubscriptions(end: PipeEnd): void {
    for (const topic of this.subscriptions.topics()) end.outbound.write(subscriptionMessage(true, topic));
  }
}
