// GATHER (RFC 49/SCATTER-GATHER, DRAFT): PULL for single-part messages; fair-queue in, never sends.
// Imports routing, pipe and core only.

import type { Message } from "../core/message.ts";
import { SocketType } from "../core/socket-type.ts";
import type { PipeEnd } from "../pipe/pipe-end.ts";
import { FairQueue } from "../routing/fair-queue.ts";
import { SocketBase } from "./socket-base.ts";
import { receiveSinglePart } from "./single-part.ts";

export class GatherSocket extends SocketBase {
  readonly #fairQueue = new FairQueue();

  constructor() {
    super(SocketType.Gather);
  }

  trySend(): never {
    return this.cannotSend();
  }

  // RFC 49 GATHER: SHALL receive incoming messages from its peers using a fair-queuing strategy;
  // a multipart message is dropped whole, as libzmq's gather_t does.
  tryReceive(): Message | undefined {
    return receiveSinglePart(this.#fairQueue);
  }

  get writable(): boolean {
    return false;
  }

  get readable(): boolean {
    return this.#fairQueue.readable;
  }

  protected onPipeAttached(end: PipeEnd): void {
    this.#fairQueue.attach(end.inbound);
  }

  // The inbound pipe stays in the fair queue until drained.
  protected onPipeDetached(): void {}
}
