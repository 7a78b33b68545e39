// The files of one swap queue: append-only segments of records (record.ts), written a batch per
// write and read back a chunk per read, each deleted once every record in it has been read.
// Imports core and record.ts; node:fs for the files.

import { closeSync, ftruncateSync, openSync, readSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { Message } from "../core/message.ts";
import { RECORD_HEADER, announcedLength, decodeRecords } from "./record.ts";

/** A segment is closed to appends past this size, so delivered bytes leave the disk soon. */
const SEGMENT_BYTES = 8 * 1024 * 1024;
/** Bytes read per read(2) when loading messages back. */
const READ_CHUNK = 256 * 1024;

// One buffer reused by every read: decoding copies each frame out of it (record.ts), so a chunk
// never outlives its read and 256 KiB per read never become garbage.
let readBuffer = new Uint8Array(READ_CHUNK);

interface Segment {
  readonly path: string;
  readonly fd: number;
  /** Bytes written (the file's length). */
  size: number;
  /** Records written, and records read back (delivered or skipped). */
  records: number;
  readRecords: number;
}

/** What one `read` loaded. */
export interface LoadedBatch {
  messages: Message[];
  /** Records skipped: bad checksums, and the rest of a segment whose framing broke. */
  skipped: number;
  /** Bytes of segment files deleted by this read. */
  freedBytes: number;
}

/**
 * Invariants: `#segments` are in write order; reading happens in the first at `#readOffset`,
 * appending in the last; `#bytes` is the sum of their sizes.
 */
export class SegmentLog {
  readonly #directory: string;
  readonly #name: string;
  readonly #segments: Segment[] = [];
  #sequence = 0;
  #readOffset = 0;
  #bytes = 0;

  constructor(directory: string, name: string) {
    this.#directory = directory;
    this.#name = name;
  }

  /** Bytes of the segment files now on disk. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Writes `batch` (`records` whole records) at the end, with one write(2) unless the kernel takes
   * less. On failure (ENOSPC, EIO) the segment is cut back to its old length and the error thrown,
   * so nothing half-written is ever read.
   */
  append(batch: Uint8Array, records: number): void {
    let tail = this.#segments.at(-1);
    if (tail === undefined || tail.size >= SEGMENT_BYTES) tail = this.#openSegment();
    let written = 0;
    try {
      while (written < batch.byteLength) written += writeSync(tail.fd, batch, written, batch.byteLength - written, tail.size + written);
    } catch (error) {
      ftruncateSync(tail.fd, tail.size);
      throw error;
    }
    tail.size += written;
    tail.records += records;
    this.#bytes += written;
  }

  /** Loads the next chunk of records; deletes the segments it finishes. */
  read(): LoadedBatch {
    const batch: LoadedBatch = { messages: [], skipped: 0, freedBytes: 0 };
    const head = this.#segments[0];
    if (head === undefined) return batch;
    const remaining = head.size - this.#readOffset;
    let chunk = this.#readAt(head, Math.min(READ_CHUNK, remaining));
    if (chunk.byteLength >= RECORD_HEADER && RECORD_HEADER + announcedLength(chunk) > chunk.byteLength) {
      // A record longer than a chunk is read whole; one that claims more than the segment holds
      // has broken framing, and nothing after it in this segment can be trusted.
      const whole = RECORD_HEADER + announcedLength(chunk);
      chunk = whole <= remaining ? this.#readAt(head, whole) : new Uint8Array(0);
    }
    const decoded = decodeRecords(chunk);
    batch.messages = decoded.messages;
    batch.skipped = decoded.damaged;
    head.readRecords += decoded.messages.length + decoded.damaged;
    this.#readOffset += decoded.consumed;
    if (decoded.consumed === 0) {
      batch.skipped += head.records - head.readRecords;
      head.readRecords = head.records;
      this.#readOffset = head.size;
    }
    if (this.#readOffset >= head.size) batch.freedBytes = this.#dropHead();
    return batch;
  }

  /** Closes and deletes every segment. */
  close(): void {
    while (this.#segments.length > 0) this.#dropHead();
  }

  #readAt(segment: Segment, length: number): Uint8Array {
    if (readBuffer.byteLength < length) readBuffer = new Uint8Array(length);
    const chunk = readBuffer.subarray(0, length);
    let got = 0;
    while (got < length) {
      const n = readSync(segment.fd, chunk, got, length - got, this.#readOffset + got);
      if (n === 0) break;
      got += n;
    }
    return got === length ? chunk : chunk.subarray(0, got);
  }

  #openSegment(): Segment {
    const path = join(this.#directory, `${this.#name}-${String(++this.#sequence).padStart(8, "0")}.seg`);
    const segment: Segment = { path, fd: openSync(path, "w+", 0o600), size: 0, records: 0, readRecords: 0 };
    this.#segments.push(segment);
    return segment;
  }

  #dropHead(): number {
    const head = this.#segments.shift()!;
    closeSync(head.fd);
    unlinkSync(head.path);
    this.#bytes -= head.size;
    this.#readOffset = 0;
    return head.size;
  }
}
