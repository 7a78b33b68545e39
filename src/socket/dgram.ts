// DGRAM (libzmq 4.3.5 DRAFT): raw UDP datagrams over udp:// only; every message is two frames,
// the peer's "ip:port" and the body. Imports core and pair.ts.

import { ZmqError } from "../core/errors.ts";
import type { Message } from "../core/message.ts";
import { SocketType } from "../core/socket-type.ts";
import { PairSocket } from "./pair.ts";

/**
 * libzmq's dgram_t keeps one pipe (its first bind) and terminates later ones; PAIR's bookkeeping
 * does the same while that pipe lives. A send is `[address, body]`: libzmq's xsend refuses a first
 * part without MORE and a second part with it (EINVAL), so any other frame count is EINVAL here.
 * What is received is `[sender, body]`, as the udp engine writes it.
 */
export class DgramSocket extends PairSocket {
  constructor() {
    super(SocketType.Datagram);
  }

  override trySend(message: Message): boolean {
    if (message.length !== 2) {
      throw new ZmqError(
        "EINVAL",
        `DGRAM messages are two frames, [address, body] with the address as "ip:port"; send two, not ${message.length}`,
      );
    }
    return super.trySend(message);
  }
}
