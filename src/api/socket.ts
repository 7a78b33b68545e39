// The zeromq.js v6 Socket: state checks (closed, or blocked by a settling bind or a Proxy:
// api/socket-block.ts), close, events, options, and send and receive over a routing core; its binds
// and connects are kept by api/socket-endpoints.ts. Imports everything below it; socket types add only their verbs.

import { ZmqError } from "../core/errors.ts";
import type { SocketEvent } from "../core/events.ts";
import type { Message } from "../core/message.ts";
import { type SocketOptions as OptionStore, defaultSocketOptions } from "../core/options.ts";
import type { SocketType } from "../core/socket-type.ts";
import type { SocketBase } from "../socket/socket-base.ts";
import { type Context, allocateIn } from "./context.ts";
import { watchProcessExit } from "./context-exit.ts";
import { type MessageLike, type Message as Received, toBuffers, toMessage } from "./message-like.ts";
import { MessageIterator } from "./message-iterator.ts";
import { Observer } from "./observer.ts";
import type { ConnectionProperties } from "./connection-options.ts";
import type { WssProperties } from "./wss-options.ts";
import { installCommonOptions, installNumberedAccess, registerOptionTarget } from "./option-access.ts";
import type { CommonOptionProperties, ReceiveOptionProperties, SendOptionProperties } from "./option-properties.ts";
import type { SocketOptions } from "./option-types.ts";
import { PendingOperations } from "./pending-operations.ts";
import { rewordSealedErrors } from "./sealed.ts";
import { type SecurityProperties } from "./security-options.ts";
import { SocketBlock, type SocketInternals } from "./socket-block.ts";
import { construct } from "./socket-construction.ts";
import { closeSwap } from "./swap-options.ts";
import { SocketEndpoints } from "./socket-endpoints.ts";

export type { MessageLike } from "./message-like.ts";

/** @internal */
export let internalsOf: (socket: Socket) => SocketInternals;

/**
 * The constructor options of any socket class: those every socket has and the send and receive
 * ones. (A class takes only its own: `SocketOptions<Pull>` has no `sendHighWaterMark`.)
 */
export type SocketInit = SocketOptions<Socket & SendOptionProperties & ReceiveOptionProperties>;

/**
 * What every socket has: bind, connect, close, monitor events and the common options; the classes
 * (`Push`, `Dealer`, …) add send and receive as their type has them, and their own options.
 */
export abstract class Socket {
  readonly #context: Context;
  readonly #core: SocketBase;
  readonly #options: OptionStore = defaultSocketOptions();
  readonly #endpoints: SocketEndpoints;
  readonly #pending: PendingOperations;
  #observer: Observer | null = null;
  #closed = false;
  /** A settling bind() or unbind(), or a Proxy (internalsOf): other calls throw EBUSY meanwhile. */
  readonly #block = new SocketBlock(() => this.close());

  static {
    internalsOf = (socket) => ({
      core: socket.#core,
      hasEndpoints: () => socket.#endpoints.inUse,
      block: (onClose) => {
        socket.#assertOpen();
        socket.#block.holdForProxy(onClose);
      },
      unblock: () => socket.#block.release(),
    });
  }

