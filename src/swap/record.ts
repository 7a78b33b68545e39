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

/** Bytes a RecordBuffer starts with; it doubles from there as records arrive. */
const FIRST_BUFFER_BYTES = 4096;
/** A drained queue keeps a buffer up to this size: a journal fills and empties it every turn. */
const KEPT_BUFFER_BYTES = 64 * 1024;

/**
 * Records appended one message at a time into one buffer, to be written out as one batch. A
 * message is encoded when it arrives, so none is kept alive while its batch fills: thousands of
 * small messages held that long would outlive the collector's young generation and swell the
 * process (docs/swap.md, section 7). Invariant: records lie whole in `#buffer[#start, #end)`.
 */
export class RecordBuffer {
  #buffer = new Uint8Array(0);
  #view = new DataView(this.#buffer.buffer);
  #start = 0;
  #end = 0;
  #count = 0;

  /** Records held. */
  get count(): number {
    return this.#count;
  }

  /** Bytes of the records held. */
  get byteLength(): number {
    return this.#end - this.#start;
  }

  /** The records held, for one write: valid until the next `append`. */
  get bytes(): Uint8Array {
    return this.#buffer.subarray(this.#start, this.#end);
  }

  /** Encodes `message` at the end; returns its record's bytes. */
  append(message: Message): number {
    const size = recordSize(message);
    this.#makeRoom(size);
    this.#end = writeRecord(message, this.#buffer, this.#view, this.#end);
    this.#count++;
    return size;
  }

  /** Takes the oldest record back as a message (its frames are copies), or undefined if none. */
  shift(): Message | undefined {
    if (this.#count === 0) return undefined;
    const decoded = decodeRecords(this.#buffer.subarray(this.#start, this.#end), 1);
    this.#start += decoded.consumed;
    if (--this.#count === 0) this.#start = this.#end = 0;
    return decoded.messages[0];
  }

  /** Forgets every record; `release` also lets a large buffer go (a queue that has drained). */
  clear(release = false): void {
    this.#start = this.#end = this.#count = 0;
    if (release && this.#buffer.byteLength > KEPT_BUFFER_BYTES) {
      this.#buffer = new Uint8Array(0);
      this.#view = new DataView(this.#buffer.buffer);
    }
  }

  #makeRoom(size: number): void {
    if (this.#end + size <= this.#buffer.byteLength) return;
    const held = this.#end - this.#start;
    let buffer = this.#buffer;
    let view = this.#view;
    if (held + size > buffer.byteLength) {
      // Over an ArrayBuffer made first: a small typed array made alone has none until `.buffer`
      // is read, which costs Bun microseconds.
      const bytes = new ArrayBuffer(Math.max(FIRST_BUFFER_BYTES, 2 * buffer.byteLength, held + size));
      buffer = new Uint8Array(bytes);
      view = new DataView(bytes);
    }
    buffer.set(this.#buffer.subarray(this.#start, this.#end));
    this.#buffer = buffer;
    this.#view = view;
    this.#start = 0;
    this.#end = held;
  }
}

/**
 * Writes `message` as one record into `out` (which `view` spans from its start) at `at`, which
 * must leave `recordSize(message)` bytes of room; returns the offset after it.
 */
function writeRecord(message: Message, out: Uint8Array, view: DataView, at: number): number {
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
  return at;
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

/** Decodes the whole records at the start of `chunk`, at most `limit` of them. */
export function decodeRecords(chunk: Uint8Array, limit = Number.POSITIVE_INFINITY): DecodedRecords {
  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const messages: Message[] = [];
  let damaged = 0;
  let at = 0;
  while (at + RECORD_HEADER <= chunk.byteLength && messages.length + damaged < limit) {
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
