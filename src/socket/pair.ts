// PAIR (RFC 31/EXPAIR): exactly one peer at a time, both directions.
// Imports pipe and core only.

import type { Message } from "../core/message.ts";
import { SocketType } from "../core/socket-type.ts";
import type { PipeEnd } from "../pipe/pipe-end.ts";
import { SocketBase } from "./socket-base.ts";

/**
 * libzmq's bound PAIR keeps talking to its first peer and ignores later ones while it is there
 * (zmtp-notes §6.8). We do the same; once the active peer leaves, the next attached one takes over,
 * so a peer that reconnects is served again. What the leaving peer sent before it left is still
 * received first, as libzmq delays a pipe's termination until its reader has drained it.
 */
export class PairSocket extends SocketBase {
  #active: PipeEnd | null = null;
  readonly #standby: PipeEnd[] = [];
  /** Peers that left with messages still queued towards us, oldest first; read before the active one. */
  readonly #leaving: PipeEnd[] = [];

  constructor(type: SocketType.Pair | SocketType.Channel | SocketType.Datagram = SocketType.Pair) {
    super(type);
  }

  trySend(message: Message): boolean {
    const outbound = this.#active?.outbound;
    if (outbound === undefined || !outbound.canWrite()) return false;
    outbound.write(message);
    return true;
  }

  tryReceive(): Message | undefined {
    const leaving = this.#leaving[0];
    if (leaving !== undefined) {
      const message = leaving.inbound.read();
      if (leaving.inbound.size === 0) this.#leaving.shift();
      if (message !== undefined) return message;
    }
    return this.#active?.inbound.read();
  }

  get writable(): boolean {
    const outbound = this.#active?.outbound;
    return outbound !== undefined && !outbound.full && !outbound.ended;
  }

  get readable(): boolean {
    return this.#leaving.length > 0 || (this.#active?.inbound.size ?? 0) > 0;
  }

  protected onPipeAttached(end: PipeEnd): void {
    if (this.#active === null) this.#active = end;
    else this.#standby.push(end);
  }

  protected onPipeDetached(end: PipeEnd): void {
    if (this.#active !== end) {
      const index = this.#standby.indexOf(end);
      if (index >= 0) this.#standby.splice(index, 1);
      return;
    }
    if (end.inbound.size > 0) this.#leaving.push(end);
    this.#active = this.#standby.shift() ?? null;
  }
}
