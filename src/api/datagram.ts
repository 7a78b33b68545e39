// Datagram: the DRAFT class of libzmq's DGRAM socket type, as zeromq.js's `zeromq/draft` has it:
// raw UDP datagrams over udp://, each message [address, body]. Thin verbs over the routing core
// (socket/dgram.ts) and the udp engine. Imports core.

import { SocketType } from "../core/socket-type.ts";
import type { Message, MessageLike } from "./message-like.ts";
import { installTypeOptions } from "./option-access.ts";
import type { SocketOptions } from "./option-types.ts";
import { Socket } from "./socket.ts";
import { type Readable, type Writable, installReadable, installWritable } from "./verbs.ts";

/**
 * DGRAM (libzmq DRAFT): bind it to `udp://*:port` (or an interface's address, or a multicast
 * group) and it receives each datagram as `[sender, body]`, the sender as `"ip:port"`;
 * `send([address, body])` sends `body` as one datagram to the `"ip:port"` in `address`, so an echo
 * is `send(await receive())`. It only binds (connect is ENOCOMPATPROTO, as in libzmq), carries no
 * ZMTP at all, so it talks to any UDP program, and sends bodies of at most 8192 bytes (libzmq's
 * datagram size; larger ones, and addresses that are not `"ip:port"`, are dropped).
 */
export class Datagram extends Socket {
  /** A new Datagram; `options` sets any of its options and its `context`. */
  constructor(options?: SocketOptions<Datagram>) {
    super(SocketType.Datagram, options);
  }
}

export interface Datagram extends Readable<[Message, Message]>, Writable<[MessageLike, MessageLike]> {}
installWritable(Datagram.prototype);
installReadable(Datagram.prototype);
installTypeOptions(Datagram.prototype, SocketType.Datagram);
