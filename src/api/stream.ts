// Stream: the zeromq.js v6 class for ZMQ_STREAM, raw TCP peers addressed by routing id. Thin verbs
// over the routing core (socket/stream.ts), whose connections run the raw engine (engine-config.ts).
// Imports core.

import { SocketType } from "../core/socket-type.ts";
import type { Message, MessageLike } from "./message-like.ts";
import { installTypeOptions } from "./option-access.ts";
import type { SocketOptions } from "./option-types.ts";
import { Socket } from "./socket.ts";
import { validateRoutingId } from "./type-option-table.ts";
import { type Readable, type Writable, installReadable, installWritable } from "./verbs.ts";

/** The second argument of `Stream.connect()`. */
export interface StreamConnectOptions {
  /** ZMQ_CONNECT_ROUTING_ID: the routing id this connection's messages carry, instead of an automatic one. */
  routingId?: string;
}

/**
 * STREAM: raw TCP peers (no ZMTP), addressed by routing id. Messages are `[routingId, data]` both ways. Receiving yields each chunk of bytes as TCP delivered
 * it (no message boundaries), and with `notify` an empty `data` when a peer connects and when it
 * leaves. Sending writes `data` raw to that peer; an empty `data` closes that peer's connection.
 */
export class Stream extends Socket {
  /** A new Stream; `options` sets any of its options and its `context`. */
  constructor(options?: SocketOptions<Stream>) {
    super(SocketType.Stream, options);
  }

  /** Each connection made by this call carries `routingId` (if given) instead of an automatic id. */
  override connect(address: string, options: StreamConnectOptions = {}): void {
    const routingId = options.routingId === undefined ? null : validateRoutingId(options.routingId);
    this.connectWith(address, routingId);
  }
}

// The shared verbs; the [routingId, data] shape is the Writable's and Readable's type here, and the
// STREAM core checks it at run time (EINVAL for another number of frames).
export interface Stream extends Readable<[Message, Message]>, Writable<[MessageLike, MessageLike]> {
  /**
   * Receive an empty `data` when a peer connects and when it leaves. Write-only; applies to
   * connections made afterwards.
   * @defaultValue true
   * @libzmq ZMQ_STREAM_NOTIFY (73)
   */
  notify: boolean;
}
installReadable(Stream.prototype);
installWritable(Stream.prototype);
installTypeOptions(Stream.prototype, SocketType.Stream);
