// What the application thread and its I/O Workers say to each other. Commands to a Worker go by
// postMessage, because a dial hands over the connection's two rings (SharedArrayBuffers), and so do
// the larger rings a connection's half moves to, both ways (only postMessage carries them); events
// from a Worker go through its mailbox (thread/mailbox.ts), as JSON, bytes as base64 (the
// summarize/…Of pairs below). Which connections have work goes through the two ready lists
// (thread/ready-list.ts) handed over at init. Imports thread, transport, engine, mechanism and core.

import type { SocketType } from "../core/socket-type.ts";
import type { EngineFailure, PeerDescription } from "../engine/engine.ts";
import type { AuthenticationRequest } from "../engine/handshake.ts";
import type { EngineLimits } from "../engine/engine-limits.ts";
import type { MechanismOptions } from "../mechanism/create.ts";
import type { Verdict } from "../mechanism/mechanism.ts";
import type { DoorbellAddress } from "../thread/doorbell.ts";
import type { ArenaShare } from "../thread/frame-arena.ts";
import type { StreamAddress } from "../transport/endpoint.ts";
import type { DetachedStream } from "../transport/handoff.ts";
import type { TransportOptions } from "../transport/transport.ts";

/** Everything a Worker needs to run one connection's engine: the socket's options as plain data. */
export interface EngineSpec extends EngineLimits {
  socketType: SocketType;
  /** READY's properties (Socket-Type, Identity). */
  ownProperties: Array<[string, Uint8Array]>;
  /** The socket's routing id, for the signature's padding and a 1.0/2.0 peer's identity frame. */
  routingId: Uint8Array;
  mechanism: MechanismOptions;
  /** The Worker's own pipe between engine and rings takes the socket's high-water marks. */
  sendHighWaterMark: number;
  receiveHighWaterMark: number;
  conflate: boolean;
  connectTimeout: number;
  /** What the Worker's dial applies: kernel tuning and the SOCKS5 proxy (accepted connections arrive tuned). */
  transport: TransportOptions;
  /** Which I/O threads may take the connection, a bit each (ZMQ_AFFINITY); 0 = any. Read by the pool. */
  affinity: number;
}

export type WorkerCommand =
  | {
      type: "init";
      mainDoorbell: DoorbellAddress;
      events: SharedArrayBuffer;
      signaler: "atomics" | "eventfd";
      /** The ready lists naming the Worker's connections with work, and the application thread's. */
      readyToWorker: SharedArrayBuffer;
      readyFromWorker: SharedArrayBuffer;
      /** The Context's arena, if `Socket.allocate` made it already (thread/frame-arena.ts). */
      arena: ArenaShare | null;
    }
  /** The Context's arena, made by the first `Socket.allocate` after this Worker started; answered by "arena-ready". */
  | { type: "arena"; arena: ArenaShare }
  | { type: "dial"; id: number; address: StreamAddress; spec: EngineSpec; toWorker: SharedArrayBuffer; fromWorker: SharedArrayBuffer }
  /** The application thread's half of connection `id` moved its outgoing ring (thread/byte-ring.ts). */
  | RingMoved
  /** An accepted connection handed over by descriptor (transport/handoff.ts). */
  | { type: "adopt"; id: number; stream: DetachedStream; spec: EngineSpec; toWorker: SharedArrayBuffer; fromWorker: SharedArrayBuffer }
  /** Flush what the rings and the Worker's pipe hold, then FIN (linger is timed on the application thread). */
  /** The application thread's authenticator judged a server mechanism's credentials. */
  | { type: "verdict"; id: number; verdict: Verdict }
  | { type: "end"; id: number }
  | { type: "destroy"; id: number }
  | { type: "stop" };

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("base64");
const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, "base64"));

/** The peer's READY, with its bytes as base64 (the mailbox carries JSON). */
export interface PeerSummary {
  socketType: string;
  routingId: string;
  properties: Array<[string, string]>;
}

/** A server mechanism's credentials, bytes as base64, for the authenticator on the application thread. */
export type CredentialsSummary =
  | { mechanism: "NULL"; remoteAddress: string }
  | { mechanism: "PLAIN"; username: string; password: string; remoteAddress: string }
  | { mechanism: "CURVE"; publicKey: string; remoteAddress: string };

export function summarizePeer(peer: PeerDescription): PeerSummary {
  return {
    socketType: peer.socketType,
    routingId: base64(peer.routingId),
    properties: [...peer.properties].map(([name, value]) => [name, base64(value)]),
  };
}

export function peerOf(summary: PeerSummary): PeerDescription {
  const properties = new Map(summary.properties.map(([name, value]) => [name, bytes(value)] as const));
  return { socketType: summary.socketType, routingId: bytes(summary.routingId), properties };
}

export function summarizeCredentials(request: AuthenticationRequest): CredentialsSummary {
  const { remoteAddress } = request;
  if (request.mechanism === "NULL") return { mechanism: "NULL", remoteAddress };
  return request.mechanism === "PLAIN"
    ? { mechanism: "PLAIN", username: base64(request.username), password: base64(request.password), remoteAddress }
    : { mechanism: "CURVE", publicKey: base64(request.publicKey), remoteAddress };
}

export function credentialsOf(summary: CredentialsSummary): AuthenticationRequest {
  const { remoteAddress } = summary;
  if (summary.mechanism === "NULL") return { mechanism: "NULL", remoteAddress };
  return summary.mechanism === "PLAIN"
    ? { mechanism: "PLAIN", username: bytes(summary.username), password: bytes(summary.password), remoteAddress }
    : { mechanism: "CURVE", publicKey: bytes(summary.publicKey), remoteAddress };
}

export type WorkerEvent =
  | { type: "connected"; id: number; remoteAddress: string }
  | { type: "authenticate"; id: number; request: CredentialsSummary }
  | { type: "dial-failed"; id: number }
  | { type: "ready"; id: number; peer: PeerSummary }
  | { type: "closed"; id: number; failure: EngineFailure | null };

/** A connection's half moved its outgoing ring to `ring`, handed to the other thread's half. */
export interface RingMoved {
  type: "ring";
  id: number;
  ring: SharedArrayBuffer;
}

/**
 * What a Worker posts (rather than puts in its mailbox, which carries JSON): first, how to ring it;
 * the rings its connections move to; that it has the arena (only then are frames lent to it); its
 * answer to "stop".
 */
export type WorkerPosted = { type: "started"; doorbell: DoorbellAddress } | RingMoved | { type: "arena-ready" } | { type: "stopped" };
