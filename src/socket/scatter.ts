// SCATTER (RFC 49/SCATTER-GATHER, DRAFT): PUSH for single-part messages; round-robin out, never
// receives, and what a GATHER peer sends (it should send nothing) is discarded, as PUSH does.
// Imports core only.

import type { Message } from "../core/message.ts";
import { SocketType } from "../core/socket-type.ts";
import { PushSocket } from "./push.ts";
import { refuseMultipart } from "./single-part.ts";

export class ScatterSocket extends PushSocket {
  constructor() {
    super(SocketType.Scatter);
  }

  // RFC 49 SCATTER: SHALL route outgoing messages to available peers using a round-robin strategy;
  // SHALL block on sending when it has no available peers (libzmq's lb, as PUSH).
  override trySend(message: Message): boolean {
    refuseMultipart(this.type, message);
    return super.trySend(message);
  }
}
