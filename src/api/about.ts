// What this build emulates and offers, as zeromq.js reports it. Imports nothing.

/** The libzmq level whose wire behaviour bunzmq matches (zeromq.js reports libzmq's version here). */
export const version = "4.3.4";

/** Transports and features available; honest about what is not there yet. */
export const capability = {
  ipc: true,
  inproc: true,
  pgm: false,
  tipc: false,
  norm: false,
  curve: true,
  gssapi: false,
  draft: false,
} as const;
