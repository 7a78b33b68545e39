// What a session needs from the socket that owns it. Imports core, engine, socket only.

import type { EventSink } from "../core/events.ts";
import type { SocketOptions } from "../core/options.ts";
import type { ByteStream } from "../core/byte-stream.ts";
import type { Engine, EngineFailure, EngineHost } from "../engine/engine.ts";
import type { Authenticator } from "../engine/handshake.ts";
import type { IoPool } from "../io/io-pool.ts";
import type { EngineSpec } from "../io/protocol.ts";
import type { SocketBase } from "../socket/socket-base.ts";
import { ZmqError } from "../core/errors.ts";
import type { SocketEvent } from "../core/events.ts";

export interface SessionOwner {
  readonly core: SocketBase;
  readonly options: SocketOptions;
  readonly emit: EventSink;
  /**
   * A new, unstarted engine for one connection (ZMTP with a fresh mechanism, or raw bytes for STREAM),
   * reporting to `host`. The session calls `start()` on it.
   */
  createEngine(stream: ByteStream, host: EngineHost): Engine;
  /** The I/O threads of the socket's Context, or null: every engine runs on this thread. */
  readonly io: IoPool | null;
  /** What an I/O thread needs to run this socket's next engine; null when it must run here. */
  engineSpec(): EngineSpec | null;
  /** The socket's authenticator for a server mechanism (asked on this thread); undefined otherwise. */
  authenticator(): Authenticator | undefined;
}

/** Turns an engine failure into the monitor event zeromq.js users listen for. */
export function failureEvent(failure: EngineFailure, address: string, remoteAddress: string): SocketEvent {
  const error = new ZmqError(failure.code === "" ? "EPROTO" : (failure.code as ZmqError["code"]), failure.message, address);
  const peer = { remoteAddress };
  if (failure.stage === "traffic") return { type: "disconnect", address, error, peer };
  if (failure.kind === "auth") {
    Object.assign(error, { status: failure.status ?? 400 });
    return { type: "handshake:error:auth", address, error, peer };
  }
  if (failure.kind === "protocol") return { type: "handshake:error:protocol", address, error, peer };
  return { type: "handshake:error:other", address, error, peer };
}

/** What the socket keeps per bind() or connect(): the endpoint, and how to end it. */
export interface Session {
  readonly endpoint: string;
  close(linger: number): void;
}
