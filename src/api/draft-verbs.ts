// The send and receive verbs of the DRAFT socket types (bunzmq/draft), as zeromq.js's draft classes
// have them: one frame per message, and the routing id (SERVER, PEER) or group (RADIO, DISH) beside
// it in an options object instead of in a frame. Installed on each class as verbs.ts installs the
// stable ones. Imports core and its siblings in api/.

import { ZmqError } from "../core/errors.ts";
import { MAX_GROUP_LENGTH } from "../core/group-command.ts";
import type { Message as Frames } from "../core/message.ts";
import { type MessageLike, toMessage } from "./message-like.ts";

/** What the DRAFT verbs use of Socket's protected machinery. */
interface Machinery {
  sendFrames(make: () => Frames): Promise<void>;
  trySendFrames(make: () => Frames): boolean;
  receiveMessage(): Promise<Buffer[]>;
  tryReceiveMessage(): Buffer[] | null;
  receiveMessages(max: number): Promise<Buffer[][]>;
  iterateMessages(): AsyncGenerator<Buffer[], undefined>;
}

/** Turns one send's message and options into the frames the routing core takes. */
export type Encode = (message: MessageLike | MessageLike[], options: unknown) => Frames;
/** Turns the frames the routing core gives into what receive() resolves to. */
export type Decode = (frames: Buffer[] & { routingId?: number }) => unknown[];

/**
 * One frame: these types are single-part, and libzmq refuses a multipart send with EINVAL (the first
 * frame carries ZMQ_SNDMORE). A one-element array is that element, as zeromq.js sends it.
 */
export function singleFrame(message: MessageLike | MessageLike[]): Frames {
  const frames = toMessage(message);
  if (frames.length !== 1) {
    throw new ZmqError("EINVAL", `DRAFT sockets send single-part messages only; send one frame, not ${frames.length}`);
  }
  return frames;
}

const utf8 = new TextEncoder();

/**
 * A group as libzmq takes it: a C string, so the bytes up to the first NUL (zeromq.js passes them
 * so). zmq_join and zmq_leave refuse more than 255 bytes with EINVAL; zmq_msg_set_group, which a
 * Radio's send goes through, keeps the first 255 (it measures with strnlen), so `truncate` does.
 */
export function groupBytes(value: unknown, truncate = false): Uint8Array {
  let bytes: Uint8Array;
  if (typeof value === "string") bytes = utf8.encode(value);
  else if (value instanceof Uint8Array) bytes = value;
  else throw new TypeError("Group must be a string or buffer");
  const nul = bytes.indexOf(0);
  if (nul >= 0) bytes = bytes.subarray(0, nul);
  if (truncate) bytes = bytes.subarray(0, MAX_GROUP_LENGTH);
  if (bytes.length > MAX_GROUP_LENGTH) {
    throw new ZmqError("EINVAL", `A group is at most ${MAX_GROUP_LENGTH} bytes (got ${bytes.length}); use a shorter one`);
  }
  return Buffer.from(bytes);
}

/** Adds send/trySend that shape each message with `encode`. */
export function installDraftWritable(prototype: object, encode: Encode): void {
  install(prototype, {
    send(this: Machinery, message: MessageLike | MessageLike[], options?: unknown): Promise<void> {
      return this.sendFrames(() => encode(message, options));
    },
    trySend(this: Machinery, message: MessageLike | MessageLike[], options?: unknown): boolean {
      return this.trySendFrames(() => encode(message, options));
    },
  });
}

/** Adds receive/tryReceive/receiveBatch and async iteration, each message shaped by `decode`. */
export function installDraftReadable(prototype: object, decode: Decode): void {
  install(prototype, {
    // Not async: EBUSY and EBADF must throw synchronously, as in receive() of the stable types.
    receive(this: Machinery): Promise<unknown[]> {
      return this.receiveMessage().then(decode);
    },
    tryReceive(this: Machinery): unknown[] | null {
      const frames = this.tryReceiveMessage();
      return frames === null ? null : decode(frames);
    },
    receiveBatch(this: Machinery, max = 1024): Promise<unknown[][]> {
      return this.receiveMessages(max).then((messages) => messages.map(decode));
    },
    async *[Symbol.asyncIterator](this: Machinery): AsyncGenerator<unknown[], undefined> {
      for await (const frames of this.iterateMessages()) yield decode(frames);
      return undefined;
    },
  });
}

function install(prototype: object, verbs: object): void {
  for (const key of Reflect.ownKeys(verbs)) {
    Object.defineProperty(prototype, key, { ...Object.getOwnPropertyDescriptor(verbs, key)!, enumerable: false });
  }
}
