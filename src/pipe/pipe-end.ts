// A pipe end: the duplex view one side (a socket, an engine, or an inproc peer) has of a connection.
// Imports only pipe.ts.

import { Pipe } from "./pipe.ts";

/** Facts about the far side, filled in by whoever attaches the end (the session). */
export interface PeerInfo {
  /** Routing id the peer announced (READY `Identity`), or one assigned locally; empty if none. */
  routingId: Uint8Array;
  /** Endpoint or remote address, for events and diagnostics. */
  address: string;
  /**
   * A datagram transport's pipe (udp://): its far end sends no JOIN, so a RADIO sends it every
   * group (libzmq's subscribe_to_all) and the receivers filter.
   */
  allGroups?: boolean;
}

/** A socket's current high-water marks, read live (its option store). */
export interface HighWaterMarks {
  readonly sendHighWaterMark: number;
  readonly receiveHighWaterMark: number;
}

/**
 * `inbound` carries messages towards this side, `outbound` away from it. The two ends of one
 * connection share the same two pipes, crossed over.
 */
export class PipeEnd {
  readonly inbound: Pipe;
  readonly outbound: Pipe;
  readonly peer: PeerInfo;
  /**
   * The far socket's marks when the far side is a socket (inproc), whose queue is this one: libzmq
   * sizes such a pipe by the writer's send mark plus the reader's receive mark (0 if either is 0).
   */
  peerMarks: HighWaterMarks | null = null;

  constructor(inbound: Pipe, outbound: Pipe, peer: PeerInfo) {
    this.inbound = inbound;
    this.outbound = outbound;
    this.peer = peer;
  }

  /** Applies this side's marks (and an inproc peer's) to both pipes. */
  resize(mine: HighWaterMarks): void {
    const peer = this.peerMarks;
    this.outbound.resize(combine(mine.sendHighWaterMark, peer?.receiveHighWaterMark));
    this.inbound.resize(combine(mine.receiveHighWaterMark, peer?.sendHighWaterMark));
  }
}

function combine(own: number, peer: number | undefined): number {
  if (peer === undefined) return own;
  return own <= 0 || peer <= 0 ? 0 : own + peer;
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
