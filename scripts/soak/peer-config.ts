// What a soak peer is told (PeerConfig), what it reports (PeerStats), the line protocol between a
// peer process and the soak (peer-fixture.ts prints, peer-process.ts reads), and the peers a run
// has. Imports nothing.

export type TransportName = "tcp" | "ipc" | "inproc";

/** Z85 keys of a CURVE client of the hub, and the server's own pair (for the peer's REP). */
export interface CurveConfig {
  serverPublicKey: string;
  serverSecretKey: string;
  clientPublicKey: string;
  clientSecretKey: string;
}

/** The hub's endpoints a peer connects to, for its transport and mechanism. */
export interface HubEndpoints {
  pull: string;
  router: string;
  pub: string;
}

export interface PeerConfig {
  /** e.g. "tcp+curve": its transport, and "+curve" when its connections are encrypted. */
  name: string;
  /** Counts the peer's restarts; names its streams ("tcp+curve#3"), so each life is checked apart. */
  instance: number;
  transport: TransportName;
  curve: CurveConfig | null;
  hub: HubEndpoints;
  /** Where the peer's REP binds: a fixed ipc path or inproc name, or tcp's port 0 (a new port each life). */
  repEndpoint: string;
  topics: string[];
}

/** Cumulative counts of one peer life, as the peer sees them. */
export interface PeerStats {
  pushed: number;
  /** DEALER→ROUTER round trips completed. */
  echoed: number;
  /** PUB→SUB messages received. */
  published: number;
  /** Requests its REP answered. */
  served: number;
  /** Subscription changes made (each an unsubscribe and a subscribe). */
  resubscribed: number;
  /** The first violations in full (a peer keeps at most 20) ... */
  violations: string[];
  /** ... and how many there were in all. */
  violationCount: number;
}

export const emptyStats = (): PeerStats => ({
  pushed: 0,
  echoed: 0,
  published: 0,
  served: 0,
  resubscribed: 0,
  violations: [],
  violationCount: 0,
});

/** Printed once by a peer process, when its sockets are open: where its REP listens. */
export const READY = "READY ";
/** Printed every second by a peer process: its PeerStats as JSON. */
export const STATS = "STATS ";

/** A peer's transport and mechanism: the four process peers and the in-process one. */
export interface PeerKind {
  name: string;
  transport: TransportName;
  curve: boolean;
}

export const PEER_KINDS: readonly PeerKind[] = [
  { name: "tcp", transport: "tcp", curve: false },
  { name: "tcp+curve", transport: "tcp", curve: true },
  { name: "ipc", transport: "ipc", curve: false },
  { name: "ipc+curve", transport: "ipc", curve: true },
  // inproc carries no mechanism (libzmq runs no handshake over it), so it has no CURVE variant.
  { name: "inproc", transport: "inproc", curve: false },
];

/** The PUB topics; a subscriber holds three at a time and rotates through them. */
export const TOPICS: readonly string[] = Array.from({ length: 8 }, (_, i) => `topic-${i}`);
