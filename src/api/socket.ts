// The zeromq.js v6 Socket: endpoints, options, close, events, and the promise machinery of send and
// receive over a routing core. Imports everything below it; socket types add only their verbs.

import { ZmqError } from "../core/errors.ts";
import type { SocketEvent } from "../core/events.ts";
import type { Message } from "../core/message.ts";
import { type SocketOptions, defaultSocketOptions } from "../core/options.ts";
import type { SocketType } from "../core/socket-type.ts";
import type { ByteStream } from "../core/byte-stream.ts";
import type { Engine, EngineHost } from "../engine/engine.ts";
import { ZmtpEngine } from "../engine/zmtp-engine.ts";
import { BindSession } from "../session/bind-session.ts";
import { ConnectSession } from "../session/connect-session.ts";
import { InprocBindSession, InprocConnectSession } from "../session/inproc-session.ts";
import type { Session, SessionOwner, WorkerEngines } from "../session/session-owner.ts";
import type { SocketBase } from "../socket/socket-base.ts";
import { parseEndpoint } from "../transport/endpoint.ts";
import { type Context, context as defaultContext, inprocRegistryOf, ioPoolOf, lingerIn } from "./context.ts";
import { watchProcessExit } from "./context-exit.ts";
import { type MessageLike, toBuffers, toMessage } from "./message-like.ts";
import { Observer } from "./observer.ts";
import { authenticatorFor, engineConfig, engineSpec } from "./engine-config.ts";
import {
  OPTION_NAMES, type OptionName, type OptionProperties, installOptionProperties, validateOption,
} from "./socket-options.ts";
import type { IoPool } from "../io/io-pool.ts";
import { asksAuthenticator } from "../mechanism/create.ts";
import { parseSocksProxy } from "../transport/socks-dial.ts";
import {
  type ConnectionOptionName, type ConnectionProperties, installConnectionProperties, isConnectionOption, setConnectionOption,
} from "./connection-options.ts";
import { PendingOperations } from "./pending-operations.ts";
import {
  type CurveKey, type CurveKeyName, type SecurityOptionName, type SecurityProperties, assertSecurityComplete, installSecurityProperties,
  isSecurityOption, setSecurityOption,
} from "./security-options.ts";

export type { MessageLike } from "./message-like.ts";

/**
 * What api/proxy.ts needs beyond the public API, to forward between routing cores; not exported by
 * index.ts, and left out of the published declarations.
 * @internal
 */
export interface SocketInternals {
  readonly core: SocketBase;
  /** Whether a bind or connect is in place (never after close()). */
  hasEndpoints(): boolean;
  /**
   * Blocks the socket while a proxy runs on it, as zeromq.js does: other calls throw EBUSY, and
   * close() calls `onClose` instead of closing. Throws EBUSY itself while a bind() is settling.
   */
  block(onClose: () => void): void;
  /** Lifts block(); a close() requested meanwhile happens now. */
  unblock(): void;
}

/** @internal */
export let internalsOf: (socket: Socket) => SocketInternals;

/** Constructor options: any option property, plus the context the socket belongs to. */
export type SocketInit = Partial<OptionProperties> & Partial<Omit<SecurityProperties, CurveKeyName>>
  & Partial<Omit<ConnectionProperties, "metadata">> & {
  [key in CurveKeyName]?: CurveKey | null;
} & {
  routingId?: string | Uint8Array | null;
  conflate?: boolean;
  metadata?: Record<string, string> | null;
  context?: Context;
};

export abstract class Socket {
  readonly context: Context;
  readonly #core: SocketBase;
  readonly #options: SocketOptions = defaultSocketOptions();
  readonly #owner: SessionOwner;
  readonly #pending: PendingOperations;
  readonly #binds = new Map<string, Session>();
  readonly #connects = new Map<string, Session[]>();
  #observer: Observer | null = null;
  #lastEndpoint: string | null = null;
  #closed = false;
  /**
   * Why other calls throw EBUSY, or null: a bind() or unbind() is settling (see #blockWhile), or a
   * proxy runs on the socket (internalsOf). close() waits for the end of it; a proxy is told.
   */
  #blockedBecause: string | null = null;
  #closeRequested = false;
  #onCloseWhileBlocked: (() => void) | null = null;

  static {
    internalsOf = (socket) => ({
      core: socket.#core,
      hasEndpoints: () => socket.#binds.size + socket.#connects.size > 0,
      block: (onClose) => {
        socket.#assertOpen();
        socket.#blockedBecause = "a Proxy is running on this socket; terminate() it first";
        socket.#onCloseWhileBlocked = onClose;
      },
      unblock: () => socket.#unblock(),
    });
  }

