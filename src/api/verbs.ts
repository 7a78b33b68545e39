// The public send and receive verbs (zeromq.js's Writable and Readable), written once and installed
// on each class that has them, so send-only sockets have no receive at runtime and vice versa. The
// interfaces also carry the send and receive options, as zeromq.js's do. Imports only its siblings
// in api/.

import type { Message, MessageLike } from "./message-like.ts";
import type { ReceiveOptionProperties, SendOptionProperties } from "./option-properties.ts";

/**
 * A socket that sends (zeromq.js's Writable): `M` is what one send takes, `O` any options after it
 * (DRAFT socket types only). Send-only socket types merge only this one.
 */
export interface Writable<M extends MessageLike | MessageLike[] = MessageLike | MessageLike[], O extends [...object[]] = []>
  extends SendOptionProperties {
  /** Resolves once queued (not delivered); waits while the socket cannot queue it. Misuse throws synchronously (EFSM, EBUSY, EBADF). */
  send(message: M, ...options: O): Promise<void>;
  /** bunzmq addition: queues at once and returns true, or returns false where send() would wait. */
  trySend(message: M, ...options: O): boolean;
}

/** A socket that receives (zeromq.js's Readable): `M` is what one receive yields, a frame list. */
export interface Readable<M extends object[] = Message[]> extends ReceiveOptionProperties {
  /** The next message, always as an array of Buffers. */
  receive(): Promise<M>;
  /** bunzmq addition: the next message if one is ready, else null. */
  tryReceive(): M | null;
  /** bunzmq addition: waits for a message, then returns every ready one, up to `max` (default 1024). */
  receiveBatch(max?: number): Promise<M[]>;
  /** Iterates messages; ends when the socket closes. */
  [Symbol.asyncIterator](): AsyncGenerator<M, undefined>;
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
