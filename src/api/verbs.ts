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
  /**
   * Queues a message (an array is one multipart message) and resolves once it is queued, not
   * delivered; while the socket cannot queue it (every peer at `sendHighWaterMark`, or none to send
   * to) it waits. Frames over 128 bytes are queued by reference: do not change them until written.
   * Throws synchronously on misuse: EBUSY while another send() is pending (or a bind() settles, or
   * a Proxy runs on the socket), EBADF after close(), EINVAL for an empty array. Rejects with what the socket refuses, as zeromq.js does: EFSM (a
   * Request sending twice, a Reply answering unasked), EHOSTUNREACH (a `mandatory` Router's or a
   * Stream's unknown peer), EAGAIN after `sendTimeout` or when the socket closes first.
   */
  send(message: M, ...options: O): Promise<void>;
  /**
   * bunzmq addition: queues the message at once and returns true, or returns false where send()
   * would wait. Throws what send() would reject with (EFSM, EHOSTUNREACH), and EBUSY while a send()
   * is pending.
   */
  trySend(message: M, ...options: O): boolean;
}

/** A socket that receives (zeromq.js's Readable): `M` is what one receive yields, a frame list. */
export interface Readable<M extends object[] = Message[]> extends ReceiveOptionProperties {
  /**
   * The next message, as an array of Buffers (one per frame). Throws synchronously EBUSY while
   * another receive is pending and EBADF after close(); rejects with EFSM (a Request that has not
   * sent), and with EAGAIN after `receiveTimeout` or when the socket closes first.
   */
  receive(): Promise<M>;
  /** bunzmq addition: the next message if one is ready, else null; throws as receive() rejects. */
  tryReceive(): M | null;
  /**
   * bunzmq addition: waits as receive() does for one message, then resolves to every message ready
   * by then, up to `max` (default 1024; EINVAL below 1).
   */
  receiveBatch(max?: number): Promise<M[]>;
  /**
   * `for await (const message of socket)`: each message as receive() gives it; the loop ends when
   * the socket is closed, and throws what receive() rejects with otherwise.
   */
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
