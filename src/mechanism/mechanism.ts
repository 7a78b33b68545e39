// The security-mechanism contract: a handshake state machine with no I/O (RFC 23 §mechanisms).
// Imports wire only. NULL and PLAIN live here, CURVE in curve/, all behind the same shape.

import type { Command } from "../wire/command.ts";

/** Why a handshake failed, in zeromq.js's vocabulary (api-contract §1.2 handshake:error:*). */
export interface HandshakeFailure {
  /** "other": the authenticator itself is missing (libzmq's HANDSHAKE_FAILED_NO_DETAIL). */
  kind: "protocol" | "auth" | "other";
  /** ERR_ZMTP_* / ERR_ZAP_* for protocol failures, an errno name for "other", empty for auth. */
  code: string;
  /** ZAP status (300/400/500) for auth failures. */
  status?: number;
  message: string;
}

export type Properties = Map<string, Uint8Array>;

/** What a server mechanism asks its host to judge (the ZAP request's mechanism and credentials). */
export type Credentials =
  /** RFC 27: a NULL request has no credentials (asked by a socket with a ZAP domain). */
  | { mechanism: "NULL" }
  | { mechanism: "PLAIN"; username: Uint8Array; password: Uint8Array }
  /** RFC 27: a CURVE request's one credential is the client's permanent public key (32 bytes). */
  | { mechanism: "CURVE"; publicKey: Uint8Array };

/** Inner flags of a frame carried inside an encrypted MESSAGE (zmtp-notes §5.2). */
export const INNER_FLAG_MORE = 0x01;
/** libzmq's extension to RFC 26: the frame is a command (PING, PONG, SUBSCRIBE, CANCEL). */
export const INNER_FLAG_COMMAND = 0x02;

/**
 * The traffic phase of a mechanism that encrypts (CURVE): every frame after the handshake is sealed
 * into the body of one MESSAGE command, and every frame received must be such a MESSAGE.
 */
export interface MessageCipher {
  /** The body of the MESSAGE command frame (sent with outer flags 0) that carries `frame`. */
  seal(innerFlags: number, frame: Uint8Array): Uint8Array;
  /** How many bytes longer than its frame a MESSAGE body is (what `sealInto` writes beyond the frame). */
  readonly overhead: number;
  /**
   * Writes the MESSAGE body that carries `frame` into `out[at, at + frame.length + overhead)`, as
   * `seal` would return it (the engine passes its write batch: no intermediate copy).
   */
  sealInto(innerFlags: number, frame: Uint8Array, out: Uint8Array, at: number): void;
  /**
   * The frame a received MESSAGE body carries, its inner flags in `flags`; null and `error` set if
   * refused. The caller gives the body up: a large frame may be decrypted in place and returned as
   * a view of the body's memory (as the decoder hands out views of what it received).
   */
  open(body: Uint8Array): Uint8Array | null;
  /** Inner flags (INNER_FLAG_*) of the frame `open` returned last. */
  readonly flags: number;
  /** Why the last `open` refused, with an ERR_ZMTP_* code. */
  readonly error: { code: string; message: string } | null;
}

/**
 * The host's answer to `Mechanism.pendingCredentials`: a ZAP status (RFC 27: 200 accepted, 300
 * temporary failure, 400 refused, 500 internal error), or a failure of the authenticator itself
 * (a malformed ZAP reply, no handler at all) that ends the handshake as it stands.
 */
export type Verdict = { status: 200 | 300 | 400 | 500 } | { failure: HandshakeFailure };

/**
 * One instance per connection. The engine calls `start()` once the peer's greeting is complete and
 * sends the frames it returns, then feeds every handshake command to `onCommand`, sending what that
 * returns, until `status` leaves "handshaking". No method throws for peer misbehaviour: it sets
 * `status = "failed"` and `failure` (frames returned with a failure, such as ERROR, still go out).
 *
 * A server mechanism may need a verdict on the peer's credentials: after a call it sets
 * `pendingCredentials`, and the engine asks its authenticator (ZAP handler or callback), which may
 * answer later; meanwhile the mechanism keeps handshaking and treats any further command as
 * unexpected. The engine passes the answer to `onVerdict` exactly once, unless the connection
 * ended first, and sends what it returns.
 */
export interface Mechanism {
  /** The greeting's mechanism name, e.g. "NULL". */
  readonly name: string;
  /** The greeting's as-server flag: true for a PLAIN or CURVE server (libzmq ignores it). */
  readonly asServer: boolean;
  readonly status: "handshaking" | "ready" | "failed";
  readonly failure: HandshakeFailure | null;
  /** The peer's READY/INITIATE metadata, once ready. Names keep the case the peer sent. */
  readonly peerProperties: Properties | null;
  /** Whole command frames to send right after the greeting exchange. */
  start(): Uint8Array[];
  /** Whole command frames to send in answer to `command`. */
  onCommand(command: Command): Uint8Array[];
  /** Credentials awaiting a verdict, from the call that accepted them until `onVerdict`; else null. */
  readonly pendingCredentials: Credentials | null;
  /** The authenticator's answer to `pendingCredentials`; returns whole command frames to send. */
  onVerdict(verdict: Verdict): Uint8Array[];
  /** Once ready: null when traffic travels in clear (NULL, PLAIN), else what seals and opens it. */
  readonly cipher: MessageCipher | null;
}

/** What a socket announces about itself in READY (or INITIATE): `Socket-Type`, `Identity`, …, in order. */
export type OwnProperties = ReadonlyArray<readonly [string, Uint8Array]>;
