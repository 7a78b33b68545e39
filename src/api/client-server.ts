// Server, Client and Peer: the DRAFT classes of RFC 41 (CLIENT/SERVER) and libzmq 4.3.5's PEER, thin
// verbs over the routing cores (socket/server.ts, client.ts, peer.ts). Imports core and socket (the
// Peer core's type).

import { ZmqError } from "../core/errors.ts";
import type { Message as Frames } from "../core/message.ts";
import { SocketType } from "../core/socket-type.ts";
import type { PeerSocket } from "../socket/peer.ts";
import { installDraftReadable, installDraftWritable, singleFrame } from "./draft-verbs.ts";
import type { Message, MessageLike } from "./message-like.ts";
import { installTypeOptions } from "./option-access.ts";
import type { SocketOptions } from "./option-types.ts";
import type { DurableSwapProperties, SwapProperties } from "./swap-options.ts";
import { Socket } from "./socket.ts";
import type { Readable, Writable } from "./verbs.ts";

/** Where a Server's (or Peer's) message came from, or where it goes: the peer's routing id. */
export interface ServerRoutingOptions {
  /** The 32-bit id the Server gave the peer (never 0); it is never sent on the wire. */
  routingId: number;
}

/**
 * SERVER (RFC 41, DRAFT): talks to many Clients. `receive()` resolves `[message, { routingId }]`;
 * `send(message, { routingId })` answers that Client, and rejects with EHOSTUNREACH when no peer
 * has that id (it left, or never was). A peer whose queue is at `sendHighWaterMark` makes send()
 * wait. Messages are single-part: an array of more than one frame is EINVAL, and a multipart
 * message from a peer is dropped.
 */
export class Server extends Socket {
  /** A new Server; `options` sets any of its options and its `context`. */
  constructor(options?: SocketOptions<Server>) {
    super(SocketType.Server, options);
  }
}

/**
 * CLIENT (RFC 41, DRAFT): sends to its Servers in turn (round robin) and receives from them fairly;
 * single-part messages only. send() waits while no Server has room.
 */
export class Client extends Socket {
  /** A new Client; `options` sets any of its options and its `context`. */
  constructor(options?: SocketOptions<Client>) {
    super(SocketType.Client, options);
  }
}

/**
 * PEER (libzmq 4.3.5 DRAFT): a Server that also connects to other Peers. `connectPeer(endpoint)`
 * connects and returns the routing id of that new connection at once, so either side may speak
 * first; messages from a peer carry the same id. Not in zeromq.js.
 */
export class Peer extends Socket {
  /** A new Peer; `options` sets any of its options and its `context`. */
  constructor(options?: SocketOptions<Peer>) {
    super(SocketType.Peer, options);
  }

  /**
   * zmq_connect_peer: connects to `address` and returns the routing id to send to it with. With
   * `immediate` set there is no connection to name yet, so it throws EFAULT, as libzmq fails.
   */
  connectPeer(address: string): number {
    if (this.immediate) {
      throw new ZmqError("EFAULT", "connectPeer() needs a connection to name at once; unset `immediate`", address, {
        message: "Bad address",
      });
    }
    this.connect(address);
    return (this.core as PeerSocket).lastAttachedId;
  }
}

function encodeRouted(message: MessageLike | MessageLike[], options: unknown): Frames {
  const frames = singleFrame(message);
  const routingId = (options as Partial<ServerRoutingOptions> | undefined)?.routingId;
  if (typeof routingId === "number") frames.routingId = routingId;
  return frames;
}

function decodeRouted(frames: Buffer[] & { routingId?: number }): [Buffer, ServerRoutingOptions] {
  return [frames[0]!, { routingId: frames.routingId ?? 0 }];
}

function decodeSingle(frames: Buffer[]): [Buffer] {
  return [frames[0]!];
}

export interface Server extends Readable<[Message, ServerRoutingOptions]>, Writable<MessageLike, [ServerRoutingOptions]>, SwapProperties {}
export interface Client extends Readable<[Message]>, Writable<MessageLike>, SwapProperties, DurableSwapProperties {}
export interface Peer extends Readable<[Message, ServerRoutingOptions]>, Writable<MessageLike, [ServerRoutingOptions]>, SwapProperties {}
installDraftWritable(Server.prototype, encodeRouted);
installDraftReadable(Server.prototype, decodeRouted);
installDraftWritable(Client.prototype, singleFrame);
installDraftReadable(Client.prototype, decodeSingle);
installDraftWritable(Peer.prototype, encodeRouted);
installDraftReadable(Peer.prototype, decodeRouted);
installTypeOptions(Server.prototype, SocketType.Server);
installTypeOptions(Client.prototype, SocketType.Client);
installTypeOptions(Peer.prototype, SocketType.Peer);
