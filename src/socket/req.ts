// REQ (RFC 28/REQREP): lock-step requests, round-robin over REP/ROUTER peers, one reply each.
// With `swap`, a request no peer can take waits in the socket's overflow queue and goes to
// whichever peer has room first; its reply is taken from that peer once it went.
// Imports pipe and core only (its load-balancing strategy comes from SocketBase).

import { ZmqError } from "../core/errors.ts";
import type { Frame, Message } from "../core/message.ts";
import { SocketType } from "../core/socket-type.ts";
import type { PipeEnd } from "../pipe/pipe-end.ts";
import type { Pipe } from "../pipe/pipe.ts";
import { SocketBase } from "./socket-base.ts";

const EMPTY: Frame = new Uint8Array(0);

/**
 * `relaxed` (ZMQ_REQ_RELAXED) lets a new request replace an unanswered one; `correlate`
 * (ZMQ_REQ_CORRELATE) puts a 4-byte request id before the delimiter and accepts only the reply
 * echoing it. The id is written big-endian; only this socket reads it (libzmq copies host order).
 */
export class ReqSocket extends SocketBase {
  relaxed = false;
  correlate = false;
  probeRouter = false;
  readonly #loadBalance = this.createLoadBalance();
  readonly #ends = new Map<Pipe, PipeEnd>();
  #awaitingReply = false;
  /** The peer the last request went to; null while it waits in the overflow queue (no reply yet). */
  #replyEnd: PipeEnd | null = null;
  /** Requests accepted, and those of them that reached a pipe (fewer while some wait in the overflow). */
  #accepted = 0;
  #placed = 0;
  #requestId: number;
  #prefetched: Message | undefined;

  constructor(requestIdStart: number = Math.floor(Math.random() * 0x1_0000_0000)) {
    super(SocketType.Request);
    this.#requestId = requestIdStart >>> 0;
    this.#loadBalance.onPlaced = (pipe) => {
      // Only the latest request's peer may answer: an older one (relaxed) goes unanswered, as in libzmq.
      if (++this.#placed === this.#accepted) this.#replyEnd = this.#ends.get(pipe) ?? null;
    };
  }

  // RFC 28 REQ: SHALL send and then receive exactly one message at a time.
  trySend(message: Message): boolean {
    if (this.#awaitingReply && !this.relaxed) {
      throw new ZmqError("EFSM", "a Request socket must receive the reply before sending again (or set relaxed)");
    }
    const id = (this.#requestId + 1) >>> 0;
    // RFC 28 REQ: SHALL prefix the outgoing message with an empty delimiter frame.
    const wire: Message = this.correlate ? [idFrame(id), EMPTY, ...message] : [EMPTY, ...message];
    // RFC 28 REQ: SHALL route outgoing messages to connected peers using a round-robin strategy.
    // onPlaced names the peer: now, or when the request leaves the overflow queue.
    const previous = this.#replyEnd;
    this.#replyEnd = null;
    // Every earlier request has left the queue, or was lost with it (a failed read of the disk).
    if (this.#loadBalance.queued === 0) this.#placed = this.#accepted;
    this.#accepted++;
    if (!this.#loadBalance.send(wire)) {
      this.#accepted--;
      this.#replyEnd = previous;
      return false;
    }
    this.#requestId = id;
    this.#awaitingReply = true;
    // libzmq eats every reply already queued, so a late answer to an older request is never taken
    // for the answer to this one.
    this.#prefetched = undefined;
    for (const end of this.#ends.values()) while (end.inbound.read() !== undefined);
    this.onReadable();
    return true;
  }

  tryReceive(): Message | undefined {
    if (!this.#awaitingReply) {
      throw new ZmqError("EFSM", "a Request socket must send a request before receiving");
    }
    const reply = this.#nextReply();
    this.#prefetched = undefined;
    if (reply !== undefined) this.#awaitingReply = false;
    return reply;
  }

  get writable(): boolean {
    if (this.#awaitingReply && !this.relaxed) return false;
    return this.#loadBalance.writable;
  }

  get readable(): boolean {
    return this.#awaitingReply && this.#nextReply() !== undefined;
  }

  protected onPipeAttached(end: PipeEnd): void {
    this.#ends.set(end.outbound, end);
    this.#loadBalance.attach(end.outbound);
    if (this.probeRouter && end.outbound.canWrite()) end.outbound.write([EMPTY]);
  }

  protected onPipeDetached(end: PipeEnd): void {
    this.#ends.delete(end.outbound);
    this.#loadBalance.detach(end.outbound);
    // A reply already queued stays readable (the ended inbound pipe drains); none can follow, so
    // only a relaxed socket may move on, as in libzmq.
  }

  /** The reply body, kept until taken; everything that is not a valid reply is discarded on the way. */
  #nextReply(): Message | undefined {
    if (this.#prefetched !== undefined) return this.#prefetched;
    // RFC 28 REQ: SHALL discard silently any messages received from other peers.
    for (const end of this.#ends.values()) {
      if (end !== this.#replyEnd) while (end.inbound.read() !== undefined);
    }
    const inbound = this.#replyEnd?.inbound;
    if (inbound === undefined) return undefined;
    for (let message = inbound.read(); message !== undefined; message = inbound.read()) {
      const body = this.#unwrap(message);
      if (body !== undefined) return (this.#prefetched = body);
    }
    return undefined;
  }

  /**
   * The body of a well-formed reply to the current request, else undefined. libzmq REQ drops the
   * connection on a reply without the delimiter; this layer cannot close it, so it discards the message.
   */
  #unwrap(message: Message): Message | undefined {
    let start = 0;
    if (this.correlate) {
      const id = message[0];
      if (id === undefined || id.length !== 4 || readId(id) !== this.#requestId) return undefined;
      start = 1;
    }
    // The delimiter must be followed by at least one frame (it travels with MORE).
    if (message.length < start + 2 || message[start]!.length !== 0) return undefined;
    return message.slice(start + 1);
  }
}

function idFrame(id: number): Frame {
  const frame = new Uint8Array(4);
  new DataView(frame.buffer).setUint32(0, id);
  return frame;
}

function readId(frame: Frame): number {
  return new DataView(frame.buffer, frame.byteOffset, 4).getUint32(0);
}
