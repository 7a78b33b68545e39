// Push, Pull and Pair: the public classes, thin verbs over the routing cores (RFC 30, RFC 31).
// Send-only sockets have no receive and receive-only ones no send, at runtime too (zeromq.js bug fixed).
// Imports socket (the cores).

import { PairSocket } from "../socket/pair.ts";
import { PullSocket } from "../socket/pull.ts";
import { PushSocket } from "../socket/push.ts";
import { installConflateProperty } from "./socket-options.ts";
import type { SocketOptions } from "./option-types.ts";
import { Socket } from "./socket.ts";
import { type Readable, type Writable, installReadable, installWritable } from "./verbs.ts";

export class Push extends Socket {
  constructor(options?: SocketOptions<Push>) {
    super(new PushSocket(), options);
  }


}

export class Pull extends Socket {
  constructor(options?: SocketOptions<Pull>) {
    super(new PullSocket(), options);
  }




}

export class Pair extends Socket {
  constructor(options?: SocketOptions<Pair>) {
    super(new PairSocket(), options);
  }






}

// ZMQ_CONFLATE: each connection keeps only its newest message (whole, multipart included).
export interface Push {
  conflate: boolean;
}
export interface Pull {
  conflate: boolean;
}
installConflateProperty(Push.prototype);
installConflateProperty(Pull.prototype);

export interface Push extends Writable {}
export interface Pull extends Readable {}
export interface Pair extends Writable, Readable {}
installWritable(Push.prototype);
installReadable(Pull.prototype);
installWritable(Pair.prototype);
installReadable(Pair.prototype);
