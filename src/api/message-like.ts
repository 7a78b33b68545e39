// zeromq.js's MessageLike inputs turned into frames, and frames into the Buffers receive() returns
// (its Message). Imports only core. Frames over 128 bytes are lent, not copied: such a buffer must
// not be changed until written; smaller ones are copied at once, as zeromq.js does.

import { ZmqError } from "../core/errors.ts";
import type { Frame, Message as Frames } from "../core/message.ts";

/** What send() accepts per frame: strings as UTF-8, numbers stringified, null as an empty frame. */
export type MessageLike = ArrayBufferView | ArrayBuffer | SharedArrayBuffer | string | number | null;

/**
 * One received frame (zeromq.js's Message): a Buffer at run time. Typed as Buffer where the
 * program's types declare it (those of Bun and Node do), else as the Uint8Array a Buffer is, so
 * that these declarations need neither.
 */
export type Message = typeof globalThis extends { Buffer: { alloc(size: number): infer B } } ? B : Uint8Array;

const EMPTY = new Uint8Array(0);

// zeromq.js copies frames of up to 128 bytes at send() and lends larger ones: a caller may reuse a
// small buffer as soon as send() returns, and the original can be collected while the copy waits.
// Buffer.copyBytesFrom is the cheapest copy measured in Bun (about 26 ns for 16 bytes, against 49 ns
// for a view cut from a shared slab), and what it makes is already the Buffer receive() hands out.
const COPY_UP_TO_BYTES = 128;

/** A caller's bytes as a frame: lent when large, copied when small (see above). */
function lendOrCopy(view: Uint8Array): Uint8Array {
  return view.byteLength <= COPY_UP_TO_BYTES ? Buffer.copyBytesFrom(view) : view;
}

export function toFrame(part: MessageLike): Frame {
  if (part instanceof Uint8Array) return lendOrCopy(part);
  if (typeof part === "string") return Buffer.from(part, "utf8");
  if (part === null) return EMPTY;
  // Another view is copied as it is when small: reading a small typed array's .buffer costs Bun
  // microseconds (see toBuffers).
  if (ArrayBuffer.isView(part)) {
    return part.byteLength <= COPY_UP_TO_BYTES
      ? Buffer.copyBytesFrom(part as Uint8Array)
      : new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
  }
  if (part instanceof ArrayBuffer || part instanceof SharedArrayBuffer) return lendOrCopy(new Uint8Array(part));
  // zeromq.js refuses a missing message, and sends anything else as its string form: numbers,
  // booleans, objects, functions.
  if (part === undefined) throw new TypeError("Message must be present");
  return Buffer.from(String(part), "utf8");
}

/** @internal */
export function toMessage(input: MessageLike | MessageLike[]): Frames {
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
 * @internal
 */
export function toBuffers(message: Frames): Buffer[] {
  for (let i = 0; i < message.length; i++) {
    const frame = message[i]!;
    if (frame instanceof Buffer) continue;
    message[i] =
      frame.byteLength < COPY_BELOW_BYTES ? Buffer.copyBytesFrom(frame) : Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  }
  return message as Buffer[];
}
