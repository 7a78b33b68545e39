// The routing core every socket type shares: pipe bookkeeping and readiness hooks, no I/O, no promises.
// Imports routing, pipe and core only; it never sees an endpoint, an engine or a transport.

import { ZmqError } from "../core/errors.ts";
import type { Message } from "../core/message.ts";
import { type SocketType, SOCKET_TYPE_NAMES } from "../core/socket-type.ts";
import type { OverflowFactory } from "../pipe/overflow.ts";
import type { HighWaterMarks, PipeEnd } from "../pipe/pipe-end.ts";
import { LoadBalance } from "../routing/load-balance.ts";

const NOOP = (): void => {};

/**
 * A socket type is a subclass that routes messages over attached pipes through a strategy.
 * The public API layer turns `trySend`/`tryReceive` plus the `onReadable`/`onWritable` hooks into
 * promises, timeouts and iteration. Hooks may fire inside an engine callback: whoever sets them must
 * not re-enter the engine synchronously in a way that assumes a quiet state.
 */
export abstract class SocketBase {
  readonly type: SocketType;
  /**
   * Whether sessions attach this socket's pipes only after the handshake, even for connect():
   * types that route by the peer's identity (ROUTER) need it before the pipe is useful.
   */
  readonly attachesOnHandshake: boolean = false;
  /** Whether connections carry raw bytes (STREAM's engine/raw-engine.ts) instead of ZMTP. */
  readonly raw: boolean = false;
  /** A message may have become receivable. Set by the API layer. */
  onReadable: () => void = NOOP;
  /** Room may have appeared for a send. Set by the API layer. */
  onWritable: () => void = NOOP;
  /**
   * Whether messages beyond a peer's high-water mark spill per peer (PUB, XPUB, ROUTER: the
   * message is already bound to that peer). Types that load-balance spill per socket instead,
   * before routing, through `createLoadBalance`.
   */
  protected readonly spillsPerPipe: boolean = false;

  readonly #pipes = new Set<PipeEnd>();
  readonly #balancers: LoadBalance[] = [];
  #overflowFactory: OverflowFactory | null = null;

  constructor(type: SocketType) {
    this.type = type;
  }

  get pipeCount(): number {
    return this.#pipes.size;
  }

  /** The session hands over a new connection (at connect time, or when a bound peer completes its handshake). */
  attachPipe(end: PipeEnd): void {
    if (this.#pipes.has(end)) return;
    this.#pipes.add(end);
    end.inbound.onReadable = () => this.onReadable();
    end.outbound.onWritable = () => this.onWritable();
    if (this.spillsPerPipe && this.#overflowFactory !== null) end.outbound.setOverflow(this.#overflowFactory(end.peer.address));
    this.onPipeAttached(end);
    this.onWritable();
    if (end.inbound.size > 0 || end.inbound.ended) this.onReadable();
  }

  /**
   * The connection is gone for good. Messages still queued towards the peer are dropped (ZeroMQ
   * semantics for a vanished peer); messages already received stay readable until drained.
   * Returns how many outbound messages were dropped. An inproc socket closing with linger keeps its
   * outbound queue (`dropQueued` false): the peer socket still reads it.
   */
  detachPipe(end: PipeEnd, dropQueued = true): number {
    if (!this.#pipes.delete(end)) return 0;
    this.onPipeDetached(end);
    end.outbound.onWritable = NOOP;
    end.inbound.end();
    if (!dropQueued) {
      end.outbound.end();
      return 0;
    }
    const dropped = end.outbound.clear();
    end.outbound.setOverflow(null);
    return dropped;
  }

  /**
   * The `swap` option: where messages beyond the high-water marks go (null: nowhere, they wait or
   * drop as the type's rules say). Every strategy made by `createLoadBalance` gets one queue for
   * the socket; with `spillsPerPipe` every outbound pipe gets its own, now and when attached.
   */
  setOverflowFactory(factory: OverflowFactory | null): void {
    this.#overflowFactory = factory;
    for (const balancer of this.#balancers) balancer.setOverflow(factory?.("") ?? null);
    if (!this.spillsPerPipe) return;
    for (const end of this.#pipes) end.outbound.setOverflow(factory?.(end.peer.address) ?? null);
  }

  /**
   * The load-balancing strategy of a type that routes each message to any ready peer: made here
   * so that the `swap` option reaches it (a type gets spilling per socket by using this).
   */
  protected createLoadBalance(): LoadBalance {
    const balancer = new LoadBalance();
    this.#balancers.push(balancer);
    if (this.#overflowFactory !== null) balancer.setOverflow(this.#overflowFactory(""));
    return balancer;
  }

  /** New high-water marks reach every live pipe, as libzmq applies a changed ZMQ_SNDHWM / ZMQ_RCVHWM. */
  resizePipes(marks: HighWaterMarks): void {
    for (const end of this.#pipes) end.resize(marks);
  }

  /**
   * A connecting pipe's peer came back after a disconnect (libzmq's "hiccup"): the new connection
   * starts from nothing, so types with per-connection state (SUB's subscriptions) re-send it.
   */
  pipeReconnected(end: PipeEnd): void {
    if (this.#pipes.has(end)) this.onPipeReconnected(end);
  }

  protected onPipeReconnected(_end: PipeEnd): void {}

  /** Queues a whole message; false means no pipe has room (the caller waits for `onWritable`). Throws on misuse. */
  abstract trySend(message: Message): boolean;
  /** Takes the next whole message, or undefined if none is ready. Throws on misuse. */
  abstract tryReceive(): Message | undefined;
  /** Whether `trySend` would succeed now (zeromq.js `writable`). */
  abstract get writable(): boolean;
  /** Whether `tryReceive` would return a message now (zeromq.js `readable`). */
  abstract get readable(): boolean;

  protected abstract onPipeAttached(end: PipeEnd): void;
  protected abstract onPipeDetached(end: PipeEnd): void;

  protected cannotSend(): never {
    throw new ZmqError("ENOTSUP", `${SOCKET_TYPE_NAMES[this.type]} sockets cannot send; use a socket type that sends`);
  }

  protected cannotReceive(): never {
    throw new ZmqError("ENOTSUP", `${SOCKET_TYPE_NAMES[this.type]} sockets cannot receive; use a socket type that receives`);
  }

  /** Send-only types discard whatever a misbehaving peer sends, so it cannot pin memory. */
  protected discardInbound(end: PipeEnd): void {
    const inbound = end.inbound;
    inbound.onReadable = () => {
      while (inbound.read() !== undefined);
    };
    inbound.onReadable();
  }
}
