// Monitor events: zeromq.js v6's event names and payloads, typed per event type as zeromq.js types
// them, plus the peer details bunzmq adds. Imports only errors. Sessions emit them; the public
// Observer delivers them.

import type { ProtocolErrorCode, ZmqError } from "./errors.ts";

/** What `*:error` events carry (zeromq.js's ErrnoError): a ZmqError with `code` and `errno`. */
export type ErrnoError = ZmqError;

/** Error carried by handshake:error:auth: the ZAP status the peer or handler answered. */
export interface AuthError extends ZmqError {
  /** The ZAP status code (RFC 27): 300 temporary failure, 400 refused, 500 internal error. */
  status: 300 | 400 | 500;
}

/** Error carried by handshake:error:protocol: zeromq.js's `ERR_ZMTP_*` / `ERR_ZAP_*` codes. */
export interface ProtoError extends ZmqError {
  /** What the peer or the ZAP handler got wrong (see `ZmqErrorCode`). */
  readonly code: ProtocolErrorCode;
}

/** bunzmq addition: the peer an event concerns; a "handshake" event fills in all of it. */
export interface PeerDetails {
  /** e.g. `tcp://127.0.0.1:40222`; through a SOCKS5 proxy, the endpoint the proxy connected to. */
  remoteAddress: string;
  /** The peer's routing id, where it announced one (READY's Identity). */
  routingId?: Uint8Array;
  /** The peer's socket type as it announced it in READY ("DEALER", "SUB", …). */
  socketType?: string;
  /**
   * Every property of the peer's READY (Socket-Type, Identity, and the "X-" properties its `metadata`
   * or libzmq's ZMQ_METADATA set), values decoded as UTF-8: what libzmq's zmq_msg_gets reads.
   */
  metadata?: Record<string, string>;
}

/** The `address` every event but `end` carries. */
export interface EventAddress {
  /** The endpoint the event concerns (the bound or connected endpoint, as zeromq.js reports). */
  address: string;
}

/** The `interval` of a `connect:retry` event. */
export interface EventInterval {
  /** ms until the next attempt. */
  interval: number;
}

/** The `error` of the `*:error` events (and of some `disconnect` events). */
export interface EventError<E = ErrnoError> {
  /** What went wrong: `code` and `errno` as zeromq.js gives them. */
  error: E;
}

/** bunzmq addition, on the events that concern one connection. */
export interface EventPeer {
  /** The peer concerned (non-enumerable, so events still deep-equal zeromq.js's shapes). */
  peer?: PeerDetails;
}

/** Flattens an intersection into one object type, so editors show the event's fields. */
export type Expand<T> = T extends infer O ? { [K in keyof O]: O[K] } : never;

/** The event of type `T` whose other fields are `D`. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type EventFor<T extends string, D = {}> = Expand<{ type: T } & D>;

/**
 * Each monitor event type and what it carries besides `type`. The sequences are libzmq 4.3.4's: a
 * refused dial is `connect:delay`, `close`, `connect:retry`; a lost peer is `disconnect` and then
 * the same redial cycle. inproc:// connections report none, as in libzmq.
 */
