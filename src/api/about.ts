// What this build emulates and offers, as zeromq.js reports it. Imports nothing.

/** The libzmq level whose wire behaviour bunzmq matches (zeromq.js reports libzmq's version here). */
export const version: string = "4.3.4";

/** What `capability` says: each transport or feature, true when this build has it. */
export interface Capability {
  /** ipc:// (Unix domain sockets): true. */
  readonly ipc: boolean;
  /** inproc:// (within a process): true. */
  readonly inproc: boolean;
  /** Multicast (zmq_has("pgm")): true, for epgm://, PGM over UDP; raw pgm:// is not available (docs/pgm.md). */
  readonly pgm: boolean;
  /** tipc://: false. */
  readonly tipc: boolean;
  /** norm://: false. */
  readonly norm: boolean;
  /** The CURVE security mechanism: true. */
  readonly curve: boolean;
  /** The GSSAPI security mechanism: false (its options do not exist). */
  readonly gssapi: boolean;
  /** The DRAFT socket types in bunzmq/draft (Server, Client, Radio, Dish, Gather, Scatter, Datagram, Peer, Channel): true. */
  readonly draft: boolean;
  /** ws:// and wss:// (ZWS 2.0, as libzmq's DRAFT build speaks it): true. A bunzmq addition; zeromq.js has no such key. */
  readonly ws: boolean;
}

/** Transports and features available; honest about what is not there yet. */
export const capability: Capability = {
  ipc: true,
  inproc: true,
  pgm: true,
  tipc: false,
  norm: false,
  curve: true,
  gssapi: false,
  draft: true,
  ws: true,
};
