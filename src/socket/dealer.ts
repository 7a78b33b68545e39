// DEALER (RFC 28/REQREP): round-robin out, fair-queue in, no envelope handling.
// Imports routing, pipe and core only.

import type { Message } from "../core/message.ts";
import { SocketType } from "../core/socket-type.ts";
import type { PipeEnd } from "../pipe/pipe-end.ts";
import { FairQueue } from "../routing/fair-queue.ts";
import { SocketBase } from "./socket-base.ts";

export class DealerSocket extends SocketBase {
  /** ZMQ_PROBE_ROUTER: greet each new peer with an empty message so a ROUTER learns of us. */
  probeRouter = false;
  readonly #loadBalance = this.createLoadBalance();
  protected readonly fairQueue = new FairQueue();

  /** `type`: CLIENT is a DEALER for single-part messages (client.ts). */
  constructor(type: SocketType = SocketType.Dealer) {
    super(type);
  }

  // RFC 28 DEALER: SHALL route outgoing messages to available peers using a round-robin strategy;
  // SHALL block on sending when it has no available peers; SHALL NOT discard messages it cannot queue.
  trySend(message: Message): boolean {
    return this.#loadBalance.send(message);
  }

  // RFC 28 DEALER: SHALL receive incoming messages from its peers using a fair-queuing strategy.
  tryReceive(): Message | undefined {
    return this.fairQueue.receive();
  }

  get writable(): boolean {
    return this.#loadBalance.writable;
  }

  get readable(): boolean {
    return this.fairQueue.readable;
  }

  protected onPipeAttached(end: PipeEnd): void {
    this.#loadBalance.attach(end.outbound);
    this.fairQueue.attach(end.inbound);
    if (this.probeRouter && end.outbound.canWrite()) end.outbound.write([new Uint8Array(0)]);
  }

  // Messages that arrived before the peer left stay readable; the inbound pipe drains, then goes.
  protected onPipeDetached(end: PipeEnd): void {
    this.#loadBalance.detach(end.outbound);
  }
}
