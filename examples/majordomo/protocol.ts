// The Majordomo Protocol, version 0.2 (RFC 18/MDP, rfc.zeromq.org/spec/18): service-oriented
// request-reply through a broker. Every command starts with a protocol header frame and a command
// byte, so a peer can tell a client's message from a worker's and check each one; MDP/0.2 has no
// empty frames at the start of commands, and lets a worker answer one request with any number of
// PARTIAL replies and then one FINAL.
//
//   MDP/Client   C: REQUEST  ["MDPC02", 0x01, service, body...]
//                B: PARTIAL  ["MDPC02", 0x02, service, body...]   (zero or more)
//                B: FINAL    ["MDPC02", 0x03, service, body...]
//   MDP/Worker   W: READY    ["MDPW02", 0x01, service]
//                B: REQUEST  ["MDPW02", 0x02, client, "", body...]
//                W: PARTIAL  ["MDPW02", 0x03, client, "", body...]
//                W: FINAL    ["MDPW02", 0x04, client, "", body...]
//                either: HEARTBEAT ["MDPW02", 0x05], DISCONNECT ["MDPW02", 0x06]
//
// The broker's Router adds (and strips) the sender's routing id in front of all of this.

/** MDP/Client v0.2's header frame. */
export const CLIENT = "MDPC02";
/** MDP/Worker v0.2's header frame. */
export const WORKER = "MDPW02";

/** Command bytes of MDP/Client. */
export const CLIENT_COMMANDS = { REQUEST: 0x01, PARTIAL: 0x02, FINAL: 0x03 } as const;

/** Command bytes of MDP/Worker. */
export const WORKER_COMMANDS = { READY: 0x01, REQUEST: 0x02, PARTIAL: 0x03, FINAL: 0x04, HEARTBEAT: 0x05, DISCONNECT: 0x06 } as const;

/** A command byte as the one-byte frame it travels in. */
export function command(byte: number): Uint8Array {
  return Uint8Array.of(byte);
}

/** The header and command byte of a received message, or null when it does not start like MDP. */
export function parseCommand(frames: readonly Buffer[]): { header: string; command: number; rest: Buffer[] } | null {
  const [header, byte, ...rest] = frames;
  if (header === undefined || byte === undefined || byte.length !== 1) return null;
  const text = header.toString();
  if (text !== CLIENT && text !== WORKER) return null;
  return { header: text, command: byte[0]!, rest };
}

/** Heartbeat timing, the same for broker and workers (RFC 18 warns that they must agree). */
export interface Timing {
  /** ms between heartbeats. */
  heartbeatMs: number;
  /** Heartbeats missed before the peer is taken for disconnected (RFC 18: usually 3 to 5). */
  liveness: number;
}
