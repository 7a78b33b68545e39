// The engine's outgoing byte queue over a ByteStream: coalesces frames into batches and owns partial
// writes and drain (Bun's socket.write queues nothing; bun-notes §1.1). Imports wire and core.

import type { ByteStream } from "../core/byte-stream.ts";
import { writeFrameHeader } from "../wire/frame.ts";

// Bodies this large are written from the caller's memory instead of being copied into the batch:
// one extra syscall costs less than the copy.
const DIRECT_BODY_BYTES = 16 * 1024;
// Batches double while the kernel takes whole batches, up to this size (bun-notes §2: 64 KiB+
// batches move ~1.4x more small messages than 8 KiB ones).
const MAX_BATCH_BYTES = 256 * 1024;
const MAX_HEADER = 9;

/**
 * Invariants: `#backlog` holds bytes the kernel refused, oldest first, and is written before
 * anything else; `#batch[0, #pos)` holds encoded frames not yet handed to `write`.
 */
export class WriteQueue {
  readonly #stream: ByteStream;
  readonly #baseBatch: number;
  #limit: number;
  #batch: Uint8Array;
  #pos = 0;
  #backlog: Uint8Array[] = [];
  #closed = false;

  constructor(stream: ByteStream, outBatchSize: number) {
    this.#stream = stream;
    this.#baseBatch = Math.max(256, outBatchSize);
    this.#limit = this.#baseBatch;
    this.#batch = new Uint8Array(this.#limit + MAX_HEADER);
  }

  /** Unsent bytes wait for the kernel; the engine stops pulling messages until `drained`. */
  get backlogged(): boolean {
    return this.#backlog.length > 0;
  }

  /** The current batch reached its size limit: time to `flush()` before encoding more. */
  get batchFull(): boolean {
    return this.#pos >= this.#limit;
  }

  /** Appends one encoded frame. `flags` carries only MORE/COMMAND; LONG is derived. */
  appendFrame(flags: number, body: Uint8Array): void {
    const length = body.length;
    if (length >= DIRECT_BODY_BYTES) {
      this.#ensureRoom(MAX_HEADER);
      this.#pos = writeFrameHeader(this.#batch, this.#pos, flags, length);
      this.flush();
      this.#send(body, false);
      return;
    }
    this.#ensureRoom(MAX_HEADER + length);
    const batch = this.#batch;
    let pos = writeFrameHeader(batch, this.#pos, flags, length);
    if (length <= 16) {
      for (let i = 0; i < length; i++) batch[pos + i] = body[i]!;
    } else {
      batch.set(body, pos);
    }
    this.#pos = pos + length;
  }

  /** Appends bytes already encoded (the greeting, command frames). */
  appendBytes(bytes: Uint8Array): void {
    if (bytes.length >= DIRECT_BODY_BYTES) {
      this.flush();
      this.#send(bytes, false);
      return;
    }
    this.#ensureRoom(bytes.length);
    this.#batch.set(bytes, this.#pos);
    this.#pos += bytes.length;
  }

  /** Hands the batch to the kernel (one write). Returns true when nothing is left waiting. */
  flush(): boolean {
    this.#flushBatch(this.#pos >= this.#limit);
    return this.#backlog.length === 0;
  }

  /** The stream drained: push the backlog. Returns true when it is empty. */
  drained(): boolean {
    const backlog = this.#backlog;
    while (backlog.length > 0 && !this.#closed) {
      const chunk = backlog[0]!;
      const written = this.#stream.write(chunk, 0, chunk.length);
      if (written < 0) return this.#markClosed();
      if (written < chunk.length) {
        backlog[0] = chunk.subarray(written);
        return false;
      }
      backlog.shift();
    }
    return backlog.length === 0;
  }

  #ensureRoom(bytes: number): void {
    if (this.#pos + bytes <= this.#limit + MAX_HEADER) return;
    // The batch cannot take this frame: it is full as far as growth is concerned.
    this.#flushBatch(true);
    const wanted = Math.max(bytes, this.#limit + MAX_HEADER);
    if (wanted > this.#batch.length) this.#batch = new Uint8Array(wanted);
  }

  // One write of the batch. A full batch the kernel took whole doubles the limit (adaptive growth).
  #flushBatch(full: boolean): void {
    if (this.#pos === 0) return;
    const written = this.#send(this.#batch.subarray(0, this.#pos), true);
    this.#pos = 0;
    if (written && full && this.#limit < MAX_BATCH_BYTES) {
      this.#limit = Math.min(this.#limit * 2, MAX_BATCH_BYTES);
      this.#batch = new Uint8Array(this.#limit + MAX_HEADER);
    }
  }

  // Returns true when the kernel took all of `chunk`. A partial write leaves the rest in the
  // backlog; if `chunk` is our reusable batch, the batch is replaced so the backlog keeps its bytes.
  #send(chunk: Uint8Array, isBatch: boolean): boolean {
    if (this.#closed) return false;
    if (this.#backlog.length === 0) {
      const written = this.#stream.write(chunk, 0, chunk.length);
      if (written === chunk.length) return true;
      if (written < 0) return this.#markClosed();
      chunk = chunk.subarray(written);
    }
    this.#backlog.push(chunk);
    if (isBatch) {
      this.#limit = this.#baseBatch;
      this.#batch = new Uint8Array(this.#limit + MAX_HEADER);
    }
    return false;
  }

  #markClosed(): false {
    this.#closed = true;
    this.#backlog = [];
    return false;
  }
}
