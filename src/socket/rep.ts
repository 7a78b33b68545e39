// REP (RFC 28/REQREP): fair-queued requests, each answered on the connection it came from.
// Imports routing, pipe and core only.

import { ZmqError } from "../core/errors.ts";
import type { Message } from "../core/message.ts";
import { SocketType } from "../core/socket-type.ts";
import type { PipeEnd } from "../pipe/pipe-end.ts";
import type { Pipe } from "../pipe/pipe.ts";
import { FairQueue } from "../routing/fair-queue.ts";
import { SocketBase } from "./socket-base.ts";

/**
 * Between receiving a request and sending its reply the socket holds the requester and the address
 * envelope (every frame up to and including the first empty one). A request without a delimiter is
 * discarded, as libzmq does, and the connection stays up.
 */
export class RepSocket extends SocketBase {
  readonly #fairQueue = new FairQueue();
  readonly #ends = new Map<Pipe, PipeEnd>();
  /** Set while a reply is owed. */
  #requester: { end: PipeEnd; envelope: Message } | null = null;
  #prefetched: { end: PipeEnd; envelope: Message; body: Message } | undefined;

  constructor() {
    super(SocketType.Reply);
  }

  // RFC 28 REP: SHALL receive and then send exactly one message at a time.
  trySend(message: Message): boolean {
    const requester = this.#requester;
    if (requester === null) {
      throw new ZmqError("EFSM", "a Reply socket must receive a request before sending a reply");
    }
    this.#requester = null;
    const outbound = requester.end.outbound;
    // RFC 28 REP: SHALL prepend the address envelope and delimiter. SHALL deliver this message back
    // to the originating peer. SHALL silently discard the reply if the originating peer is no longer
    // connected. SHALL not block on sending (a full queue drops the reply, as libzmq).
    if (this.#ends.has(outbound) && outbound.canWrite()) outbound.write([...requester.envelope, ...message]);
    this.onReadable();
    return true;
  }

  tryReceive(): Message | undefined {
    if (this.#requester !== null) {
      throw new ZmqError("EFSM", "a Reply socket must send the reply before receiving again");
    }
    const request = this.#nextRequest();
    if (request === undefined) return undefined;
    this.#prefetched = undefined;
    // RFC 28 REP: SHALL remove and store the address envelope, including the delimiter.
    this.#requester = { end: request.end, envelope: request.envelope };
    this.onWritable();
    // RFC 28 REP: SHALL pass the remaining data frames to its calling application.
    return request.body;
  }

  get writable(): boolean {
    return this.#requester !== null;
  }

  get readable(): boolean {
    return this.#requester === null && this.#nextRequest() !== undefined;
  }

  protected onPipeAttached(end: PipeEnd): void {
    this.#ends.set(end.outbound, end);
    this.#ends.set(end.inbound, end);
    this.#fairQueue.attach(end.inbound);
  }

  // Requests a peer sent before it left are still received, as libzmq delivers them (its pipe ends
  // only once read up to the delimiter); their replies are discarded, as RFC 28 says.
  protected onPipeDetached(end: PipeEnd): void {
    this.#ends.delete(end.outbound);
    if (end.inbound.size === 0) this.#release(end.inbound);
  }

  /** Forgets a departed peer's pipe, once nothing is left to read in it. */
  #release(pipe: Pipe): void {
    this.#ends.delete(pipe);
    this.#fairQueue.detach(pipe);
  }

  // RFC 28 REP: SHALL receive incoming messages from its peers using a fair-queuing strategy.
  #nextRequest(): { end: PipeEnd; envelope: Message; body: Message } | undefined {
    if (this.#prefetched !== undefined) return this.#prefetched;
    for (let message = this.#fairQueue.receive(); message !== undefined; message = this.#fairQueue.receive()) {
      const pipe = this.#fairQueue.lastPipe!;
      const end = this.#ends.get(pipe);
      if (end !== undefined && pipe.size === 0 && !this.#ends.has(end.outbound)) this.#release(pipe);
      const delimiter = delimiterIndex(message);
      if (end === undefined || delimiter < 0) continue;
      return (this.#prefetched = { end, envelope: message.slice(0, delimiter + 1), body: message.slice(delimiter + 1) });
    }
    return undefined;
  }
}

/** Where the envelope's empty delimiter frame is, or -1. It travels with MORE, so it is never the last frame. */
function delimiterIndex(message: Message): number {
  for (let i = 0; i < message.length - 1; i++) if (message[i]!.length === 0) return i;
  return -1;
}