  /**
   * zeromq.js's constructor: a libzmq socket type number (Pair 0 … Stream 11) and options. The
   * arguments are checked as zeromq.js checks them (TypeError, or EINVAL for an unknown type or a
   * context that is not a Context; EMFILE past the context's maxSockets). The socket is sealed before
   * the options are assigned, so an unknown or read-only option throws a TypeError; subclasses cannot
   * add fields either. Subclass it as `super(SocketType.Dealer, options)`.
   */
  protected constructor(type: SocketType, options?: SocketOptions<Socket>) {
    const { core, context, assign } = construct(type, options, arguments.length);
    context.register(this);
    this.#core = core;
    this.#context = context;
    // As libzmq, a socket starts with its context's ipv6, and a linger of 0 if the context is not blocky.
    this.#options.ipv6 = context.ipv6;
    this.#options.linger = context.blocky ? -1 : 0;
    // As libzmq, whose monitor stops before close() tears the connections down, our own close()
    // reports the bound endpoints' "close" and then "end", never a "disconnect" per connection.
    const emit = (event: SocketEvent): void => {
      if (this.#closed && event.type === "disconnect") return;
      this.#observer?.emit(event);
    };
    registerOptionTarget(this, {
      options: this.#options,
      core,
      lastEndpoint: () => this.#endpoints.lastEndpoint,
      hasEndpoints: () => this.#endpoints.inUse,
      closed: () => this.#closed,
      emit,
    });
    this.#endpoints = new SocketEndpoints(core, this.#options, context, emit);
    this.#pending = new PendingOperations(core, this.#options);
    watchProcessExit();
    Object.seal(this);
    try {
      if (assign !== null) Object.assign(this, assign);
    } catch (error) {
      this.close();
      throw error;
    }
  }

  /** The context the socket was created in: the `context` option, or the default context. */
  get context(): Context {
    return this.#context;
  }

  /** @internal The routing core, for subclasses' type-specific options and verbs. */
  protected get core(): SocketBase {
    return this.#core;
  }

  /** Whether close() has been called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Whether a message is ready to receive now (false on a closed socket or one that cannot receive). */
  get readable(): boolean {
    return !this.#closed && this.#core.readable;
  }

  /** Whether a message can be queued now without waiting (false on a closed socket or one that cannot send). */
  get writable(): boolean {
    return !this.#closed && this.#core.writable;
  }

  /** The socket's monitor events (see `EventType`), read with `on()`, `receive()` or `for await`. */
  get events(): Observer {
    if (this.#observer === null) {
      this.#observer = new Observer();
      // Read first after close(): nothing will ever arrive, so iteration ends at once.
      if (this.#closed) this.#observer.close();
    }
    return this.#observer;
  }

  /**
   * A Buffer of `size` bytes to fill and send (bunzmq's addition). With I/O threads, one of 16 KiB
   * to 1 MiB lies in memory the threads share and is sent without being copied; otherwise it is an
   * ordinary Buffer. Do not change it once sent, and keep it (not only a slice) while you use it.
   */
  allocate(size: number): Received {
    return allocateIn(this.#context, size) as Received;
  }

  /**
   * Binds to an endpoint: `tcp://127.0.0.1:*` (any free port; read it from `lastEndpoint`),
   * `tcp://*:5555`, `ipc:///path`, `ipc://*`, `ipc://@abstract`, `inproc://name`. Throws EBADF at
   * once on a closed socket; a bad or busy endpoint rejects (EINVAL, ENODEV, EADDRINUSE,
   * EPROTONOSUPPORT, with the endpoint in `error.address`). Until the promise settles the socket is
   * blocked, as zeromq.js's is: other calls throw EBUSY, and close() waits for the bind.
   */
  bind(address: string): Promise<void> {
    this.#assertOpen();
    return this.#block.during(() => this.#endpoints.bind(address));
  }

  /** bind() done at once: the same endpoints, and its errors thrown instead of rejected. */
  bindSync(address: string): void {
    this.#assertOpen();
    this.#endpoints.bind(address);
  }

  /** Stops listening on a bound endpoint (for a `*` bind, as `lastEndpoint` gave it); blocks the socket as bind() does. */
  unbind(address: string): Promise<void> {
    this.#assertOpen();
    return this.#block.during(() => this.#endpoints.unbind(address));
  }

  /** unbind() done at once. It really unbinds: zeromq.js's unbindSync() binds by mistake (zeromq.js#704). */
  unbindSync(address: string): void {
    this.#assertOpen();
    this.#endpoints.unbind(address);
  }

  /** Starts connecting and returns at once (the peer need not be there yet); redials after `reconnectInterval`. */
  connect(address: string): void {
    this.connectWith(address, null);
  }

  /** @internal connect() naming the peer locally (ROUTER's ZMQ_CONNECT_ROUTING_ID), for subclasses. */
  protected connectWith(address: string, localRoutingId: Uint8Array | null): void {
    this.#assertOpen();
    this.#endpoints.connect(address, localRoutingId);
  }

  /** Stops connecting to an endpoint given to connect() and ends that connection, with a `disconnect` event. */
  disconnect(address: string): void {
    this.#assertOpen();
    this.#endpoints.disconnect(address);
  }

  /**
   * Closes the socket now (again: nothing). Pending send and receive reject with EAGAIN, later calls
   * throw EBADF. Connected peers still get what was queued for up to `linger` ms (-1: until written),
   * holding the event loop; a positive linger also waits that long for a peer not connected.
   */
  close(): void {
    if (this.#closed || this.#block.deferClose()) return;
    this.#closed = true;
    this.#pending.close();
    this.#endpoints.closeAll();
    closeSwap(this.#core);
    this.#observer?.emit({ type: "end" });
    this.#observer?.close();
    this.#context.unregister(this);
  }

  /** @internal */
  protected sendMessage(message: MessageLike | MessageLike[]): Promise<void> {
    this.#assertOpen();
    return this.#pending.send(toMessage(message));
  }

  /** @internal */
  protected trySendMessage(message: MessageLike | MessageLike[]): boolean {
    this.#assertOpen();
    return this.#pending.trySend(toMessage(message));
  }

  /**
   * @internal send() of the DRAFT types, whose options shape the frames (a routing id, a group):
   * EBADF and EBUSY throw, and what `make` refuses (EINVAL) rejects, as libzmq's errors do.
   */
  protected sendFrames(make: () => Message): Promise<void> {
    this.#assertOpen();
    let message: Message;
    try {
      message = make();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#pending.send(message);
  }

  /** @internal trySend() of the DRAFT types: throws what `make` refuses. */
  protected trySendFrames(make: () => Message): boolean {
    this.#assertOpen();
    return this.#pending.trySend(make());
  }

  /** @internal */
  protected receiveMessage(): Promise<Buffer[]> {
    this.#assertOpen();
    return this.#pending.receive();
  }

  /** @internal */
  protected tryReceiveMessage(): Buffer[] | null {
    this.#assertOpen();
    const message: Message | undefined = this.#pending.tryReceive();
    return message === undefined ? null : toBuffers(message);
  }

  /** @internal */
  protected receiveMessages(max: number): Promise<Buffer[][]> {
    this.#assertOpen();
    return this.#pending.receiveBatch(max);
  }

  /** @internal */
  protected iterateMessages(): AsyncGenerator<Buffer[], undefined> {
    const socket = this;
    return new MessageIterator({
      pending: this.#pending,
      get closed() {
        return socket.#closed;
      },
    });
  }

  #assertOpen(): void {
    if (this.#closed) throw new ZmqError("EBADF");
    this.#block.assertFree();
  }
}

// Option properties (`sock.linger = 0`, …) are accessors over the option store (option-access.ts),
// declared here so TypeScript sees them on every socket.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Socket extends CommonOptionProperties, SecurityProperties, ConnectionProperties, WssProperties {}
installCommonOptions(Socket.prototype);
installNumberedAccess(Socket.prototype);
rewordSealedErrors(Socket.prototype, "Socket");
