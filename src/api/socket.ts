// The zeromq.js v6 Socket: endpoints, options, close, events, and the promise machinery of send and
// receive over a routing core. Imports everything below it; socket types add only their verbs.

import { ZmqError } from "../core/errors.ts";
import type { SocketEvent } from "../core/events.ts";
import type { Message } from "../core/message.ts";
import { type SocketOptions as OptionStore, defaultSocketOptions } from "../core/options.ts";
import type { SocketType } from "../core/socket-type.ts";
import { BindSession } from "../session/bind-session.ts";
import { ConnectSession } from "../session/connect-session.ts";
import { InprocBindSession, InprocConnectSession } from "../session/inproc-session.ts";
import type { Session, SessionOwner, WorkerEngines } from "../session/session-owner.ts";
import type { SocketBase } from "../socket/socket-base.ts";
import { parseEndpoint } from "../transport/endpoint.ts";
import { type Context, inprocRegistryOf, ioPoolOf } from "./context.ts";
import { type MessageLike, toBuffers, toMessage } from "./message-like.ts";
import { Observer } from "./observer.ts";
import { authenticatorFor, createEngine, engineSpec } from "./engine-config.ts";
import type { IoPool } from "../io/io-pool.ts";
import { installCommonOptions, installNumberedAccess, registerOptionTarget } from "./option-access.ts";
import type { CommonOptionProperties, ReceiveOptionProperties, SendOptionProperties, SocketOptions } from "./option-properties.ts";
import { PendingOperations } from "./pending-operations.ts";
import { rewordSealedErrors } from "./sealed.ts";
import { type SecurityProperties, assertSecurityComplete } from "./security-options.ts";
import { construct } from "./socket-construction.ts";

export type { MessageLike } from "./message-like.ts";

/**
 * Options of any socket class: those every socket has and the send and receive ones. (A class
 * takes only its own: SocketOptions<Pull> has no sendHighWaterMark.)
 */
export type SocketInit = SocketOptions<Socket & SendOptionProperties & ReceiveOptionProperties>;

export abstract class Socket {
  readonly #context: Context;
  readonly #core: SocketBase;
  readonly #options: OptionStore = defaultSocketOptions();
  readonly #owner: SessionOwner;
  readonly #pending: PendingOperations;
  readonly #binds = new Map<string, Session>();
  readonly #connects = new Map<string, Session[]>();
  #observer: Observer | null = null;
  #lastEndpoint: string | null = null;
  #closed = false;

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
    registerOptionTarget(this, {
      options: this.#options,
      core,
      lastEndpoint: () => this.#lastEndpoint,
      hasEndpoints: () => this.#binds.size > 0 || this.#connects.size > 0,
      closed: () => this.#closed,
    });
    // As libzmq, whose monitor stops before close() tears the connections down, our own close()
    // reports the bound endpoints' "close" and then "end", never a "disconnect" per connection.
    const emit = (event: SocketEvent): void => {
      if (this.#closed && event.type === "disconnect") return;
      this.#observer?.emit(event);
    };
    this.#owner = {
      core,
      options: this.#options,
      emit,
      createEngine: (stream, host) => createEngine(core, this.#options, context, stream, host),
      io: this.#workerEngines(ioPoolOf(context)),
    };
    this.#pending = new PendingOperations(core, this.#options);
    Object.seal(this);
    try {
      if (assign !== null) Object.assign(this, assign);
    } catch (error) {
      this.close();
      throw error;
    }
  }

  get context(): Context {
    return this.#context;
  }

  /** The routing core, for subclasses' type-specific options and verbs. */
  protected get core(): SocketBase {
    return this.#core;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get readable(): boolean {
    return !this.#closed && this.#core.readable;
  }

  get writable(): boolean {
    return !this.#closed && this.#core.writable;
  }