  /** @internal Each socket type passes its routing core. */
  protected constructor(core: SocketBase, init: SocketInit = {}) {
    this.#core = core;
    this.context = init.context ?? defaultContext;
    // Type-specific options (`mandatory`, `subscribe`-style setters, …) are accessors of the
    // subclass; they reach their state through `core`, which is already set here.
    for (const [name, value] of Object.entries(init)) {
      if (name === "context") continue;
      if (hasSetter(this, name) && !(OPTION_NAMES as readonly string[]).includes(name)) {
        (this as unknown as Record<string, unknown>)[name] = value;
      } else {
        this.setOption(name as OptionName, value);
      }
    }
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
      createEngine: (stream, host) => this.createEngine(stream, host),
      io: this.#workerEngines(ioPoolOf(this.context)),
    };
    this.#pending = new PendingOperations(core, this.#options);
    this.context.register(this);
    watchProcessExit();
  }

  /** @internal The routing core, for subclasses' type-specific options and verbs. */
  protected get core(): SocketBase {
    return this.#core;
  }

  get type(): SocketType {
    return this.#core.type;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The last endpoint bound (with the real port for `*`) or connected, or null. */
  get lastEndpoint(): string | null {
    return this.#lastEndpoint;
  }

  get readable(): boolean {
    return !this.#closed && this.#core.readable;
  }

  get writable(): boolean {
    return !this.#closed && this.#core.writable;
  }

  /** ZMQ_MECHANISM as zeromq.js reports it: null for NULL, else "plain" or "curve" as the options selected. */
  get securityMechanism(): "plain" | "curve" | null {
    const mechanism = this.#options.mechanism;
    return mechanism === "NULL" ? null : mechanism === "PLAIN" ? "plain" : "curve";
  }

  /** Monitor events; created on first access, the same object afterwards. */
  get events(): Observer {
    if (this.#observer === null) {
      this.#observer = new Observer();
      // Read first after close(): nothing will ever arrive, so iteration ends at once.
      if (this.#closed) this.#observer.close();
    }
    return this.#observer;
  }

  /** @internal Sets an option by its zeromq.js property name; throws EINVAL for unknown names and bad values. */
  protected setOption(name: OptionName | SecurityOptionName | ConnectionOptionName | "routingId" | "conflate", value: unknown): void {
    this.#assertOpen();
    if (isSecurityOption(name)) return setSecurityOption(this.#options, name, value);
    if (isConnectionOption(name)) return setConnectionOption(this.#options, name, value);
    const valid = validateOption(name, value);
    const options = this.#options;
    (options as unknown as Record<string, unknown>)[name] = valid;
    if (name === "sendHighWaterMark" || name === "receiveHighWaterMark") this.#core.resizePipes(options);
  }

  /** @internal */
  protected getOption<K extends keyof SocketOptions>(name: K): SocketOptions[K] {
    // Public readers (option properties) go through here; closed sockets still report their options.
    return this.#options[name];
  }

  /**
   * Throws EBADF at once on a closed socket (as zeromq.js); bind failures reject. Until the promise
   * settles the socket is blocked, as zeromq.js's is while libzmq binds on its thread pool: other
   * calls throw EBUSY and close() waits for the bind.
   */
  bind(address: string): Promise<void> {
    this.#assertOpen();
    return this.#blockWhile(() => this.#bindNow(address));
  }

  bindSync(address: string): void {
    this.#assertOpen();
    this.#bindNow(address);
  }

  #bindNow(address: string): void {
    const parsed = parseEndpoint(address, "bind", this.#options.ipv6);
    if (parsed.scheme !== "inproc") assertSecurityComplete(this.#options, address);
    let session: Session;
    try {
      session = parsed.scheme === "inproc"
        ? new InprocBindSession(this.#owner, inprocRegistryOf(this.context), parsed.name, address)
        : new BindSession(this.#owner, parsed, address);
    } catch (error) {
      // libzmq reports a failed bind with the address as given after "scheme://"; over inproc, as
      // everywhere else on inproc, it reports nothing.
      if (parsed.scheme !== "inproc") {
        this.#observer?.emit({ type: "bind:error", address: address.slice(address.indexOf("://") + 3), error: error as ZmqError });
      }
      throw error;
    }
    this.#binds.set(session.endpoint, session);
    this.#lastEndpoint = session.endpoint;
  }

  unbind(address: string): Promise<void> {
    this.#assertOpen();
    return this.#blockWhile(() => this.#unbindNow(address));
  }

  /** Really unbinds (zeromq.js wires unbindSync to bind by mistake; we do not). */
  unbindSync(address: string): void {
    this.#assertOpen();
    this.#unbindNow(address);
  }

  #unbindNow(address: string): void {
    parseEndpoint(address, "bind", true);
    const session = this.#binds.get(address) ?? [...this.#binds.values()].find((s) => s.endpoint === address);
    if (session === undefined) throw new ZmqError("ENOENT", `${address} is not bound here; pass the endpoint lastEndpoint reported`, address);
    this.#binds.delete(session.endpoint);
    this.#lingerFor([session]);
  }

  /** Runs a bind or unbind now and settles its promise on the next turn, blocking the socket until then. */
  #blockWhile(action: () => void): Promise<void> {
    this.#blockedBecause = "await the pending bind() or unbind() first";
    let failure: { error: unknown } | null = null;
    try {
      action();
    } catch (error) {
      failure = { error };
    }
    return new Promise((resolve, reject) => {
      setImmediate(() => {
        this.#unblock();
        if (failure === null) resolve();
        else reject(failure.error);
      });
    });
  }

  #unblock(): void {
    this.#blockedBecause = null;
    this.#onCloseWhileBlocked = null;
    if (this.#closeRequested) this.close();
  }

  connect(address: string): void {
    this.connectWith(address, null);
  }

  /** @internal connect() naming the peer locally (ROUTER's ZMQ_CONNECT_ROUTING_ID), for subclasses. */
  protected connectWith(address: string, localRoutingId: Uint8Array | null): void {
    this.#assertOpen();
    const parsed = parseEndpoint(address, "connect", this.#options.ipv6);
    if (parsed.scheme !== "inproc") assertSecurityComplete(this.#options, address);
    // libzmq would retry a malformed proxy address forever; say so now instead.
    if (parsed.scheme === "tcp" && this.#options.socksProxy !== "") parseSocksProxy(this.#options.socksProxy, this.#options.ipv6);
    const session = parsed.scheme === "inproc"
      ? new InprocConnectSession(this.#owner, inprocRegistryOf(this.context), parsed.name, address, localRoutingId)
      : new ConnectSession(this.#owner, parsed, address, localRoutingId);
    const list = this.#connects.get(address);
    if (list) list.push(session);
    else this.#connects.set(address, [session]);
    this.#lastEndpoint = address;
  }

  disconnect(address: string): void {
    this.#assertOpen();
    parseEndpoint(address, "connect", true);
    const sessions = this.#connects.get(address);
    if (sessions === undefined) throw new ZmqError("ENOENT", `${address} is not connected; pass the address given to connect()`, address);
    this.#connects.delete(address);
    this.#lingerFor(sessions);
  }

  /**
   * Closes the socket now. Pending send/receive reject with EAGAIN; later calls throw EBADF.
   * Connected peers still get what was queued for them, for up to `linger` ms (-1: until written),
   * and the event loop is held meanwhile; a positive linger also waits that long for a peer that is
   * not connected (session/connect-session.ts).
   */
  close(): void {
    if (this.#closed) return;
    if (this.#blockedBecause !== null) {
      this.#closeRequested = true;
      this.#onCloseWhileBlocked?.();
      return;
    }
    this.#closed = true;
    this.#pending.close();
    this.#lingerFor([...this.#binds.values(), ...[...this.#connects.values()].flat()]);
    this.#binds.clear();
    this.#connects.clear();
    this.#observer?.emit({ type: "end" });
    this.#observer?.close();
    this.context.unregister(this);
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

  /** @internal The engine for one new connection; STREAM overrides this with its raw engine. */
  protected createEngine(stream: ByteStream, host: EngineHost): Engine {
    return new ZmtpEngine(stream, engineConfig(this.#core.type, this.#options, this.context), host);
  }

  /** @internal Whether this socket's engines may run in I/O threads; STREAM's raw engine stays here. */
  protected get enginesMayMove(): boolean {
    return true;
  }

  /**
   * Engines the Context's I/O threads run for this socket, each from the options as they are when
   * its connection starts. A server mechanism's authenticator stays here; the Worker asks it.
   */
  #workerEngines(pool: IoPool | null): WorkerEngines | null {
    if (pool === null || !this.enginesMayMove) return null;
    const spec = () => engineSpec(this.#core.type, this.#options);
    const authenticator = () => (asksAuthenticator(this.#options) ? authenticatorFor(this.context, this.#options) : undefined);
    return {
      dial: (address, host) => pool.dial(address, spec(), host, authenticator()),
      adopt: (stream, host) => pool.adopt(stream, spec(), host, authenticator()),
    };
  }

  /** Closes `sessions`; those whose connections still flush hold the event loop until done. */
  #lingerFor(sessions: Session[]): void {
    const linger = this.#options.linger;
    const lingering: Array<Promise<void>> = [];
    for (const session of sessions) {
      const done = session.close(linger);
      if (done !== null) lingering.push(done);
    }
    if (lingering.length > 0) lingerIn(this.context, Promise.all(lingering).then(() => {}));
  }

  #assertOpen(): void {
    if (this.#closed) throw new ZmqError("EBADF");
    if (this.#blockedBecause !== null) {
      throw new ZmqError("EBUSY", this.#blockedBecause, undefined, {
        message: "Socket is blocked by a bind or unbind operation",
      });
    }
  }
}

/** Whether `name` is a settable accessor somewhere on `object`'s prototype chain (an option property). */
function hasSetter(object: object, name: string): boolean {
  for (let proto = Object.getPrototypeOf(object); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    if (descriptor !== undefined) return descriptor.set !== undefined;
  }
  return false;
}

// Option properties (`sock.linger = 0`, …) are accessors over the option store, declared here so
// TypeScript sees them on every socket.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Socket extends OptionProperties, SecurityProperties, ConnectionProperties {}
installOptionProperties(Socket.prototype);
installSecurityProperties(Socket.prototype);
installConnectionProperties(Socket.prototype);
