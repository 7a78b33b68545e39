// GATHER (RFC 49/SCATTER-GATHER, DRAFT): PULL for single-part messages; fair-queue in, never sends.
// Imports core only.

import type { Message } from "../core/message.ts";
import { SocketType } from "../core/socket-type.ts";
import { PullSocket } from "./pull.ts";
import { receiveSinglePart } from "./single-part.ts";

export class GatherSocket extends PullSocket {
  constructor() {
    super(SocketType.Gather);
  }

  // RFC 49 GATHER: SHALL receive incoming messages from its peers using a fair-queuing strategy;
  // a multipart message is dropped whole, as libzmq's gather_t does.
  override tryReceive(): Message | undefined {
    return receiveSinglePart(this.fairQueue);
  }
}
