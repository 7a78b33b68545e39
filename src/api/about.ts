// What this build emulates and offers, as zeromq.js reports it. Imports nothing.

/** The libzmq level whose wire behaviour bunzmq matches (zeromq.js reports libzmq's version here). */
export const version: string = "4.3.4";

/** What `capability` says: each transport or feature, true when this build has it. */
export interface Capability {
  readonly ipc: boolean;
  readonly inproc: boolean;
  readonly pgm: boolean;
  readonly tipc: boolean;
  readonly norm: boolean;
  readonly curve: boolean;
  readonly gssapi: boolean;
  readonly draft: boolean;
}

/** Transports and features available; honest about what is not there yet. */
export const capability: Capability = {
  ipc: true,
  inproc: true,
  pgm: false,
  tipc: false,
  norm: false,
  curve: true,
  gssapi: false,
  // DRAFT socket types (Server, Client, Radio, Dish, Gather, Scatter, Datagram) arrive with issue #16.
  draft: false,
};
