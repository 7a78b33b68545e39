// The single-part rule of the DRAFT socket types (CLIENT, SERVER, RADIO, DISH, GATHER, SCATTER, PEER,
// CHANNEL): a multipart send is refused, and a multipart message from a peer is dropped whole, as
// libzmq's thread-safe sockets do. Imports routing and core only.

import { ZmqError } from "../core/errors.ts";
import type { Message } from "../core/message.ts";
import { SOCKET_TYPE_NAMES, type SocketType } from "../core/socket-type.ts";
import type { FairQueue } from "../routing/fair-queue.ts";

/**
 * libzmq's xsend on these types fails with EINVAL when the message has more than one frame (the
 * first frame carries ZMQ_SNDMORE); nothing is queued.
 */
export function refuseMultipart(type: SocketType, message: Message, frames = 1): void {
  if (message.length === frames) return;
  throw new ZmqError(
    "EINVAL",
    `${SOCKET_TYPE_NAMES[type]} sockets send single-part messages only; send one frame (got ${message.length - frames + 1})`,
  );
}

/**
 * The next single-part message of `fairQueue`, skipping (and so dropping) every multipart one, as
 * libzmq's client_t, server_t and gather_t xrecv do. `frames` is how many frames a well-formed
 * message has (RADIO's data carries its group first: 2).
 */
export function receiveSinglePart(fairQueue: FairQueue, frames = 1): Message | undefined {
  for (let message = fairQueue.receive(); message !== undefined; message = fairQueue.receive()) {
    if (message.length === frames) return message;
  }
  return undefined;
}
