// CLIENT (RFC 41/CLISRV, DRAFT): round-robin out, fair-queue in, single-part messages only.
// Imports routing, pipe and core only.

import type { Message } from "../core/message.ts";
import { SocketType } from "../core/socket-type.ts";
import type { PipeEnd } from "../pipe/pipe-end.ts";
import { FairQueue } from "../routing/fair-queue.ts";
import { SocketBase } from "./socket-base.ts";
import { receiveSinglePart, refuseMultipart } from "./single-part.ts";

export class ClientSocket extends SocketBase {
  readonly #loadBalance = this.createLoadBalance();
  readonly #fairQueue = new FairQueue();

  constructor() {
    super(SocketType.Client);
  }

  // RFC 41 CLIENT: SHALL route outgoing messages to available peers using a round-robin strategy;
  // SHALL block on sending, or return a suitable error, when it has no available peers.
  trySend(message: Message): boolean {
    refuseMultipart(this.type, message);
    return this.#loadBalance.send(message);
  }

  // RFC 41 CLIENT: SHALL receive incoming messages from its peers using a fair-queuing strategy.
  tryReceive(): Message | undefined {
    return receiveSinglePart(this.#fairQueue);
  }

  get writable(): boolean {
    return this.#loadBalance.writable;
  }

  get readable(): boolean {
    return this.#fairQueue.readable;
  }

  protected onPipeAttached(end: PipeEnd): void {
    this.#loadBalance.attach(end.outbound);
    this.#fairQueue.attach(end.inbound);
  }

  // Messages that arrived before the peer left stay readable; the inbound pipe drains, then goes.
  protected onPipeDetached(end: PipeEnd): void {
    this.#loadBalance.detach(end.outbound);
  }
}
