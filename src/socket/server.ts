// SERVER (RFC 41/CLISRV, DRAFT): replies to each CLIENT by the routing id its messages came with.
// Imports routing, pipe and core only. PEER (peer.ts) builds on it, as libzmq's peer_t on server_t.

import { ZmqError } from "../core/errors.ts";
import type { Message } from "../core/message.ts";
import { SocketType } from "../core/socket-type.ts";
import type { Pipe } from "../pipe/pipe.ts";
import type { PipeEnd } from "../pipe/pipe-end.ts";
import { FairQueue } from "../routing/fair-queue.ts";
import { NumberedPeers } from "../routing/numbered-peers.ts";
import { SocketBase } from "./socket-base.ts";
import { receiveSinglePart, refuseMultipart } from "./single-part.ts";

/**
 * Messages are single frames whose `routingId` (core/message.ts) names the peer: set on each one
 * received, read from each one sent. Pipes attach at connect time (a PEER's `connectPeer` returns
 * the new pipe's id at once, as zmq_connect_peer does).
 */
export class ServerSocket extends SocketBase {
  protected override readonly spillsPerPipe = true;
  readonly #peers: NumberedPeers;
  readonly #fairQueue = new FairQueue();
  readonly #byInbound = new Map<Pipe, number>();
  /** The id given to the pipe attached last (libzmq peer_t's _peer_last_routing_id). */
  lastAttachedId = 0;

  constructor(type: SocketType.Server | SocketType.Peer = SocketType.Server, firstId?: number) {
    super(type);
    this.#peers = new NumberedPeers(firstId);
  }

  // RFC 41 SERVER: SHALL route each outgoing message to the peer its routing id names; an unknown
  // id is EHOSTUNREACH, and a peer whose queue is full makes the send wait (libzmq: EAGAIN, which a
  // blocking send waits out), never a silent drop.
  trySend(message: Message): boolean {
    refuseMultipart(this.type, message);
    const id = message.routingId;
    const end = id === undefined ? undefined : this.#peers.lookup(id);
    if (end === undefined) {
      throw new ZmqError(
        "EHOSTUNREACH",
        `no peer with routing id ${String(id)} is connected; reply with the routingId a message came with`,
      );
    }
    if (!end.outbound.canWrite()) return false;
    // The id names a local pipe only; the peer (inproc included) must not see it.
    end.outbound.write([message[0]!]);
    return true;
  }

  // RFC 41 SERVER: SHALL receive incoming messages from its peers using a fair-queuing strategy;
  // multipart messages are dropped whole, as libzmq's server_t does.
  tryReceive(): Message | undefined {
    const message = receiveSinglePart(this.#fairQueue);
    if (message === undefined) return undefined;
    const pipe = this.#fairQueue.lastPipe!;
    // A new array: over inproc the message may be the sender's own, which must not carry our id.
    const received: Message = [message[0]!];
    received.routingId = this.#byInbound.get(pipe);
    // A departed peer's pipe is let go once drained (its pipe ended when it left).
    if (pipe.ended && pipe.size === 0) this.#forget(pipe);
    return received;
  }

  // libzmq's server_t::xhas_out: always writable; whether a send succeeds depends on its peer.
  get writable(): boolean {
    return true;
  }

  get readable(): boolean {
    return this.#fairQueue.readable;
  }

  protected onPipeAttached(end: PipeEnd): void {
    const id = this.#peers.add(end);
    this.lastAttachedId = id;
    this.#byInbound.set(end.inbound, id);
    this.#fairQueue.attach(end.inbound);
  }

  // A departed peer can no longer be sent to, but what it sent before leaving is still received
  // with its id; its inbound pipe is let go once drained.
  protected onPipeDetached(end: PipeEnd): void {
    this.#peers.remove(end);
    if (end.inbound.size === 0) this.#forget(end.inbound);
    // A send waiting for this peer's room retries now and fails with EHOSTUNREACH.
    this.onWritable();
  }

  #forget(inbound: Pipe): void {
    this.#byInbound.delete(inbound);
    this.#fairQueue.detach(inbound);
  }
}
