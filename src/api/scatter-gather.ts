// Scatter, Gather and Channel: the DRAFT classes of RFC 49 (SCATTER/GATHER) and libzmq 4.3.5's
// CHANNEL, the single-part PUSH, PULL and PAIR; thin verbs over the routing cores
// (socket/scatter.ts, gather.ts, channel.ts). Imports core.

import { SocketType } from "../core/socket-type.ts";
import { installDraftReadable, installDraftWritable, singleFrame } from "./draft-verbs.ts";
import type { Message, MessageLike } from "./message-like.ts";
import { installTypeOptions } from "./option-access.ts";
import type { SocketOptions } from "./option-types.ts";
import type { DurableSwapProperties, SwapProperties } from "./swap-options.ts";
import { Socket } from "./socket.ts";
import type { Readable, Writable } from "./verbs.ts";

/**
 * SCATTER (RFC 49, DRAFT): sends only, each message to the next Gather in turn that has room; send()
 * waits while none has. Single-part messages only (EINVAL for more frames).
 */
export class Scatter extends Socket {
  /** A new Scatter; `options` sets any of its options and its `context`. */
  constructor(options?: SocketOptions<Scatter>) {
    super(SocketType.Scatter, options);
  }
}

/** GATHER (RFC 49, DRAFT): receives only, fairly from every Scatter; `receive()` resolves `[message]`. */
export class Gather extends Socket {
  /** A new Gather; `options` sets any of its options and its `context`. */
  constructor(options?: SocketOptions<Gather>) {
    super(SocketType.Gather, options);
  }
}

/**
 * CHANNEL (libzmq 4.3.5 DRAFT): a Pair for single-part messages: one peer, both directions;
 * `receive()` resolves `[message]`. Not in zeromq.js.
 */
export class Channel extends Socket {
  /** A new Channel; `options` sets any of its options and its `context`. */
  constructor(options?: SocketOptions<Channel>) {
    super(SocketType.Channel, options);
  }
}

function decodeSingle(frames: Buffer[]): [Buffer] {
  return [frames[0]!];
}

export interface Scatter extends Writable<MessageLike>, SwapProperties, DurableSwapProperties {
  /**
   * Accepted as zeromq.js declares it, and as in libzmq 4.3.5 without effect on this type (libzmq
   * conflates only DEALER, PULL, PUSH, PUB and SUB pipes). Write-only.
   * @defaultValue false
   * @libzmq ZMQ_CONFLATE (54)
   */
  conflate: boolean;
}
export interface Gather extends Readable<[Message]> {
  /**
   * Accepted as zeromq.js declares it, and as in libzmq 4.3.5 without effect on this type (libzmq
   * conflates only DEALER, PULL, PUSH, PUB and SUB pipes). Write-only.
   * @defaultValue false
   * @libzmq ZMQ_CONFLATE (54)
   */
  conflate: boolean;
}
export interface Channel extends Readable<[Message]>, Writable<MessageLike> {}
installDraftWritable(Scatter.prototype, singleFrame);
installDraftReadable(Gather.prototype, decodeSingle);
installDraftWritable(Channel.prototype, singleFrame);
installDraftReadable(Channel.prototype, decodeSingle);
installTypeOptions(Scatter.prototype, SocketType.Scatter);
installTypeOptions(Gather.prototype, SocketType.Gather);
installTypeOptions(Channel.prototype, SocketType.Channel);
