// What a session needs from the socket that owns it. Imports io, transport, engine, socket and
// core.

import type { EventSink, PeerDetails } from "../core/events.ts";
import type { SocketOptions } from "../core/options.ts";
import type { ByteStream } from "../core/byte-stream.ts";
import type { Engine, EngineFailure, EngineHost, PeerDescription } from "../engine/engine.ts";
import type { DialHost } from "../io/remote-engine.ts";
import type { StreamAddress } from "../transport/endpoint.ts";
import type { SocketBase } from "../socket/socket-base.ts";
import { ZmqError, authMessageFor } from "../core/errors.ts";
import type { AuthError, ProtoError, SocketEvent } from "../core/events.ts";

export interface SessionOwner {
  readonly core: SocketBase;
  readonly options: SocketOptions;
  readonly emit: EventSink;
  /**
   * A new, unstarted engine for one connection (ZMTP with a fresh mechanism, or raw bytes for STREAM),
   * reporting to `host`. The session calls `start()` on it.
   */
  createEngine(stream: ByteStream, host: EngineHost): Engine;
  /** Engines an I/O thread runs for this socket; null when every engine runs on this thread. */
  readonly io: WorkerEngines | null;
}

/**
 * A socket's way into its Context's I/O threads. Each call returns an unstarted engine that a Worker
 * runs (built from the socket's options as they are now), or null when this one must run here.
 */
export interface WorkerEngines {
  /** An engine whose Worker dials `address`; `host` also hears how the dial went. */
  dial(address: StreamAddress, host: EngineHost & DialHost): Engine | null;
  /** An engine for a connection accepted here, handed over to a Worker. */
  adopt(stream: ByteStream, host: EngineHost): Engine | null;
}

const utf8 = new TextDecoder();

/** The "handshake" event's peer: address, identity, type and READY's properties as text. */
export function handshakePeer(remoteAddress: string, peer: PeerDescription): PeerDetails {
  const metadata: Record<string, string> = {};
  for (const [name, value] of peer.properties) metadata[name] = utf8.decode(value);
  return { remoteAddress, routingId: peer.routingId, socketType: peer.socketType, metadata };
}

/** Turns an engine failure into the monitor event zeromq.js users listen for. */
export function failureEvent(failure: EngineFailure, address: string, remoteAddress: string): SocketEvent {
  const code = failure.code === "" ? "EPROTO" : (failure.code as ZmqError["code"]);
  const peer = { remoteAddress };
  if (failure.kind === "auth" && failure.stage !== "traffic") {
    // Mechanisms and the authenticator report only ZAP's failure statuses here (300, 400, 500).
    const status = (failure.status ?? 400) as AuthError["status"];
    const error = new ZmqError(code, failure.message, address, { message: authMessageFor(status) });
    return { type: "handshake:error:auth", address, error: Object.assign(error, { status }), peer };
  }
  const error = new ZmqError(code, failure.message, address);
  if (failure.stage === "traffic") return { type: "disconnect", address, error, peer };
  // Protocol failures carry ERR_ZMTP_* / ERR_ZAP_* codes (engine/handshake.ts).
  if (failure.kind === "protocol") return { type: "handshake:error:protocol", address, error: error as ProtoError, peer };
  return { type: "handshake:error:other", address, error, peer };
}

/** What the socket keeps per bind() or connect(): the endpoint, and how to end it. */
export interface Session {
  readonly endpoint: string;
  /**
   * Ends the session, its connections bounded by `linger` (ms; -1 unbounded, 0 none). Returns a
   * promise that settles once no connection of it lingers, or null when none does: the socket
   * holds the event loop until then, as zeromq.js's context termination waits for linger.
   */
  close(linger: number): Promise<void> | null;
}
