// PUB (RFC 29/PUBSUB): distributes messages to matching subscribers; never receives.
// Imports only core and xpub.ts. The subscription table and sending are XPUB's (as in libzmq,
// where pub_t derives from xpub_t); PUB reads subscriptions but hands nothing to the app.

import { SocketType } from "../core/socket-type.ts";
import { XPubSocket } from "./xpub.ts";

export class PubSocket extends XPubSocket {
  constructor() {
    super(SocketType.Publisher);
  }

  // RFC 29 PUB: the application cannot receive from a publisher.
  override tryReceive(): never {
    return this.cannotReceive();
  }

  override get readable(): boolean {
    return false;
  }
}