interface EventPayloads {
  /** A bound socket accepted a tcp:// or ipc:// connection; `address` is the bound endpoint. */
  accept: EventAddress & EventPeer;
  /** Accepting a connection failed (zeromq.js's type; bunzmq reports none). */
  "accept:error": EventAddress & EventError;
  /** A bind() succeeded; `address` is the endpoint with its real port or path. */
  bind: EventAddress;
  /** A bind() failed; `address` is the endpoint as given, after its `scheme://`. */
  "bind:error": EventAddress & EventError;
  /** A dial succeeded: the connection is up and its handshake starts. */
  connect: EventAddress & EventPeer;
  /** A tcp:// dial is under way (not reported for ipc://, whose dial ends at once). */
  "connect:delay": EventAddress;
  /** A dial failed or a connection was lost; the next attempt comes after `interval` ms. */
  "connect:retry": EventAddress & EventInterval;
  /** A connection or listener was closed: a failed dial's, or at close() each bound endpoint's. */
  close: EventAddress;
  /** Closing failed (zeromq.js's type; bunzmq reports none). */
  "close:error": EventAddress & EventError;
  /**
   * A connection whose handshake had completed ended: the peer left, or (with `error`, a bunzmq
   * addition) it broke the protocol (EMSGSIZE, EPROTO), fell silent (ETIMEDOUT, heartbeats) or left
   * too much protocol output unread (ENOBUFS, `maxProtocolBacklog`).
   * disconnect() and unbind() report one for each connection they end.
   */
  disconnect: EventAddress & EventPeer & Partial<EventError>;
  /** The socket was closed: the last event. */
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  end: {};
  /** A connection's ZMTP handshake completed; `peer` holds all the peer announced. */
  handshake: EventAddress & EventPeer;
  /**
   * The peer broke ZMTP or its security mechanism, or a ZAP handler answered wrongly; the
   * connection is closed (see `ZmqErrorCode` for the `ERR_ZMTP_*` and `ERR_ZAP_*` codes).
   */
  "handshake:error:protocol": EventAddress & EventError<ProtoError> & EventPeer;
  /** Authentication refused the peer, or the peer refused us: `error.status` is the ZAP status. */
  "handshake:error:auth": EventAddress & EventError<AuthError> & EventPeer;
  /**
   * The handshake failed otherwise: ETIMEDOUT after `handshakeInterval`, EPIPE or ECONNRESET when
   * the peer left before it ended (the endpoint is redialled), EFAULT when a PLAIN server has no
   * one to ask, ENOBUFS when the peer left too much of the handshake unread.
   */
  "handshake:error:other": EventAddress & EventError & EventPeer;
  /**
   * bunzmq addition: a pgm:// or epgm:// subscriber lost data its sender could no longer repair (the
   * sender's transmit window had moved past it, or the repair requests ran out). `sender` names the
   * sender's PGM session ("<GSI in hex>.<source port>"); sequence numbers `firstSequence` to
   * `lastSequence` are gone. As in libzmq, the message they cut is dropped and that sender's
   * messages resume at the next whole message.
   */
  "pgm:loss": EventAddress & { sender: string; firstSequence: number; lastSequence: number };
  /**
   * bunzmq addition (`swap`): a queue began writing messages beyond its high-water mark to disk.
   * `address` is the peer's for a queue per peer (PUB, XPUB, ROUTER), empty for the socket's own
   * queue (PUSH, DEALER), whose messages go to whichever peer is ready when they come back.
   */
  "spill:start": EventAddress;
  /** bunzmq addition (`swap`): a spilling queue has handed back its last message from disk. */
  "spill:stop": EventAddress;
  /**
   * bunzmq addition (`swap`): storage failed. ENOSPC: the disk is full, so the queue keeps what it
   * accepted and the high-water mark applies again until it drains; EBADMSG: a record failed its
   * checksum and was skipped (never delivered); EIO for any other write or read failure.
   */
  "spill:error": EventAddress & EventError;
  /** zeromq.js's type for a libzmq event it does not know; bunzmq reports none. */
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  unknown: {};
}

/** The name of every monitor event type, with what each means. */
export type EventType = keyof EventPayloads;

/** Every monitor event, discriminated by `type` (see `EventType` for each). */
export type Event = { [T in EventType]: EventFor<T, EventPayloads[T]> }[EventType];

/** The event of the given type, e.g. `EventOfType<"connect:retry">` has `interval`. */
export type EventOfType<E extends EventType = EventType> = Expand<Extract<Event, Event & EventFor<E>>>;

/** bunzmq's earlier name for Event. */
export type SocketEvent = Event;

/** Where sessions send events; the public socket forwards them to its Observer, if any. */
export type EventSink = (event: Event) => void;
