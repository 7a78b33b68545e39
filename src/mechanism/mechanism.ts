// The security-mechanism contract: a handshake state machine with no I/O (RFC 23 §mechanisms).
// Imports wire and core only. NULL lives here now; PLAIN and CURVE plug in behind the same shape.

import type { Command } from "../wire/command.ts";

/** Why a handshake failed, in zeromq.js's vocabulary (api-contract §1.2 handshake:error:*). */
export interface HandshakeFailure {
  kind: "protocol" | "auth";
  /** ERR_ZMTP_* / ERR_ZAP_* for protocol failures. */
  code: string;
  /** ZAP status (300/400/500) for auth failures. */
  status?: number;
  message: string;
}

export type Properties = Map<string, Uint8Array>;

/**
 * One instance per connection. The engine calls `start()` once the peer's greeting is complete and
 * sends the frames it returns, then feeds every handshake command to `onCommand`, sending what that
 * returns, until `status` leaves "handshaking". Neither method throws for peer misbehaviour: it sets
 * `status = "failed"` and `failure`.
 */
export interface Mechanism {
  /** The greeting's mechanism name, e.g. "NULL". */
  readonly name: string;
  readonly status: "handshaking" | "ready" | "failed";
  readonly failure: HandshakeFailure | null;
  /** The peer's READY/INITIATE metadata, once ready. Names keep the case the peer sent. */
  readonly peerProperties: Properties | null;
  /** Whole command frames to send right after the greeting exchange. */
  start(): Uint8Array[];
  /** Whole command frames to send in answer to `command`. */
  onCommand(command: Command): Uint8Array[];
}

/** What a socket announces about itself in READY (or INITIATE): `Socket-Type`, `Identity`, …, in order. */
export type OwnProperties = ReadonlyArray<readonly [string, Uint8Array]>;
