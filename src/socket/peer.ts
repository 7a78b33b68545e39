// PEER (libzmq 4.3.5 DRAFT): a SERVER that also connects to other PEERs and names each connection
// at once, so either side may speak first. Imports core and server.ts.

import { SocketType } from "../core/socket-type.ts";
import { ServerSocket } from "./server.ts";

/**
 * Routing, sending and receiving are SERVER's (libzmq's peer_t derives from server_t); only the
 * socket type differs, and `lastAttachedId` serves `connectPeer`, which libzmq answers with the
 * routing id of the pipe its connect just made.
 */
export class PeerSocket extends ServerSocket {
  constructor(firstId?: number) {
    super(SocketType.Peer, firstId);
  }
}
