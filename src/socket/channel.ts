// CHANNEL (libzmq 4.3.5 DRAFT): PAIR for single-part messages; one peer, both directions.
// Imports core and pair.ts.

import type { Message } from "../core/message.ts";
import { SocketType } from "../core/socket-type.ts";
import { PairSocket } from "./pair.ts";
import { refuseMultipart } from "./single-part.ts";

/**
 * libzmq's channel_t is pair_t with the single-part rule: a multipart send is EINVAL and a
 * multipart message from the peer is dropped whole. The peer bookkeeping is PAIR's.
 */
export class ChannelSocket extends PairSocket {
  constructor() {
    super(SocketType.Channel);
  }

  override trySend(message: Message): boolean {
    refuseMultipart(this.type, message);
    return super.trySend(message);
  }

  override tryReceive(): Message | undefined {
    for (let message = super.tryReceive(); message !== undefined; message = super.tryReceive()) {
      if (message.length === 1) return message;
    }
    return undefined;
  }
}
