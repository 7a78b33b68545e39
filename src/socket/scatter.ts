// SCATTER (RFC 49/SCATTER-GATHER, DRAFT): PUSH for single-part messages; round-robin out, never receives.
// Imports pipe and core only (its load-balancing strategy comes from SocketBase, so that `swap` reaches it).

import type { Message } from "../core/message.ts";
import { SocketType } from "../core/socket-type.ts";
import type { PipeEnd } from "../pipe/pipe-end.ts";
import { SocketBase } from "./socket-base.ts";
import { refuseMultipart } from "./single-part.ts";

export class ScatterSocket extends SocketBase {
  readonly #loadBalance = this.createLoadBalance();

  constructor() {
    super(SocketType.Scatter);
  }

  // RFC 49 SCATTER: SHALL route outgoing messages to available peers using a round-robin strategy;
  // SHALL block on sending when it has no available peers (libzmq's lb, as PUSH).
  trySend(message: Message): boolean {
    refuseMultipart(this.type, message);
    return this.#loadBalance.send(message);
  }

  tryReceive(): never {
    return this.cannotReceive();
  }

  get writable(): boolean {
    return this.#loadBalance.writable;
  }

  get readable(): boolean {
    return false;
  }

  // What a GATHER peer sends (it should send nothing) is discarded so it cannot pin memory.
  protected onPipeAttached(end: PipeEnd): void {
    this.#loadBalance.attach(end.outbound);
    this.discardInbound(end);
  }

  protected onPipeDetached(end: PipeEnd): void {
    this.#loadBalance.detach(end.outbound);
  }
}
