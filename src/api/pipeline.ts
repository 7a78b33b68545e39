// Push, Pull and Pair: the public classes, thin verbs over the routing cores (RFC 30, RFC 31).
// Send-only sockets have no receive and receive-only ones no send, at runtime too (zeromq.js bug fixed).
// Imports core (the type numbers from which Socket makes each routing core).

import { SocketType } from "../core/socket-type.ts";
import { installTypeOptions } from "./option-access.ts";
import type { SocketOptions } from "./option-types.ts";
import { Socket } from "./socket.ts";
import { type Readable, type Writable, installReadable, installWritable } from "./verbs.ts";

export class Push extends Socket {
  constructor(options?: SocketOptions<Push>) {
    super(SocketType.Push, options);
  }
}

export class Pull extends Socket {
  constructor(options?: SocketOptions<Pull>) {
    super(SocketType.Pull, options);
  }
}

export class Pair extends Socket {
  constructor(options?: SocketOptions<Pair>) {
    super(SocketType.Pair, options);
  }
}

// ZMQ_CONFLATE (write-only, as in zeromq.js): each connection keeps only its newest message (whole,
// multipart included).
export interface Push extends Writable {
  conflate: boolean;
}
export interface Pull extends Readable {
  conflate: boolean;
}
export interface Pair extends Writable, Readable {}
installWritable(Push.prototype);
installReadable(Pull.prototype);
installWritable(Pair.prototype);
installReadable(Pair.prototype);
installTypeOptions(Push.prototype, SocketType.Push);
installTypeOptions(Pull.prototype, SocketType.Pull);
installTypeOptions(Pair.prototype, SocketType.Pair);
