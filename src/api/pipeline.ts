// Push, Pull and Pair: the public classes, thin verbs over the routing cores (RFC 30, RFC 31).
// Send-only sockets have no receive and receive-only ones no send, at runtime too (zeromq.js bug fixed).

import type { MessageLike } from "./message-like.ts";
import { PairSocket } from "../socket/pair.ts";
import { PullSocket } from "../socket/pull.ts";
import { PushSocket } from "../socket/push.ts";
import { installConflateProperty } from "./socket-options.ts";
import { Socket, type SocketInit } from "./socket.ts";

export class Push extends Socket {
  constructor(options?: SocketInit) {
    super(new PushSocket(), options);
  }

  /** Resolves once queued (not delivered); waits while every peer is at the high-water mark. */
  send(message: MessageLike | MessageLike[]): Promise<void> {
    return this.sendMessage(message);
  }

  /** bunzmq addition: queues at once and returns true, or returns false at the high-water mark. */
  trySend(message: MessageLike | MessageLike[]): boolean {
    return this.trySendMessage(message);
  }
}

export class Pull extends Socket {
  constructor(options?: SocketInit) {
    super(new PullSocket(), options);
  }

  /** The next message, always as an array of Buffers. */
  receive(): Promise<Buffer[]> {
    return this.receiveMessage();
  }

  /** bunzmq addition: the next message if one is ready, else null. */
  tryReceive(): Buffer[] | null {
    return this.tryReceiveMessage();
  }

  /** bunzmq addition: waits for a message, then returns all that are ready, up to `max`. */
  receiveBatch(max = 1024): Promise<Buffer[][]> {
    return this.receiveMessages(max);
  }

  [Symbol.asyncIterator](): AsyncGenerator<Buffer[], undefined> {
    return this.iterateMessages();
  }
}

export class Pair extends Socket {
  constructor(options?: SocketInit) {
    super(new PairSocket(), options);
  }

  send(message: MessageLike | MessageLike[]): Promise<void> {
    return this.sendMessage(message);
  }

  trySend(message: MessageLike | MessageLike[]): boolean {
    return this.trySendMessage(message);
  }

  receive(): Promise<Buffer[]> {
    return this.receiveMessage();
  }

  tryReceive(): Buffer[] | null {
    return this.tryReceiveMessage();
  }

  receiveBatch(max = 1024): Promise<Buffer[][]> {
    return this.receiveMessages(max);
  }

  [Symbol.asyncIterator](): AsyncGenerator<Buffer[], undefined> {
    return this.iterateMessages();
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
