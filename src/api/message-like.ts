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

/** receive() always yields Buffers; frames from the TCP decoder already are, others get a view. */
export function toBuffers(message: Message): Buffer[] {
  for (let i = 0; i < message.length; i++) {
    const frame = message[i]!;
    if (!Buffer.isBuffer(frame)) message[i] = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  }
  return message as Buffer[];
}
