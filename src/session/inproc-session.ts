// inproc:// sessions: two sockets of one Context joined by a crossed pair of pipes; no engine, no
// encoding, no copies (a sent Uint8Array arrives as the same memory), and, as in libzmq, no monitor
// events. Imports transport, pipe and core. The far side may also stand for a socket in another
// thread (io/shared-inproc.ts); these sessions see no difference.

import { ZmqError } from "../core/errors.ts";
import { SOCKET_TYPE_NAMES, type SocketType, isCompatiblePeer } from "../core/socket-type.ts";
import { Pipe } from "../pipe/pipe.ts";
import { type HighWaterMarks, PipeEnd } from "../pipe/pipe-end.ts";
import type { InprocBinder, InprocConnector, InprocNamespace } from "../transport/inproc.ts";
import type { SessionOwner } from "./session-owner.ts";

export class InprocBindSession implements InprocBinder {
  readonly endpoint: string;
  readonly #owner: SessionOwner;
  readonly #registry: InprocNamespace;
  readonly #name: string;
  readonly #links = new Set<{ mine: PipeEnd; connector: InprocConnector }>();

  constructor(owner: SessionOwner, registry: InprocNamespace, name: string, endpoint: string) {
    this.#owner = owner;
    this.#registry = registry;
    this.#name = name;
    this.endpoint = endpoint;
    registry.bind(name, this, endpoint);
  }

  get socketType(): SocketType {
    return this.#owner.core.type;
  }

  get routingId(): Uint8Array {
    return this.#owner.options.routingId;
  }

  get marks(): HighWaterMarks {
    return this.#owner.options;
  }

  /** Attaches the binder's end of a connector's pipes (created at connect time). */
  link(connector: InprocConnector): void {
    const mine = connector.peerEnd();
    const link = { mine, connector };
    this.#links.add(link);
    // The connector left: what it had queued for us stays readable, what we queued for it goes.
    connector.onUnlink = () => {
      this.#links.delete(link);
      this.#owner.core.detachPipe(mine);
    };
    this.#owner.core.attachPipe(mine);
  }

  /**
   * inproc pipes pass messages by reference: nothing lingers. What this socket sent is already in
   * the peer's queue, so the peer reads it whatever the linger, as in libzmq.
   */
  close(linger: number): null {
    this.#registry.unbind(this.#name, this);
    for (const link of [...this.#links]) {
      this.#links.delete(link);
      this.#owner.core.detachPipe(link.mine, false);
      link.connector.peerGone(linger);
    }
    return null;
  }
}

export class InprocConnectSession implements InprocConnector {
  readonly endpoint: string;
  readonly #owner: SessionOwner;
  readonly #registry: InprocNamespace;
  readonly #name: string;
  readonly #toPeer: Pipe;
  readonly #toMe: Pipe;
  readonly #mine: PipeEnd;
  #linked = false;
  #closed = false;
  /** Set by the binder when linked: detaches its end. */
  onUnlink: ((linger: number) => void) | null = null;

  /** ROUTER's connect(address, { routingId }): the peer's name here, chosen before it exists. */
  readonly #localRoutingId: Uint8Array | null;

  constructor(owner: SessionOwner, registry: InprocNamespace, name: string, endpoint: string, localRoutingId: Uint8Array | null = null) {
    this.#owner = owner;
    this.#registry = registry;
    this.#name = name;
    this.endpoint = endpoint;
    this.#localRoutingId = localRoutingId;
    // Pipes exist from connect() on, so messages sent before the bind are delivered once it happens.
    // They are sized by this socket's high-water marks until the bind; linkTo adds the binder's, as libzmq.
    const { sendHighWaterMark, receiveHighWaterMark } = owner.options;
    this.#toPeer = new Pipe(sendHighWaterMark);
    this.#toMe = new Pipe(receiveHighWaterMark);
    this.#mine = new PipeEnd(this.#toMe, this.#toPeer, { routingId: localRoutingId ?? new Uint8Array(0), address: endpoint });
    registry.connect(name, this);
    // A ROUTER-like socket needs the peer's identity before attaching, so it waits for the link,
    // unless it named the peer itself.
    if (!this.#linked && (!owner.core.attachesOnHandshake || localRoutingId !== null)) owner.core.attachPipe(this.#mine);
  }

  get socketType(): SocketType {
    return this.#owner.core.type;
  }

  get routingId(): Uint8Array {
    return this.#owner.options.routingId;
  }

  get sendHighWaterMark(): number {
    return this.#owner.options.sendHighWaterMark;
  }

  get receiveHighWaterMark(): number {
    return this.#owner.options.receiveHighWaterMark;
  }

  linkTo(binder: InprocBinder): void {
    if (!isCompatiblePeer(this.#owner.core.type, SOCKET_TYPE_NAMES[binder.socketType]!)) {
      throw new ZmqError(
        "ENOCOMPATPROTO",
        `${SOCKET_TYPE_NAMES[this.#owner.core.type]} cannot connect to the ${SOCKET_TYPE_NAMES[binder.socketType]} bound at ${this.endpoint}`,
        this.endpoint,
      );
    }
    this.#linked = true;
    this.#mine.peer.routingId = this.#localRoutingId ?? binder.routingId;
    // From now on both sockets' marks size the two pipes, as libzmq sizes inproc pipes.
    this.#mine.peerMarks = binder.marks;
    this.#mine.resize(this.#owner.options);
    binder.link(this);
    this.#owner.core.attachPipe(this.#mine);
  }

  /** The binder's view of the same two pipes, crossed. */
  peerEnd(): PipeEnd {
    const end = new PipeEnd(this.#toPeer, this.#toMe, { routingId: this.#owner.options.routingId, address: this.endpoint });
    end.peerMarks = this.#owner.options;
    return end;
  }

  peerGone(): void {
    this.onUnlink = null;
    this.#owner.core.detachPipe(this.#mine);
  }

  close(linger: number): null {
    if (this.#closed) return null;
    this.#closed = true;
    this.#registry.cancel(this.#name, this);
    const unlink = this.onUnlink;
    this.onUnlink = null;
    // What this socket sent stays readable by the peer whatever the linger, as in libzmq.
    this.#owner.core.detachPipe(this.#mine, false);
    unlink?.(linger);
    return null;
  }
}
