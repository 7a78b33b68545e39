// Monitor events: zeromq.js v6's event names and payloads, typed per event type as zeromq.js types
// them, plus the peer details bunzmq adds. Imports only errors. Sessions emit them; the public
// Observer delivers them.

import type { ZmqError } from "./errors.ts";

/** What `*:error` events carry (zeromq.js's ErrnoError): a ZmqError with `code` and `errno`. */
export type ErrnoError = ZmqError;

/** Error carried by handshake:error:auth: the ZAP status the peer or handler answered. */
export interface AuthError extends ZmqError {
  status: 300 | 400 | 500;
}

/** Error carried by handshake:error:protocol: zeromq.js's `ERR_ZMTP_*` / `ERR_ZAP_*` codes. */
export interface ProtoError extends ZmqError {
  readonly code: `ERR_ZMTP_${string}` | `ERR_ZAP_${string}`;
}

/** bunzmq addition: the peer an event concerns; a "handshake" event fills in all of it. */
export interface PeerDetails {
  /** e.g. `tcp://127.0.0.1:40222`; through a SOCKS5 proxy, the endpoint the proxy connected to. */
  remoteAddress: string;
  routingId?: Uint8Array;
  socketType?: string;
  /**
   * Every property of the peer's READY (Socket-Type, Identity, and the "X-" properties its `metadata`
   * or libzmq's ZMQ_METADATA set), values decoded as UTF-8: what libzmq's zmq_msg_gets reads.
   */
  metadata?: Record<string, string>;
}

export interface EventAddress {
  /** The endpoint the event concerns (the bound or connected endpoint, as zeromq.js reports). */
  address: string;
}

export interface EventInterval {
  /** ms until the next attempt. */
  interval: number;
}

export interface EventError<E = ErrnoError> {
  error: E;
}

/** bunzmq addition, on the events that concern one connection. */
export interface EventPeer {
  peer?: PeerDetails;
}

/** Flattens an intersection into one object type, so editors show the event's fields. */
export type Expand<T> = T extends infer O ? { [K in keyof O]: O[K] } : never;

/** The event of type `T` whose other fields are `D`. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type EventFor<T extends string, D = {}> = Expand<{ type: T } & D>;

/** Every monitor event, discriminated by `type`. */
export type Event =
  | EventFor<"accept", EventAddress & EventPeer>
  | EventFor<"accept:error", EventAddress & EventError>
  | EventFor<"bind", EventAddress>
  | EventFor<"bind:error", EventAddress & EventError>
  | EventFor<"connect", EventAddress & EventPeer>
  | EventFor<"connect:delay", EventAddress>
  | EventFor<"connect:retry", EventAddress & EventInterval>
  | EventFor<"close", EventAddress>
  | EventFor<"close:error", EventAddress & EventError>
  // bunzmq addition: `error` when a peer's protocol violation (EMSGSIZE, EPROTO), silence
  // (ETIMEDOUT, heartbeats) or unread protocol output (ENOBUFS, maxProtocolBacklog) ended the connection.
  | EventFor<"disconnect", EventAddress & EventPeer & Partial<EventError>>
  | EventFor<"end">
  | EventFor<"handshake", EventAddress & EventPeer>
  | EventFor<"handshake:error:protocol", EventAddress & EventError<ProtoError> & EventPeer>
  | EventFor<"handshake:error:auth", EventAddress & EventError<AuthError> & EventPeer>
  | EventFor<"handshake:error:other", EventAddress & EventError & EventPeer>
  | EventFor<"unknown">;

export type EventType = Event["type"];

/** The event of the given type, e.g. `EventOfType<"connect:retry">` has `interval`. */
export type EventOfType<E extends EventType = EventType> = Expand<Extract<Event, Event & EventFor<E>>>;

/** bunzmq's earlier name for Event. */
export type SocketEvent = Event;

/** Where sessions send events; the public socket forwards them to its Observer, if any. */
export type EventSink = (event: Event) => void;
