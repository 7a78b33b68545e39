// zeromq.js's MessageLike inputs turned into frames, and frames into the Buffers receive() returns.
// Imports only core. Views are kept, not copied: a sent buffer must not be changed until written.

import { ZmqError } from "../core/errors.ts";
import type { Frame, Message } from "../core/message.ts";

export type MessageLike = ArrayBufferView | ArrayBuffer | SharedArrayBuffer | string | number | null;

const EMPTY = new Uint8Array(0);

export function toFrame(part: MessageLike): Frame {
  if (part instanceof Uint8Array) return part;
  if (typeof part === "string") return Buffer.from(part, "utf8");
  if (part === null) return EMPTY;
  if (ArrayBuffer.isView(part)) return new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
  if (part instanceof ArrayBuffer || part instanceof SharedArrayBuffer) return new Uint8Array(part);
  // zeromq.js stringifies numbers.
  if (typeof part === "number") return Buffer.from(String(part), "utf8");
  throw new ZmqError("EINVAL", `Cannot send a ${typeof part}: use a string, Buffer, TypedArray, ArrayBuffer, number or null`);
}

export function toMessage(input: MessageLike | MessageLike[]): Message {
  if (!Array.isArray(input)) return [toFrame(input)];
  if (input.length === 0) throw new ZmqError("EINVAL", "Cannot send an empty array: a message needs at least one frame");
  const message = new Array<Frame>(input.length);
  for (let i = 0; i < input.length; i++) message[i] = toFrame(input[i]!);
  return message;
}

// Up to this size a typed array may keep its bytes inline, without an ArrayBuffer (JSC's fast typed
// arrays); reading `.buffer` then has to create one, which costs Bun 0.5-3 µs, against ~40 ns to copy.
const COPY_BELOW_BYTES = 1024;

/**
 * receive() always yields Buffers. Frames from the stream decoder and Buffers sent over inproc already
 * are; another view becomes a Buffer over the same memory, or a copy when it is small (see above).
 */
export function toBuffers(message: Message): Buffer[] {
  for (let i = 0; i < message.length; i++) {
    const frame = message[i]!;
    if (frame instanceof Buffer) continue;
    message[i] = frame.byteLength < COPY_BELOW_BYTES
      ? Buffer.copyBytesFrom(frame)
      : Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  }
  return message as Buffer[];
}
