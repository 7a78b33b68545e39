// The Paranoid Pirate Protocol's commands and timing (RFC 6/PPP, rfc.zeromq.org/spec/6): a worker
// opens with READY, each side sends HEARTBEAT at a regular interval, and a peer is taken for gone
// when no message at all has come from it for LIVENESS intervals. REQUEST and REPLY are the
// application's frames behind an address stack and an empty delimiter.

/** READY: a 1-part message, the single byte 0x01. The first message of every worker conversation. */
export const READY = Uint8Array.of(0x01);

/** HEARTBEAT: a 1-part message, the single byte 0x02. */
export const HEARTBEAT = Uint8Array.of(0x02);

/** Intervals without any message after which the peer is taken for gone (RFC 6 suggests 3 to 5). */
export const LIVENESS = 3;

/** Whether `frames` is exactly the one-byte command `command`. */
export function isCommand(frames: readonly Uint8Array[], command: Uint8Array): boolean {
  return frames.length === 1 && frames[0]!.length === 1 && frames[0]![0] === command[0];
}

/**
 * A REQUEST split into its address stack (every frame up to and including the empty delimiter: the
 * client's routing id, and whatever its socket put there, such as a `correlate` request id) and its
 * content. A REPLY is the same stack followed by the answer.
 */
export function splitEnvelope(frames: readonly Buffer[]): { envelope: Buffer[]; content: Buffer[] } {
  const delimiter = frames.findIndex((frame) => frame.length === 0);
  return { envelope: frames.slice(0, delimiter + 1), content: frames.slice(delimiter + 1) };
}

export interface Timing {
  /** ms between heartbeats, each way. */
  heartbeatMs: number;
  /** A worker that loses the queue waits this long before reconnecting, doubling up to 32 times it. */
  reconnectMs: number;
}

/** A promise that resolves after `ms`: the protocol's own pauses (back-off), not synchronisation. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
