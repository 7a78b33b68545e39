// PUSH (RFC 30/PIPELINE): load-balances messages over downstream peers; never receives.
// Imports pipe and core only (its load-balancing strategy comes from socket-base.ts).

import type { Message } from "../core/message.ts";
import { SocketType } from "../core/socket-type.ts";
import type { PipeEnd } from "../pipe/pipe-end.ts";
import { SocketBase } from "./socket-base.ts";

export class PushSocket extends SocketBase {
  readonly #loadBalance = this.createLoadBalance();

  /** `type`: SCATTER is a PUSH for single-part messages (scatter.ts). */
  constructor(type: SocketType = SocketType.Push) {
    super(type);
  }

  // RFC 30: SHALL route outgoing messages to available peers using a round-robin strategy;
  // SHALL block (not drop) when no peer has room.
  trySend(message: Message): boolean {
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

  protected onPipeAttached(end: PipeEnd): void {
    this.#loadBalance.attach(end.outbound);
    this.discardInbound(end);
  }

  protected onPipeDetached(end: PipeEnd): void {
    this.#loadBalance.detach(end.outbound);
  }
}
