// What a session sees of one connection's engine, whatever it speaks (ZMTP or raw bytes).
// Imports only pipe; the engines implement it, sessions depend on nothing else.

import type { PipeEnd } from "../pipe/pipe-end.ts";

/** Why a connection ended badly. `stage` decides the monitor event: handshake:error:* or disconnect. */
export interface EngineFailure {
  stage: "handshake" | "traffic";
  /**
   * "other": no authenticator for a server mechanism (EFAULT, libzmq's HANDSHAKE_FAILED_NO_DETAIL).
   * "lost": the peer closed (EPIPE) or reset (ECONNRESET) before the handshake ended; libzmq reports
   * that as HANDSHAKE_FAILED_NO_DETAIL too, and redials it like a time-out.
   * "overflow": the peer left more protocol output unread than maxProtocolBacklog (ENOBUFS); redialled
   * like a lost connection, since the peer broke no rule.
   */
  kind: "protocol" | "auth" | "timeout" | "other" | "lost" | "overflow";
  /** ERR_ZMTP_* or ERR_ZAP_* (protocol), ETIMEDOUT (timeout), EFAULT (other), EMSGSIZE/EPROTO (traffic), ENOBUFS (overflow); empty for auth. */
  code: string;
  status?: number;
  message: string;
}

export interface PeerDescription {
  /** The peer's `Socket-Type`, exact case ("STREAM" for a raw peer, which announces nothing). */
  socketType: string;
  /** The peer's `Identity` property (empty if absent, and always for a raw peer). */
  routingId: Uint8Array;
  properties: Map<string, Uint8Array>;
}

/** The session side of an engine. Both calls happen inside stream callbacks or `start()`. */
export interface EngineHost {
  /** The connection may carry messages now: return the pipe end this engine pumps. Called at most once. */
  engineReady(engine: Engine, peer: PeerDescription): PipeEnd;
  /** The connection is over; called exactly once. `failure` is null for an ordinary disconnect. */
  engineClosed(engine: Engine, failure: EngineFailure | null): void;
}

/**
 * What a host also hears from an engine that dials for itself (one an I/O thread runs), before the
 * handshake: the dial succeeded, or failed (then no `engineClosed` follows).
 */
export interface DialHost {
  connected(remoteAddress: string): void;
  dialFailed(): void;
}

/**
 * One connection's engine, owned by a session. Contract for every implementation:
 * `start()` is called once, right after construction, and may call `engineReady` and even
 * `engineClosed` before it returns; `end()` and `destroy()` may be called in any state, repeatedly,
 * and each leads to exactly one `engineClosed` (already-closed engines ignore them).
 */
export interface Engine {
  /** The peer's address as the transport names it (for events); empty until a dialling engine connects. */
  readonly remoteAddress: string;
  /** True until the engine has called `engineReady` (a raw engine never handshakes). */
  readonly handshaking: boolean;
  /**
   * The socket itself asked for this connection to end (STREAM's empty frame). A connecting session
   * then stops redialling, as libzmq terminates a raw socket's session in that case.
   */
  readonly closeRequested: boolean;
  start(): void;
  /** Graceful end: write what the pipe still holds, then FIN. The caller bounds this with linger. */
  end(): void;
  /** Immediate close; the host still hears `engineClosed` once. */
  destroy(): void;
}