  /** Monitor events; created on first access, the same object afterwards. */
  get events(): Observer {
    return (this.#observer ??= new Observer());
  }

  /** Throws EBADF at once on a closed socket (as zeromq.js); bind failures reject. */
  bind(address: string): Promise<void> {
    this.#assertOpen();
    return settle(() => this.bindSync(address));
  }

  bindSync(address: string): void {
    this.#assertOpen();
    const parsed = parseEndpoint(address, "bind", this.#options.ipv6);
    if (parsed.scheme !== "inproc") assertSecurityComplete(this.#options, address);
    let session: Session;
    try {
      session = parsed.scheme === "inproc"
        ? new InprocBindSession(this.#owner, inprocRegistryOf(this.#context), parsed.name, address)
        : new BindSession(this.#owner, parsed, address);
    } catch (error) {
      this.#observer?.emit({ type: "bind:error", address, error: error as ZmqError });
      throw error;
    }
    this.#binds.set(session.endpoint, session);
    this.#lastEndpoint = session.endpoint;
  }

  unbind(address: string): Promise<void> {
    this.#assertOpen();
    return settle(() => this.unbindSync(address));
  }

  /** Really unbinds (zeromq.js wires unbindSync to bind by mistake; we do not). */
  unbindSync(address: string): void {
    this.#assertOpen();
    const session = this.#binds.get(address) ?? [...this.#binds.values()].find((s) => s.endpoint === address);
    if (session === undefined) throw new ZmqError("ENOENT", `Cannot unbind ${address}: not bound; pass the endpoint from lastEndpoint`, address);
    this.#binds.delete(session.endpoint);
    session.close(this.#options.linger);
  }

  connect(address: string): void {
    this.connectWith(address, null);
  }

  /** connect() naming the peer locally (ROUTER's ZMQ_CONNECT_ROUTING_ID), for subclasses. */
  protected connectWith(address: string, localRoutingId: Uint8Array | null): void {
    this.#assertOpen();
    const parsed = parseEndpoint(address, "connect", this.#options.ipv6);
    if (parsed.scheme !== "inproc") assertSecurityComplete(this.#options, address);
    const session = parsed.scheme === "inproc"
      ? new InprocConnectSession(this.#owner, inprocRegistryOf(this.#context), parsed.name, address)
      : new ConnectSession(this.#owner, parsed, address, localRoutingId);
    const list = this.#connects.get(address);
    if (list) list.push(session);
    else this.#connects.set(address, [session]);
    this.#lastEndpoint = address;
  }

  disconnect(address: string): void {
    this.#assertOpen();
    const sessions = this.#connects.get(address);
    if (sessions === undefined) throw new ZmqError("ENOENT", `Cannot disconnect ${address}: not connected; pass the address given to connect()`, address);
    this.#connects.delete(address);
    for (const session of sessions) session.close(this.#options.linger);
  }

  /**
   * Closes the socket now. Pending send/receive reject with EAGAIN; later calls throw EBADF.
   * Connected peers still get what was queued for them, for up to `linger` ms (-1: until written).
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pending.close();
    const linger = this.#options.linger;
    for (const session of this.#binds.values()) session.close(linger);
    for (const sessions of this.#connects.values()) for (const session of sessions) session.close(linger);
    this.#binds.clear();
    this.#connects.clear();
    this.#observer?.emit({ type: "end" });
    this.#observer?.close();
    this.#context.unregister(this);
  }

  protected sendMessage(message: MessageLike | MessageLike[]): Promise<void> {
    this.#assertOpen();
    return this.#pending.send(toMessage(message));
  }

  protected trySendMessage(message: MessageLike | MessageLike[]): boolean {
    this.#assertOpen();
    return this.#pending.trySend(toMessage(message));
  }

  protected receiveMessage(): Promise<Buffer[]> {
    this.#assertOpen();
    return this.#pending.receive();
  }

  protected tryReceiveMessage(): Buffer[] | null {
    this.#assertOpen();
    const message: Message | undefined = this.#pending.tryReceive();
    return message === undefined ? null : toBuffers(message);
  }

  protected receiveMessages(max: number): Promise<Buffer[][]> {
    this.#assertOpen();
    return this.#pending.receiveBatch(max);
  }

  protected async *iterateMessages(): AsyncGenerator<Buffer[], undefined> {
    for (;;) {
      if (this.#closed) return undefined;
      try {
        yield await this.#pending.receive();
      } catch (error) {
        if (this.#closed && (error as ZmqError).code === "EAGAIN") return undefined;
        throw error;
      }
    }
  }

  /**
   * Engines the Context's I/O threads run for this socket, each from the options as they are when
   * its connection starts. A server mechanism's authenticator stays here; the Worker asks it.
   */
  #workerEngines(pool: IoPool | null): WorkerEngines | null {
    // STREAM's raw engine always runs on this thread.
    if (pool === null || this.#core.raw) return null;
    const spec = () => engineSpec(this.#core.type, this.#options);
    const authenticator = () => (this.#options.asServer && this.#options.mechanism !== "NULL" ? authenticatorFor(this.#context, this.#options) : undefined);
    return {
      dial: (address, host) => pool.dial(address, spec(), host, authenticator()),
      adopt: (stream, host) => pool.adopt(stream, spec(), host, authenticator()),
    };
  }

  #assertOpen(): void {
    if (this.#closed) throw new ZmqError("EBADF", "Socket is closed");
  }
}

function settle(action: () => void): Promise<void> {
  try {
    action();
    return Promise.resolve();
  } catch (error) {
    return Promise.reject(error);
  }
}

// Option properties (`sock.linger = 0`, …) are accessors over the option store (option-access.ts),
// declared here so TypeScript sees them on every socket.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Socket extends CommonOptionProperties, SecurityProperties {}
installCommonOptions(Socket.prototype);
installNumberedAccess(Socket.prototype);
rewordSealedErrors(Socket.prototype, "Socket");
