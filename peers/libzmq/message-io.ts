// One whole multipart message across the bun:ffi boundary, for LibzmqSocket (./socket.ts): frames
// are staged into C memory and sent with SNDMORE; received frames are copied out of a zmq_msg_t
// into Buffers. Imports nothing outside this folder.

import { toArrayBuffer, type Pointer } from "bun:ffi";
import { EAGAIN, EINTR, ZMQ } from "./constants.ts";
import { check, LibzmqError } from "./errors.ts";
import { cBuffer, cString, type Libzmq } from "./library.ts";

export type Frame = Uint8Array | string;

const encoder = new TextEncoder();
let scratch = cBuffer(64 * 1024);

/** Copies a frame into the shared send scratch buffer; returns the byte count. */
function stage(frame: Frame): number {
  const bytes = typeof frame === "string" ? encoder.encode(frame) : frame;
  if (bytes.byteLength > scratch.byteLength) scratch = cBuffer(bytes.byteLength);
  scratch.set(bytes);
  return bytes.byteLength;
}

/**
 * Sends `frames` as one message on `socket` with `baseFlags` (0 or DONTWAIT) on every frame;
 * false when libzmq said EAGAIN for the first frame (DONTWAIT at the high-water mark, or SNDTIMEO
 * expired). `typeName` only labels errors.
 */
export function sendMessage(library: Libzmq, socket: Pointer, frames: Frame[], baseFlags: number, typeName: string): boolean {
  if (frames.length === 0) throw new Error("a message needs at least one frame");
  const z = library.symbols;
  for (let i = 0; i < frames.length; i++) {
    const flags = baseFlags | (i < frames.length - 1 ? ZMQ.SNDMORE : 0);
    const length = stage(frames[i]!);
    while (z.zmq_send(socket, scratch, length, flags) === -1) {
      const errno = z.zmq_errno();
      if (errno === EINTR) continue;
      // libzmq admits multipart messages atomically: only the first frame can hit EAGAIN.
      if (errno === EAGAIN && i === 0) return false;
      throw new LibzmqError(library, errno, `zmq_send frame ${i} on libzmq ${typeName}`);
    }
  }
  return true;
}

/**
 * Receives one whole message on `socket` through `msg` (64 bytes, C-addressable, for zmq_msg_t),
 * or null when none is ready (EAGAIN: `flags` DONTWAIT, or RCVTIMEO expired). Each name in
 * `properties` is filled in with the first frame's zmq_msg_gets value (null when it has none).
 */
export function receiveMessage(
  library: Libzmq,
  socket: Pointer,
  msg: Uint8Array,
  flags: number,
  typeName: string,
  properties?: Record<string, string | null>,
): Buffer[] | null {
  const first = receiveFrame(library, socket, msg, flags, typeName, properties);
  if (first === null) return null;
  const frames = [first.data];
  let more = first.more;
  while (more) {
    const next = receiveFrame(library, socket, msg, 0, typeName); // the rest of a message is already queued
    if (next === null) throw new LibzmqError(library, EAGAIN, `zmq_msg_recv (continuation) on ${typeName}`);
    frames.push(next.data);
    more = next.more;
  }
  return frames;
}

function receiveFrame(
  library: Libzmq,
  socket: Pointer,
  msg: Uint8Array,
  flags: number,
  typeName: string,
  properties?: Record<string, string | null>,
): { data: Buffer; more: boolean } | null {
  const z = library.symbols;
  check(library, z.zmq_msg_init(msg), "zmq_msg_init");
  try {
    while (z.zmq_msg_recv(msg, socket, flags) === -1) {
      const errno = z.zmq_errno();
      if (errno === EINTR) continue;
      if (errno === EAGAIN) return null;
      throw new LibzmqError(library, errno, `zmq_msg_recv on libzmq ${typeName}`);
    }
    const size = Number(z.zmq_msg_size(msg));
    const data = Buffer.alloc(size);
    if (size > 0) {
      const source = z.zmq_msg_data(msg);
      if (source === null) throw new Error("zmq_msg_data returned NULL for a non-empty frame");
      data.set(new Uint8Array(toArrayBuffer(source, 0, size)));
    }
    for (const name of Object.keys(properties ?? {})) {
      const value = z.zmq_msg_gets(msg, cString(name));
      properties![name] = value === null ? null : String(value);
    }
    return { data, more: z.zmq_msg_more(msg) === 1 };
  } finally {
    z.zmq_msg_close(msg);
  }
}
