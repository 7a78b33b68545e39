// PULL (RFC 30/PIPELINE): fair-queues messages from upstream peers; never sends.
// Imports routing, pipe and core only.

import type { Message } from "../core/message.ts";
import { SocketType } from "../core/socket-type.ts";
import type { PipeEnd } from "../pipe/pipe-end.ts";
import { FairQueue } from "../routing/fair-queue.ts";
import { SocketBase } from "./socket-base.ts";

export class PullSocket extends SocketBase {
  protected readonly fairQueue = new FairQueue();

  /** `type`: GATHER is a PULL for single-part messages (gather.ts). */
  constructor(type: SocketType = SocketType.Pull) {
    super(type);
  }

  trySend(): never {
    return this.cannotSend();
  }

  // RFC 30: SHALL receive incoming messages from its peers using a fair-queuing strategy.
  tryReceive(): Message | undefined {
    return this.fairQueue.receive();
  }

  get writable(): boolean {
    return false;
  }

  get readable(): boolean {
    return this.fairQueue.readable;
  }

  protected onPipeAttached(end: PipeEnd): void {
    this.fairQueue.attach(end.inbound);
  }

  // The inbound pipe stays in the fair queue until drained: messages that arrived before the
  // disconnect are still delivered.
  protected onPipeDetached(): void {}
}
