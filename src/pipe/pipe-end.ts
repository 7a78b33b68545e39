// A pipe end: the duplex view one side (a socket, an engine, or an inproc peer) has of a connection.
// Imports only core and the pipe.

import { Pipe } from "./pipe.ts";

/** Facts about the far side, filled in by whoever attaches the end (the session). */
export interface PeerInfo {
  /** Routing id the peer announced (READY `Identity`), or one assigned locally; empty if none. */
  routingId: Uint8Array;
  /** Endpoint or remote address, for events and diagnostics. */
  address: string;
}

/**
 * `inbound` carries messages towards this side, `outbound` away from it. The two ends of one
 * connection share the same two pipes, crossed over.
 */
export class PipeEnd {
  readonly inbound: Pipe;
  readonly outbound: Pipe;
  readonly peer: PeerInfo;

  constructor(inbound: Pipe, outbound: Pipe, peer: PeerInfo) {
    this.inbound = inbound;
    this.outbound = outbound;
    this.peer = peer;
  }
}

/**
 * Makes the two ends of one connection; with `conflate` each direction keeps only its newest message. `socketSendHwm` bounds what the socket side may queue
 * towards the peer; `socketReceiveHwm` bounds what is queued towards the socket.
 */
export function createPipePair(
  socketSendHwm: number,
  socketReceiveHwm: number,
  peer: PeerInfo,
  conflate = false,
): { socketEnd: PipeEnd; peerEnd: PipeEnd } {
  // libzmq conflates both directions of a connection and ignores the high-water marks then.
  const toPeer = new Pipe(socketSendHwm, conflate);
  const toSocket = new Pipe(socketReceiveHwm, conflate);
  return {
    socketEnd: new PipeEnd(toSocket, toPeer, peer),
    peerEnd: new PipeEnd(toPeer, toSocket, peer),
  };
}
