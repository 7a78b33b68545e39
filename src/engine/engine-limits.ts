// A ZMTP connection's limits and timers, taken from the socket's options when the connection starts.
// Plain data only, so that an I/O Worker's engine gets the very same values (io/protocol.ts EngineSpec).
// Imports engine.ts's types.

import type { EngineFailure } from "./engine.ts";

/** The heartbeat options of a connection (ZMTP 3.1 PING/PONG, zmtp-notes §4.2). */
export interface HeartbeatLimits {
  /** ms between our PINGs (ZMQ_HEARTBEAT_IVL); 0 or absent = none. */
  heartbeatInterval?: number;
  /** ms TTL announced in our PINGs, sent as deciseconds (ZMQ_HEARTBEAT_TTL); default 0. */
  heartbeatTimeToLive?: number;
  /** ms to wait for any frame after our PING (ZMQ_HEARTBEAT_TIMEOUT); -1 or absent = the interval. */
  heartbeatTimeout?: number;
}

/** Everything a connection is bounded by, besides the pipes' high-water marks. */
export interface EngineLimits extends HeartbeatLimits {
  /** Largest frame body accepted (ZMQ_MAXMSGSIZE); negative = only the runtime's Buffer limit. */
  maxMessageSize: number;
  /** ms the greeting and handshake may take (ZMQ_HANDSHAKE_IVL); 0 = no limit. */
  handshakeInterval: number;
  /** The first write batch, bytes (the `outBatchSize` addition). */
  outBatchSize: number;
  /**
   * Bytes of protocol output (greeting, handshake commands, ERROR, PING, PONG) the kernel may refuse
   * before the peer is dropped with ENOBUFS (the `maxProtocolBacklog` addition); negative = no bound;
   * absent = DEFAULT_MAX_PROTOCOL_BACKLOG (core/options.ts).
   */
  maxProtocolBacklog?: number;
}

/**
 * The failure of a connection whose peer left more than `max` bytes of our protocol output unread:
 * ENOBUFS, a `disconnect` once traffic flows (handshake:error:other before), and redialled like a
 * lost connection.
 */
export function protocolBacklogFailure(handshaking: boolean, unread: number, max: number): EngineFailure {
  const message = `the peer left ${unread} bytes of protocol output unread, over maxProtocolBacklog (${max} bytes)`;
  return { stage: handshaking ? "handshake" : "traffic", kind: "overflow", code: "ENOBUFS", message };
}

/** A failure of the handshake; `status` is a ZAP status code where a ZAP reply refused the peer. */
export function handshakeFailure(kind: EngineFailure["kind"], code: string, message: string, status?: number): EngineFailure {
  return status === undefined ? { stage: "handshake", kind, code, message } : { stage: "handshake", kind, code, message, status };
}

/**
 * The failure of a connection whose peer sent a frame the decoder refused (over maxMessageSize, or a
 * malformed ZMTP 1.0 length): a handshake protocol error before traffic, a `disconnect` with the
 * decoder's errno code after.
 */
export function decodingFailure(handshaking: boolean, code: string | null, message: string): EngineFailure {
  if (handshaking) return { stage: "handshake", kind: "protocol", code: "ERR_ZMTP_UNSPECIFIED", message };
  return { stage: "traffic", kind: "protocol", code: code ?? "EPROTO", message };
}

/** The bound on a connection's unread protocol output (the `maxProtocolBacklog` option). */
export interface ProtocolBound {
  /** Bytes of protocol output the kernel may refuse (leave in the backlog); negative means no bound. */
  max: number;
  /**
   * Called once, inside the write (a flush, or an append that flushed) after which more than `max`
   * protocol bytes wait in the backlog, with the unread count. The queue has already dropped
   * everything it held and writes nothing more; the engine closes the connection. May re-enter the
   * engine: its callers re-check whether it closed.
   */
  exceeded(unread: number): void;
}
