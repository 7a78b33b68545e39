// A Socket's endpoints: the sessions its bind() and connect() start, the SessionOwner through which
// they reach the routing core and get their engines (here or on the Context's I/O threads), and
// closing them with linger. Imports core, socket, session, transport, mechanism and io;
// api/socket.ts checks closed and blocked before it calls in, so nothing here runs per message.

import { ZmqError } from "../core/errors.ts";
import type { SocketEvent } from "../core/events.ts";
import type { SocketOptions as OptionStore } from "../core/options.ts";
import type { IoPool } from "../io/io-pool.ts";
import { asksAuthenticator } from "../mechanism/create.ts";
import { BindSession } from "../session/bind-session.ts";
import { ConnectSession } from "../session/connect-session.ts";
import { InprocBindSession, InprocConnectSession } from "../session/inproc-session.ts";
import { PgmSession, multicastCapable } from "../session/pgm-session.ts";
import { UdpSession, udpRole } from "../session/udp-session.ts";
import { SOCKET_TYPE_NAMES, SocketType } from "../core/socket-type.ts";
import type { Session, SessionOwner, WorkerEngines } from "../session/session-owner.ts";
import type { SocketBase } from "../socket/socket-base.ts";
import { parseEndpoint, parseSocksProxy } from "../transport/endpoint.ts";
import { assertSupported } from "../transport/transport.ts";
import { type Context, inprocRegistryOf, ioPoolOf, lingerIn } from "./context.ts";
import { authenticatorFor, createEngine, engineSpec } from "./engine-config.ts";
import { assertSecurityComplete } from "./security-options.ts";

export class SocketEndpoints {
  readonly #context: Context;
  readonly #options: OptionStore;
  readonly #owner: SessionOwner;
  readonly #binds = new Map<string, Session>();
  readonly #connects = new Map<string, Session[]>();
  #lastEndpoint: string | null = null;

