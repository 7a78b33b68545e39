// The record format of swap segments: one whole message per record, framed so that a damaged
// record is recognised and skipped. Imports only core.
//
//   u32 payload length | u32 CRC-32 of the payload | payload
//   payload = u32 frame count, then for each frame u32 length and its bytes   (all little-endian)

import type { Frame, Message } from "../core/message.ts";

/** Bytes before a record's payload: its length and its checksum. */
export const RECORD_HEADER = 8;

/** Bytes `message` takes as a record. */
export function recordSize(message: Message): number {
  let size = RECORD_HEADER + 4;
  for (const frame of message) size += 4 + frame.byteLength;
  return size;
}

// One buffer reused by every encode: a batch is written synchronously before the next is encoded,
// so the 256 KiB per batch never become garbage for the collector to find.
let scratch = new Uint8Array(256 * 1024 + 4096);

/**
 * Records for `messages` (`bytes`, the sum of their `recordSize`s) in one buffer, for one write.
 * The result is valid only until the next call: write it before encoding again.
 */
export function encodeRecords(messages: readonly Message[], bytes: number): Uint8Array {
  if (scratch.byteLength < bytes) scratch = new Uint8Array(bytes);
  const out = scratch.subarray(0, bytes);
  const view = new DataView(out.buffer, 0, bytes);
  let at = 0;
  for (const message of messages) {
    const start = at;
    at += RECORD_HEADER;
    view.setUint32(at, message.length, true);
    at += 4;
    for (const frame of message) {
      view.setUint32(at, frame.byteLength, true);
      out.set(frame, at + 4);
      at += 4 + frame.byteLength;
    }
    view.setUint32(start, at - start - RECORD_HEADER, true);
    view.setUint32(start + 4, Bun.hash.crc32(out.subarray(start + RECORD_HEADER, at)), true);
  }
  return out;
}

/** What `decodeRecords` found in a chunk. */
export interface DecodedRecords {
  /** The intact messages, in order; their frames are copies, so the chunk can be released. */
  messages: Message[];
  /** Records whose checksum or layout was wrong: skipped. */
  damaged: number;
  /** Bytes of whole records consumed; a record cut by the chunk's end is left for the next read. */
  consumed: number;
}

/** Decodes the whole records at the start of `chunk`. */
export function decodeRecords(chunk: Uint8Array): DecodedRecords {
  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const messages: Message[] = [];
  let damaged = 0;
  let at = 0;
  while (at + RECORD_HEADER <= chunk.byteLength) {
    const length = view.getUint32(at, true);
    const end = at + RECORD_HEADER + length;
    if (end > chunk.byteLength) break;
    const payload = chunk.subarray(at + RECORD_HEADER, end);
    const message = view.getUint32(at + 4, true) === Bun.hash.crc32(payload) ? parsePayload(payload) : null;
    if (message === null) damaged++;
    else messages.push(message);
    at = end;
  }
  return { messages, damaged, consumed: at };
}

/** The payload length a record header at the start of `header` announces. */
export function announcedLength(header: Uint8Array): number {
  return new DataView(header.buffer, header.byteOffset, RECORD_HEADER).getUint32(0, true);
}

function parsePayload(payload: Uint8Array): Message | null {
  if (payload.byteLength < 4) return null;
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const count = view.getUint32(0, true);
  const frames: Frame[] = [];
  let at = 4;
  for (let i = 0; i < count; i++) {
    if (at + 4 > payload.byteLength) return null;
    const length = view.getUint32(at, true);
    if (at + 4 + length > payload.byteLength) return null;
    frames.push(payload.slice(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return at === payload.byteLength && count > 0 ? frames : null;
}
