// Frames a message once for every connection it fans out to (PUB, XPUB): the encoded frames go into
// a block shared by all of this thread's engines, which copy or write them from there instead of
// each framing the message again. Pure code over Uint8Array; imports core and frame.ts.
//
// Blocks are never reused: a block that is full is dropped for a new one, and the garbage collector
// frees it once no message and no engine's unsent backlog refers to it. So bytes handed out stay
// valid for as long as anything holds them, with no reference counting on the hot path.

import type { EncodedFrames, Frame } from "../core/message.ts";
import { FLAG_MORE, frameHeaderSize, writeFrameHeader } from "./frame.ts";

/** Size of a shared block: a few thousand small messages. */
const BLOCK_BYTES = 256 * 1024;
/**
 * Messages larger than this, encoded, are framed by each engine as before: their copy dominates
 * whatever framing once saves, and the largest bodies are written from the sender's memory anyway.
 */
export const MAX_SHARED_BYTES = 8 * 1024;

let block = newBlock();
let used = 0;

function newBlock(): Uint8Array {
  // An ArrayBuffer of its own, like a write batch: the bytes may go to native code (bun-notes §7).
  return new Uint8Array(new ArrayBuffer(BLOCK_BYTES));
}

/**
 * The message's frames, ZMTP 3.x-framed (MORE on all but the last), in a shared block; undefined
 * when the message is too large to be worth sharing.
 */
export function encodeShared(frames: readonly Frame[]): EncodedFrames | undefined {
  let size = 0;
  for (let i = 0; i < frames.length; i++) size += frameHeaderSize(frames[i]!.length) + frames[i]!.length;
  if (size > MAX_SHARED_BYTES) return undefined;
  if (used + size > BLOCK_BYTES) {
    block = newBlock();
    used = 0;
  }
  const bytes = block;
  const start = used;
  let pos = start;
  const last = frames.length - 1;
  for (let i = 0; i <= last; i++) {
    const body = frames[i]!;
    pos = writeFrameHeader(bytes, pos, i < last ? FLAG_MORE : 0, body.length);
    bytes.set(body, pos);
    pos += body.length;
  }
  used = pos;
  return { bytes, start, end: pos };
}
