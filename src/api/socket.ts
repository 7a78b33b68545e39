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
import { PendingOperations } from "./pending-operations.ts";
import {
  type CurveKey, type CurveKeyName, type SecurityOptionName, type SecurityProperties, assertSecurityComplete, installSecurityProperties,
  isSecurityOption, setSecurityOption,
} from "./security-options.ts";

export type { MessageLike } from "./message-like.ts";

/** Constructor options: any option property, plus the context the socket belongs to. */
export type SocketInit = Partial<OptionProperties> & Partial<Omit<SecurityProperties, CurveKeyName>> & {
  [key in CurveKeyName]?: CurveKey | null;
} & {
  routingId?: string | Uint8Array | null;
  conflate?: boolean;
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

  /** The routing core, for subclasses' type-specific options and verbs. */
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
    return (this.#observer ??= new Observer());
  }

  /** Sets an option by its zeromq.js property name; throws EINVAL for unknown names and bad values. */
  protected setOption(name: OptionName | SecurityOptionName | "routingId" | "conflate", value: unknown): void {
    this.#assertOpen();
    if (isSecurityOption(name)) return setSecurityOption(this.#options, name, value);
    const valid = validateOption(name, value);
    const options = this.#options;
    (options as unknown as Record<string, unknown>)[name] = valid;
  }

  protected getOption<K extends keyof SocketOptions>(name: K): SocketOptions[K] {
    // Public readers (option properties) go through here; closed sockets still report their options.
    return this.#options[name];
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
        ? new InprocBindSession(this.#owner, inprocRegistryOf(this.context), parsed.name, address)
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
    this.#lingerFor([session]);
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
      ? new InprocConnectSession(this.#owner, inprocRegistryOf(this.context), parsed.name, address)
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
    this.#closed = true;
    this.#pending.close();
    this.#lingerFor([...this.#binds.values(), ...[...this.#connects.values()].flat()]);
    this.#binds.clear();
    this.#connects.clear();
    this.#observer?.emit({ type: "end" });
    this.#observer?.close();
    this.context.unregister(this);
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

  /** The engine for one new connection; STREAM overrides this with its raw engine. */
  protected createEngine(stream: ByteStream, host: EngineHost): Engine {
    return new ZmtpEngine(stream, engineConfig(this.#core.type, this.#options, this.context), host);
  }

  /** Whether this socket's engines may run in I/O threads; STREAM's raw engine stays here. */
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
    const authenticator = () => (this.#options.asServer && this.#options.mechanism !== "NULL" ? authenticatorFor(this.context, this.#options) : undefined);
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
    if (this.#closed) throw new ZmqError("EBADF", "Socket is closed");
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

function settle(action: () => void): Promise<void> {
  try {
    action();
    return Promise.resolve();
  } catch (error) {
    return Promise.reject(error);
  }
}

// Option properties (`sock.linger = 0`, …) are accessors over the option store, declared here so
// TypeScript sees them on every socket.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Socket extends OptionProperties, SecurityProperties {}
installOptionProperties(Socket.prototype);
installSecurityProperties(Socket.prototype);
