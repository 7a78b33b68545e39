// ROUTER (RFC 28/REQREP): explicit addressing; every message carries its peer's routing id first.
// Imports routing, pipe and core only.

import { ZmqError } from "../core/errors.ts";
import type { Message } from "../core/message.ts";
import { SocketType } from "../core/socket-type.ts";
import type { PipeEnd } from "../pipe/pipe-end.ts";
import type { Pipe } from "../pipe/pipe.ts";
import { FairQueue } from "../routing/fair-queue.ts";
import { IdentityTable } from "../routing/identity-table.ts";
import { SocketBase } from "./socket-base.ts";

/**
 * Pipes attach only after the handshake, so the peer's READY `Identity` (or the id given to
 * `connect(address, { routingId })`) is known when a pipe is named. A peer whose id is taken is
 * kept but never read nor written, as libzmq does, unless `handover`, when it takes the id over and
 * the old holder is ignored from then on.
 */
export class RouterSocket extends SocketBase {
  override readonly attachesOnHandshake = true;
  // Each message is bound to one routing id, so it spills in that peer's queue.
  protected override readonly spillsPerPipe = true;
  /** ZMQ_ROUTER_MANDATORY: report unroutable messages (EHOSTUNREACH) and wait on full peers instead of dropping. */
  mandatory = false;
  /** ZMQ_ROUTER_HANDOVER: a new peer with an id in use takes it over. */
  handover = false;
  /** ZMQ_PROBE_ROUTER: greet each new peer with an empty message. */
  probeRouter = false;
  readonly #table: IdentityTable;
  readonly #fairQueue = new FairQueue();
  readonly #byInbound = new Map<Pipe, PipeEnd>();
  /**
   * Peers that left with messages still unread: their routing ids, kept until their pipes drain. libzmq
   * delays a ROUTER pipe's termination until its reader has taken everything up to the delimiter, so
   * a peer's last messages before its disconnect are delivered (RFC 28's "discard" is not what it does).
   */
  readonly #leaving = new Map<Pipe, Uint8Array>();

  constructor(autoIdStart?: number) {
    super(SocketType.Router);
    this.#table = new IdentityTable(autoIdStart);
  }

  trySend(message: Message): boolean {
    // libzmq discards a message that is only a routing id (the id frame had no MORE).
    if (message.length < 2) return true;
    // RFC 28 ROUTER: SHALL remove the first frame from each outgoing message and use this as the
    // identity of a double queue.
    const end = this.#table.lookup(message[0]!);
    // RFC 28 ROUTER: SHALL either silently drop the message, or return an error, depending on
    // configuration, if the queue does not exist, or is full. SHALL NOT block on sending (only
    // `mandatory` waits on a full queue, as libzmq's EAGAIN).
    if (end === undefined) {
      if (!this.mandatory) return true;
      throw new ZmqError("EHOSTUNREACH", "no peer with this routing id is connected (Router with mandatory)");
    }
    if (!end.outbound.canWrite()) return !this.mandatory;
    // RFC 28 ROUTER: SHALL route the message to the outgoing queue if that queue exists, and has space.
    end.outbound.write(message.slice(1));
    return true;
  }

  tryReceive(): Message | undefined {
    // RFC 28 ROUTER: SHALL receive incoming messages from its peers using a fair-queuing strategy.
    for (let message = this.#fairQueue.receive(); message !== undefined; message = this.#fairQueue.receive()) {
      const pipe = this.#fairQueue.lastPipe!;
      const end = this.#byInbound.get(pipe);
      const id = end === undefined ? this.#leftBehind(pipe) : this.#table.idOf(end);
      // RFC 28 ROUTER: SHALL prefix each incoming message with a frame containing the identity of
      // the originating double queue.
      if (id !== undefined) return [id, ...message];
    }
    return undefined;
  }

  // libzmq: always writable, except with `mandatory`, when some peer must have room.
  get writable(): boolean {
    if (!this.mandatory) return true;
    for (const end of this.#table.ends()) if (!end.outbound.full) return true;
    return false;
  }

  get readable(): boolean {
    return this.#fairQueue.readable;
  }

  protected onPipeAttached(end: PipeEnd): void {
    // RFC 28 ROUTER: SHOULD allow the peer to specify its identity explicitly through the Identity
    // metadata property; SHALL identify each double queue using a unique "identity" binary string.
    const admission = this.#table.add(end, end.peer.routingId, this.handover);
    if (!admission.accepted) return;
    if (admission.displaced !== null) this.#forget(admission.displaced);
    this.#byInbound.set(end.inbound, end);
    this.#fairQueue.attach(end.inbound);
    if (this.probeRouter && end.outbound.canWrite()) end.outbound.write([new Uint8Array(0)]);
  }

  // A peer that disconnects can no longer be sent to (SocketBase drops its outbound queue), but what
  // it sent before leaving is still received, with its routing id, as libzmq delivers it.
  protected onPipeDetached(end: PipeEnd): void {
    const id = this.#table.idOf(end);
    this.#table.remove(end);
    if (id !== undefined && end.inbound.size > 0 && this.#byInbound.has(end.inbound)) {
      this.#byInbound.delete(end.inbound);
      this.#leaving.set(end.inbound, id);
    } else {
      this.#forget(end);
    }
    // A mandatory send waiting for this peer's room retries now and fails with EHOSTUNREACH.
    if (this.mandatory) this.onWritable();
  }

  #forget(end: PipeEnd): void {
    this.#byInbound.delete(end.inbound);
    this.#fairQueue.detach(end.inbound);
  }

  /** The id of a departed peer whose message was just read; its pipe is let go once it is empty. */
  #leftBehind(pipe: Pipe): Uint8Array | undefined {
    const id = this.#leaving.get(pipe);
    if (id !== undefined && pipe.size === 0) {
      this.#leaving.delete(pipe);
      this.#fairQueue.detach(pipe);
    }
    return id;
  }
}
