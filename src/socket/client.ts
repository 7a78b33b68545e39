// CLIENT (RFC 41/CLISRV, DRAFT): DEALER for single-part messages; round-robin out, fair-queue in.
// Imports core only.

import type { Message } from "../core/message.ts";
import { SocketType } from "../core/socket-type.ts";
import { DealerSocket } from "./dealer.ts";
import { receiveSinglePart, refuseMultipart } from "./single-part.ts";

export class ClientSocket extends DealerSocket {
  constructor() {
    super(SocketType.Client);
  }

  // RFC 41 CLIENT: SHALL route outgoing messages to available peers using a round-robin strategy;
  // SHALL block on sending, or return a suitable error, when it has no available peers.
  override trySend(message: Message): boolean {
    refuseMultipart(this.type, message);
    return super.trySend(message);
  }

  // RFC 41 CLIENT: SHALL receive incoming messages from its peers using a fair-queuing strategy.
  override tryReceive(): Message | undefined {
    return receiveSinglePart(this.fairQueue);
  }
}
