// The files of one swap queue: append-only segments of records (record.ts), written a batch per
// write and read back a chunk per read. A spill log deletes a segment once every record in it has
// been read; a journal (a durable queue) keeps it until every record has been released, i.e.
// handed to a connection, and adopts the segments a previous process left. Imports core and
// record.ts; node:fs for the files.

import { closeSync, fsyncSync, ftruncateSync, openSync, readSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { Message } from "../core/message.ts";
import { RECORD_HEADER, announcedLength, decodeRecords } from "./record.ts";

/** A segment is closed to appends past this size, so delivered bytes leave the disk soon. */
const SEGMENT_BYTES = 8 * 1024 * 1024;
/** Bytes read per read(2) when loading messages back. */
const READ_CHUNK = 256 * 1024;
/**
 * Records decoded per `read`: the rest of the chunk waits in the log's buffer as bytes. A whole
 * chunk of small messages decoded at once would live long enough (until the pipe takes them) to
 * leave the collector's young generation, and swell the process (docs/swap.md, section 7).
 */
const LOAD_RECORDS = 512;

interface Segment {
  readonly path: string;
  readonly fd: number;
  /** Bytes written (the file's length). */
  size: number;
  /** Records written; records read back (delivered or skipped); records released (journal only). */
  records: number;
  readRecords: number;
  released: number;
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
 * Invariants: `#segments` are in write order; reading happens in `#segments[#reading]` at
 * `#readOffset` (always the first for a spill log), appending in the last; `#bytes` is the sum of
 * their sizes. A journal's segment goes once fully read and fully released.
 */
export class SegmentLog {
  readonly #directory: string;
  readonly #name: string;
  readonly #journal: boolean;
  readonly #segments: Segment[] = [];
  #sequence = 0;
  #reading = 0;
  #readOffset = 0;
  #bytes = 0;
  /** The last chunk read, `#chunkLength` bytes of `#chunkSegment` from `#chunkFrom`: decoding copies frames out of it. */
  #chunk = new Uint8Array(0);
  #chunkSegment: Segment | null = null;
  #chunkFrom = 0;
  #chunkLength = 0;
  /** Called with the bytes freed when a released record lets a journal segment go. */
  onFreed: (bytes: number) => void = () => {};

  constructor(directory: string, name: string, journal = false) {
    this.#directory = directory;
    this.#name = name;
    this.#journal = journal;
  }

  /** Bytes of the segment files now on disk. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The file name of segment `sequence` of a log called `name`: sorting names sorts segments. */
  static fileName(name: string, sequence: number): string {
    return `${name}-${String(sequence).padStart(8, "0")}.seg`;
  }

  /**
   * Takes over a segment file a previous process left (a journal's recovery): its whole records
   * are read again; a record cut short by a crash mid-write is cut off. Returns its record count.
   */
  adopt(fileName: string, sequence: number): number {
    const path = join(this.#directory, fileName);
    const fd = openSync(path, "r+");
    const segment: Segment = { path, fd, size: 0, records: 0, readRecords: 0, released: 0 };
    let at = 0;
    for (;;) {
      this.#readOffset = at;
      const chunk = this.#readAt(segment, READ_CHUNK, Number.POSITIVE_INFINITY);
      const whole = chunk.byteLength >= RECORD_HEADER ? RECORD_HEADER + announcedLength(chunk) : 0;
      const decoded = decodeRecords(whole > chunk.byteLength ? this.#readAt(segment, whole, whole) : chunk);
      if (decoded.consumed === 0) break;
      segment.records += decoded.messages.length + decoded.damaged;
      at += decoded.consumed;
    }
    this.#readOffset = 0;
    this.#chunkSegment = null;
    ftruncateSync(fd, at);
    segment.size = at;
    this.#segments.push(segment);
    this.#sequence = Math.max(this.#sequence, sequence);
    this.#bytes += at;
    return segment.records;
  }

  /**
   * Writes `batch` (`records` whole records) at the end, with one write(2) unless the kernel takes
   * less, then fsync(2) if `sync`. On failure (ENOSPC, EIO) the segment is cut back to its old
   * length and the error thrown, so nothing half-written is ever read.
   */
  append(batch: Uint8Array, records: number, sync = false): void {
    let tail = this.#segments.at(-1);
    if (tail === undefined || tail.size >= SEGMENT_BYTES) tail = this.#openSegment();
    let written = 0;
    try {
      while (written < batch.byteLength) written += writeSync(tail.fd, batch, written, batch.byteLength - written, tail.size + written);
      if (sync) fsyncSync(tail.fd);
    } catch (error) {
      ftruncateSync(tail.fd, tail.size);
      throw error;
    }
    tail.size += written;
    tail.records += records;
    this.#bytes += written;
  }

  /** Loads the next chunk of records; a spill log deletes the segments it finishes. */
  read(): LoadedBatch {
    const batch: LoadedBatch = { messages: [], skipped: 0, freedBytes: 0 };
    const segment = this.#segments[this.#reading];
    if (segment === undefined) return batch;
    const remaining = segment.size - this.#readOffset;
    let chunk = this.#cached(segment);
    if (!holdsRecord(chunk)) chunk = this.#readAt(segment, Math.min(READ_CHUNK, remaining), remaining);
    if (chunk.byteLength >= RECORD_HEADER && RECORD_HEADER + announcedLength(chunk) > chunk.byteLength) {
      // A record longer than a chunk is read whole; one that claims more than the segment holds
      // has broken framing, and nothing after it in this segment can be trusted.
      const whole = RECORD_HEADER + announcedLength(chunk);
      chunk = whole <= remaining ? this.#readAt(segment, whole, remaining) : new Uint8Array(0);
    }
    const decoded = decodeRecords(chunk, LOAD_RECORDS);
    batch.messages = decoded.messages;
    batch.skipped = decoded.damaged;
    segment.readRecords += decoded.messages.length + decoded.damaged;
    this.#readOffset += decoded.consumed;
    if (decoded.consumed === 0 && remaining > 0) {
      batch.skipped += segment.records - segment.readRecords;
      segment.readRecords = segment.records;
      this.#readOffset = segment.size;
    }
    if (this.#journal) {
      const release = (): void => this.#release(segment, 1);
      for (const message of batch.messages) message.release = release;
      if (batch.skipped > 0) this.#release(segment, batch.skipped);
      if (this.#readOffset >= segment.size && segment !== this.#segments.at(-1)) {
        this.#reading = this.#segments.indexOf(segment) + 1;
        this.#readOffset = 0;
      }
    } else if (this.#readOffset >= segment.size) batch.freedBytes = this.#drop(0);
    return batch;
  }

  /** Closes every segment; deletes them unless `keep` (a journal kept for the next process). */
  close(keep = false): void {
    for (const segment of this.#segments) {
      closeSync(segment.fd);
      if (!keep) unlinkSync(segment.path);
    }
    this.#segments.length = 0;
    this.#bytes = this.#reading = this.#readOffset = 0;
    this.#forgetChunk();
  }

  /** A journal record was handed to a connection: its segment goes once all of it has been. */
  #release(segment: Segment, count: number): void {
    segment.released += count;
    if (segment.released < segment.records || segment.readRecords < segment.records) return;
    const index = this.#segments.indexOf(segment);
    if (index < 0) return;
    if (index < this.#segments.length - 1) {
      this.onFreed(this.#drop(index));
      return;
    }
    // The tail, wholly delivered: emptied in place rather than replaced by a new file per batch.
    if (this.#readOffset < segment.size) return;
    ftruncateSync(segment.fd, 0);
    if (this.#chunkSegment === segment) this.#chunkSegment = null;
    this.#bytes -= segment.size;
    this.onFreed(segment.size);
    segment.size = segment.records = segment.readRecords = segment.released = 0;
    this.#readOffset = 0;
  }

  /** What the last chunk read holds from the read offset on (empty if it is of another place). */
  #cached(segment: Segment): Uint8Array {
    const at = this.#readOffset - this.#chunkFrom;
    if (this.#chunkSegment !== segment || at < 0 || at >= this.#chunkLength) return this.#chunk.subarray(0, 0);
    return this.#chunk.subarray(at, this.#chunkLength);
  }

  #readAt(segment: Segment, length: number, available: number): Uint8Array {
    const wanted = Math.min(length, available);
    // Over an ArrayBuffer made first, so that the DataViews decoding makes find one (record.ts).
    if (this.#chunk.byteLength < wanted)
      this.#chunk = new Uint8Array(new ArrayBuffer(Math.max(wanted, Math.min(READ_CHUNK, 2 * this.#chunk.byteLength))));
    const chunk = this.#chunk.subarray(0, wanted);
    let got = 0;
    while (got < wanted) {
      const n = readSync(segment.fd, chunk, got, wanted - got, this.#readOffset + got);
      if (n === 0) break;
      got += n;
    }
    this.#chunkSegment = segment;
    this.#chunkFrom = this.#readOffset;
    this.#chunkLength = got;
    return got === wanted ? chunk : chunk.subarray(0, got);
  }

  #forgetChunk(): void {
    this.#chunk = new Uint8Array(0);
    this.#chunkSegment = null;
  }

  #openSegment(): Segment {
    const path = join(this.#directory, SegmentLog.fileName(this.#name, ++this.#sequence));
    const segment: Segment = { path, fd: openSync(path, "w+", 0o600), size: 0, records: 0, readRecords: 0, released: 0 };
    this.#segments.push(segment);
    return segment;
  }

  #drop(index: number): number {
    const [segment] = this.#segments.splice(index, 1);
    closeSync(segment!.fd);
    unlinkSync(segment!.path);
    this.#bytes -= segment!.size;
    if (index < this.#reading) this.#reading--;
    else if (index === this.#reading) this.#readOffset = 0;
    // Nothing left to read: the chunk's buffer goes too (a queue drained).
    if (this.#segments.length === 0) this.#forgetChunk();
    return segment!.size;
  }
}

/** Whether `chunk` starts with a whole record. */
function holdsRecord(chunk: Uint8Array): boolean {
  return chunk.byteLength >= RECORD_HEADER && RECORD_HEADER + announcedLength(chunk) <= chunk.byteLength;
}
