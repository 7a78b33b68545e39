// Push, Pull and Pair: the public classes, thin verbs over the routing cores (RFC 30, RFC 31).
// Send-only sockets have no receive and receive-only ones no send, at runtime too (zeromq.js bug fixed).
// Imports core (the type numbers from which Socket makes each routing core).

import { SocketType } from "../core/socket-type.ts";
import { installTypeOptions } from "./option-access.ts";
import type { SocketOptions } from "./option-types.ts";
import { Socket } from "./socket.ts";
import type { DurableSwapProperties, SwapProperties } from "./swap-options.ts";
import { type Readable, type Writable, installReadable, installWritable } from "./verbs.ts";

/**
 * PUSH (RFC 30): sends only, each message to the next peer in turn that has room (round robin).
 * send() waits while none has: a bound Push with no peer yet, or every queue at
 * `sendHighWaterMark`. A connecting Push queues for its endpoint before the peer is there, unless
 * `immediate` is set.
 */
export class Push extends Socket {
  /** A new Push; `options` sets any of its options (`{ sendHighWaterMark: 100 }`) and its `context`. */
  constructor(options?: SocketOptions<Push>) {
    super(SocketType.Push, options);
  }
}

/** PULL (RFC 30): receives only, fair-queued from every connected Push. */
export class Pull extends Socket {
  /** A new Pull; `options` sets any of its options and its `context`. */
  constructor(options?: SocketOptions<Pull>) {
    super(SocketType.Pull, options);
  }
}

/**
 * PAIR (RFC 31): one peer, both directions. While a peer is attached further peers are ignored;
 * when it leaves, the next one is served. Mostly for inproc:// between two parts of a program.
 */
export class Pair extends Socket {
  /** A new Pair; `options` sets any of its options and its `context`. */
  constructor(options?: SocketOptions<Pair>) {
    super(SocketType.Pair, options);
  }
}

// Push sends and Pull receives, at runtime too; ZMQ_CONFLATE is write-only, as in zeromq.js.
export interface Push extends Writable, SwapProperties, DurableSwapProperties {
  /**
   * Keep only the newest message queued for each connection (whole, multipart included), dropping
   * older ones: for state updates where only the latest matters. Write-only.
   * @defaultValue false
   * @libzmq ZMQ_CONFLATE (54)
   */
  conflate: boolean;
}
export interface Pull extends Readable {
  /**
   * Keep only the newest message received from each connection (whole, multipart included). Write-only.
   * @defaultValue false
   * @libzmq ZMQ_CONFLATE (54)
   */
  conflate: boolean;
}
export interface Pair extends Writable, Readable {}
installWritable(Push.prototype);
installReadable(Pull.prototype);
installWritable(Pair.prototype);
installReadable(Pair.prototype);
installTypeOptions(Push.prototype, SocketType.Push);
installTypeOptions(Pull.prototype, SocketType.Pull);
installTypeOptions(Pair.prototype, SocketType.Pair);
