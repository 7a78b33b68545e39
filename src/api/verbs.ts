// The public send and receive verbs (zeromq.js's Writable and Readable), written once and installed
// on each class that has them, so send-only sockets have no receive at runtime and vice versa. The
// interfaces also carry the send and receive options, as zeromq.js's do.

import type { MessageLike } from "./message-like.ts";
import type { ReceiveOptionProperties, SendOptionProperties } from "./option-properties.ts";

export interface Writable extends SendOptionProperties {
  /** Resolves once queued (not delivered); waits while the socket cannot queue it. Misuse throws synchronously (EFSM, EBUSY, EBADF). */
  send(message: MessageLike | MessageLike[]): Promise<void>;
  /** bunzmq addition: queues at once and returns true, or returns false where send() would wait. */
  trySend(message: MessageLike | MessageLike[]): boolean;
}

export interface Readable extends ReceiveOptionProperties {
  /** The next message, always as an array of Buffers. */
  receive(): Promise<Buffer[]>;
  /** bunzmq addition: the next message if one is ready, else null. */
  tryReceive(): Buffer[] | null;
  /** bunzmq addition: waits for a message, then returns every ready one, up to `max` (default 1024). */
  receiveBatch(max?: number): Promise<Buffer[][]>;
  /** Iterates messages; ends when the socket closes. */
  [Symbol.asyncIterator](): AsyncGenerator<Buffer[], undefined>;
}

// The protected machinery of Socket that the verbs forward to.
interface Machinery {
  sendMessage(message: MessageLike | MessageLike[]): Promise<void>;
  trySendMessage(message: MessageLike | MessageLike[]): boolean;
  receiveMessage(): Promise<Buffer[]>;
  tryReceiveMessage(): Buffer[] | null;
  receiveMessages(max: number): Promise<Buffer[][]>;
  iterateMessages(): AsyncGenerator<Buffer[], undefined>;
}

const writable = {
  send(this: Machinery, message: MessageLike | MessageLike[]): Promise<void> {
    return this.sendMessage(message);
  },
  trySend(this: Machinery, message: MessageLike | MessageLike[]): boolean {
    return this.trySendMessage(message);
  },
};

const readable = {
  receive(this: Machinery): Promise<Buffer[]> {
    return this.receiveMessage();
  },
  tryReceive(this: Machinery): Buffer[] | null {
    return this.tryReceiveMessage();
  },
  receiveBatch(this: Machinery, max = 1024): Promise<Buffer[][]> {
    return this.receiveMessages(max);
  },
  [Symbol.asyncIterator](this: Machinery): AsyncGenerator<Buffer[], undefined> {
    return this.iterateMessages();
  },
};

/** Adds send/trySend; pair with `export interface X extends Writable {}` for the types. */
export function installWritable(prototype: object): void {
  install(prototype, writable);
}

/** Adds receive/tryReceive/receiveBatch and async iteration; pair with `interface X extends Readable {}`. */
export function installReadable(prototype: object): void {
  install(prototype, readable);
}

function install(prototype: object, verbs: object): void {
  for (const key of Reflect.ownKeys(verbs)) {
    Object.defineProperty(prototype, key, { ...Object.getOwnPropertyDescriptor(verbs, key)!, enumerable: false });
  }
}