  /** `emit` reports the sessions' monitor events (and a failed bind) to the socket's observer. */
  constructor(core: SocketBase, options: OptionStore, context: Context, emit: (event: SocketEvent) => void) {
    this.#context = context;
    this.#options = options;
    this.#owner = {
      core,
      options,
      emit,
      createEngine: (stream, host) => createEngine(core, options, context, stream, host),
      io: workerEngines(core, options, context, ioPoolOf(context)),
    };
  }

  /** The endpoint of the last bind or connect (ZMQ_LAST_ENDPOINT), or null before the first. */
  get lastEndpoint(): string | null {
    return this.#lastEndpoint;
  }

  /** Whether a bind or connect is in place. */
  get inUse(): boolean {
    return this.#binds.size > 0 || this.#connects.size > 0;
  }

  bind(address: string): void {
    const parsed = parseEndpoint(address, "bind", this.#options.ipv6);
    // libzmq: bind on a multicast transport is connect.
    if (parsed.scheme === "epgm" || parsed.scheme === "pgm") return this.connect(address, null);
    if (parsed.scheme !== "inproc") assertSupported(parsed, address, "bind");
    if (parsed.scheme !== "inproc") assertSecurityComplete(this.#options, address);
    assertDatagramOnUdp(this.#owner.core.type, parsed.scheme, address);
    let session: Session;
    try {
      if (parsed.scheme === "udp") session = new UdpSession(this.#owner, parsed, address, udpRole(this.#owner.core.type, "bind", address));
      else if (parsed.scheme === "inproc")
        session = new InprocBindSession(this.#owner, inprocRegistryOf(this.#context), parsed.name, address);
      else session = new BindSession(this.#owner, parsed, address);
    } catch (error) {
      // libzmq reports a failed bind with the address as given after "scheme://"; over inproc, as
      // everywhere else on inproc, it reports nothing.
      if (parsed.scheme !== "inproc") {
        this.#owner.emit({ type: "bind:error", address: address.slice(address.indexOf("://") + 3), error: error as ZmqError });
      }
      throw error;
    }
    this.#binds.set(session.endpoint, session);
    this.#lastEndpoint = session.endpoint;
  }

  unbind(address: string): void {
    parseEndpoint(address, "bind", true);
    const session = this.#binds.get(address) ?? [...this.#binds.values()].find((s) => s.endpoint === address);
    if (session === undefined)
      throw new ZmqError("ENOENT", `${address} is not bound here; pass the endpoint lastEndpoint reported`, address);
    this.#binds.delete(session.endpoint);
    this.#lingerFor([session]);
  }

  /** `localRoutingId` names the peer locally (ROUTER's ZMQ_CONNECT_ROUTING_ID), or is null. */
  connect(address: string, localRoutingId: Uint8Array | null): void {
    const parsed = parseEndpoint(address, "connect", this.#options.ipv6);
    if (parsed.scheme !== "inproc") assertSupported(parsed, address, "connect");
    if (parsed.scheme !== "inproc") assertSecurityComplete(this.#options, address);
    assertDatagramOnUdp(this.#owner.core.type, parsed.scheme, address);
    // libzmq would retry a malformed proxy address forever; say so now instead.
    if (parsed.scheme === "tcp" && this.#options.socksProxy !== "") parseSocksProxy(this.#options.socksProxy, this.#options.ipv6);
    if ((parsed.scheme === "ws" || parsed.scheme === "wss") && this.#options.wsBareProtocol && this.#options.mechanism !== "NULL") {
      throw new ZmqError(
        "EINVAL",
        `Cannot connect to ${address}: bare ZWS2.0 has no handshake, so it cannot run ${this.#options.mechanism}; unset wsBareProtocol`,
        address,
      );
    }
    let session: Session;
    if (parsed.scheme === "udp") {
      session = new UdpSession(this.#owner, parsed, address, udpRole(this.#owner.core.type, "connect", address));
    } else if (parsed.scheme === "epgm" || parsed.scheme === "pgm") {
      if (!multicastCapable(this.#owner.core.type)) {
        const type = SOCKET_TYPE_NAMES[this.#owner.core.type];
        const detail = `${address}: multicast carries PUB/SUB only; use a Publisher, Subscriber, XPublisher or XSubscriber, not ${type}`;
        throw new ZmqError("ENOCOMPATPROTO", detail, address);
      }
      session = new PgmSession(this.#owner, parsed, address);
    } else if (parsed.scheme === "inproc") {
      session = new InprocConnectSession(this.#owner, inprocRegistryOf(this.#context), parsed.name, address, localRoutingId);
    } else session = new ConnectSession(this.#owner, parsed, address, localRoutingId);
    const list = this.#connects.get(address);
    if (list) list.push(session);
    else this.#connects.set(address, [session]);
    this.#lastEndpoint = address;
  }

  disconnect(address: string): void {
    parseEndpoint(address, "connect", true);
    const sessions = this.#connects.get(address);
    if (sessions === undefined) throw new ZmqError("ENOENT", `${address} is not connected; pass the address given to connect()`, address);
    this.#connects.delete(address);
    this.#lingerFor(sessions);
  }

  /** Closes every bind and connect, for the socket's close(). */
  closeAll(): void {
    this.#lingerFor([...this.#binds.values(), ...[...this.#connects.values()].flat()]);
    this.#binds.clear();
    this.#connects.clear();
  }

  /** Closes `sessions`; those whose connections still flush hold the event loop until done. */
  #lingerFor(sessions: Session[]): void {
    const linger = this.#options.linger;
    const lingering: Array<Promise<void>> = [];
    for (const session of sessions) {
      const done = session.close(linger);
      if (done !== null) lingering.push(done);
    }
    if (lingering.length > 0)
      lingerIn(
        this.#context,
        Promise.all(lingering).then(() => {}),
      );
  }
}

/** DGRAM has no stream engine: it speaks udp:// only (libzmq's DGRAM over tcp:// exchanges nothing useful). */
function assertDatagramOnUdp(type: SocketType, scheme: string, endpoint: string): void {
  if (type !== SocketType.Datagram || scheme === "udp") return;
  throw new ZmqError(
    "ENOCOMPATPROTO",
    `${endpoint}: a Datagram carries raw UDP datagrams; bind a udp:// address such as udp://*:5555`,
    endpoint,
  );
}

/**
 * Engines the Context's I/O threads run for a socket, each from the options as they are when its
 * connection starts. A server mechanism's authenticator stays here; the Worker asks it.
 */
function workerEngines(core: SocketBase, options: OptionStore, context: Context, pool: IoPool | null): WorkerEngines | null {
  // STREAM's raw engine always runs on this thread.
  if (pool === null || core.raw) return null;
  const spec = () => engineSpec(core.type, options);
  const authenticator = () => (asksAuthenticator(options) ? authenticatorFor(context, options) : undefined);
  return {
    dial: (address, host) => pool.dial(address, spec(), host, authenticator()),
    adopt: (stream, host) => pool.adopt(stream, spec(), host, authenticator()),
  };
}
