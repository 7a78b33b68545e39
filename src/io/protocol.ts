// What the application thread and its I/O Workers say to each other. Commands to a Worker go by
// postMessage, because a dial hands over the connection's two rings (SharedArrayBuffers); events
// from a Worker go through its mailbox (thread/mailbox.ts), as JSON.

import type { SocketType } from "../core/socket-type.ts";
import type { EngineFailure } from "../engine/engine.ts";
import type { MechanismOptions } from "../mechanism/create.ts";
import type { Verdict } from "../mechanism/mechanism.ts";
import type { DoorbellAddress } from "../thread/doorbell.ts";
import type { StreamAddress } from "../transport/endpoint.ts";
import type { DetachedStream } from "../transport/handoff.ts";
import type { KeepaliveOptions } from "../transport/tcp-keepalive.ts";

/** Everything a Worker needs to run one connection's engine: the socket's options as plain data. */
export interface EngineSpec {
  socketType: SocketType;
  /** READY's properties (Socket-Type, Identity). */
  ownProperties: Array<[string, Uint8Array]>;
  mechanism: MechanismOptions;
  maxMessageSize: number;
  handshakeInterval: number;
  outBatchSize: number;
  heartbeatInterval: number;
  heartbeatTimeToLive: number;
  heartbeatTimeout: number;
  /** The Worker's own pipe between engine and rings takes the socket's high-water marks. */
  sendHighWaterMark: number;
  receiveHighWaterMark: number;
  conflate: boolean;
  connectTimeout: number;
  keepalive: KeepaliveOptions;
  /** Which I/O threads may take the connection, a bit each (ZMQ_AFFINITY); 0 = any. Read by the pool. */
  affinity: number;
}

export type WorkerCommand =
  | { type: "init"; mainDoorbell: DoorbellAddress; events: SharedArrayBuffer; signaler: "atomics" | "eventfd" }
  | { type: "dial"; id: number; address: StreamAddress; spec: EngineSpec; toWorker: SharedArrayBuffer; fromWorker: SharedArrayBuffer; ringBytes: number }
  /** An accepted connection handed over by descriptor (transport/handoff.ts). */
  | { type: "adopt"; id: number; stream: DetachedStream; spec: EngineSpec; toWorker: SharedArrayBuffer; fromWorker: SharedArrayBuffer; ringBytes: number }
  /** Flush what the rings and the Worker's pipe hold, then FIN (linger is timed on the application thread). */
  /** The application thread's authenticator judged a server mechanism's credentials. */
  | { type: "verdict"; id: number; verdict: Verdict }
  | { type: "end"; id: number }
  | { type: "destroy"; id: number }
  | { type: "stop" };

/** The peer's READY, with its bytes as base64 (the mailbox carries JSON). */
export interface PeerSummary {
  socketType: string;
  routingId: string;
  properties: Array<[string, string]>;
}

/** A server mechanism's credentials, bytes as base64, for the authenticator on the application thread. */
export type CredentialsSummary =
  | { mechanism: "PLAIN"; username: string; password: string; remoteAddress: string }
  | { mechanism: "CURVE"; publicKey: string; remoteAddress: string };

export type WorkerEvent =
  | { type: "connected"; id: number; remoteAddress: string }
  | { type: "authenticate"; id: number; request: CredentialsSummary }
  | { type: "dial-failed"; id: number }
  | { type: "ready"; id: number; peer: PeerSummary }
  | { type: "closed"; id: number; failure: EngineFailure | null };

/** The Worker's first postMessage after init: how to ring it. */
export interface WorkerStarted {
  type: "started";
  doorbell: DoorbellAddress;
}
