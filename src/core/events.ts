// Monitor events: zeromq.js v6's event names and payloads, plus the peer details bunzmq adds.
// Imports only errors. Sessions emit them; the public Observer delivers them.

import type { ZmqError } from "./errors.ts";

export type EventType =
  | "accept"
  | "accept:error"
  | "bind"
  | "bind:error"
  | "connect"
  | "connect:delay"
  | "connect:retry"
  | "close"
  | "close:error"
  | "disconnect"
  | "end"
  | "handshake"
  | "handshake:error:protocol"
  | "handshake:error:auth"
  | "handshake:error:other"
  | "unknown";

/** Error carried by handshake:error:auth: the ZAP status the peer or handler answered. */
export interface AuthError extends ZmqError {
  status: 300 | 400 | 500;
}

export interface SocketEvent {
  type: EventType;
  /** The endpoint the event concerns (the bound or connected endpoint, as zeromq.js reports). */
  address?: string;
  /** connect:retry: ms until the next attempt. */
  interval?: number;
  /** *:error events, and (bunzmq addition) a disconnect caused by a peer's protocol violation. */
  error?: ZmqError;
  /** bunzmq addition: who the event is about, when it concerns one connection. */
  peer?: PeerDetails;
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

/** Where sessions send events; the public socket forwards them to its Observer, if any. */
export type EventSink = (event: SocketEvent) => void;
