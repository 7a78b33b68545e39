// The engine's outgoing byte queue over a ByteStream: coalesces frames into batches and owns partial
// writes and drain (Bun's socket.write queues nothing; bun-notes §1.1). It also counts the protocol
// output (greeting, handshake and heartbeat commands) the kernel has not taken, against a bound: a
// peer that provokes replies and never reads them cannot grow it (#14). Imports wire, core and
// engine-limits.ts's types.

import type { ByteStream } from "../core/byte-stream.ts";
import type { EncodedFrames } from "../core/message.ts";
import type { ProtocolBound } from "./engine-limits.ts";
import { writeFrameHeader } from "../wire/frame.ts";
import { V1_MAX_HEADER, writeV1Header } from "../wire/v1-frames.ts";

// Bodies this large are written from the caller's memory instead of being copied into the batch:
// one extra syscall costs less than the copy.
const DIRECT_BODY_BYTES = 16 * 1024;
// Batches double while the kernel takes whole batches, up to this size (bun-notes §2: 64 KiB+
// batches move ~1.4x more small messages than 8 KiB ones).
const MAX_BATCH_BYTES = 256 * 1024;
// Room kept for one header: a 3.x long header is 9 bytes, a ZMTP 1.0 one 10.
const MAX_HEADER = V1_MAX_HEADER;

/**
 * A batch with an ArrayBuffer of its own: native code seals into it (bun:ffi), and a pointer into
 * a small typed array without one can go stale (bun-notes §7).
 */
function newBatch(bytes: number): Uint8Array {
  return new Uint8Array(new ArrayBuffer(bytes));
}

const NO_BOUND: ProtocolBound = { max: -1, exceeded: () => {} };

/**
 * Invariants: `#backlog` holds chunks the kernel refused, oldest first, and is written before
 * anything else; of its first chunk, the first `#headWritten` bytes were written already (the chunk
 * itself is kept, not a slice of it: a Buffer lent from the I/O threads' arena stays counted, and
 * its memory unshared, until the kernel has it all). `#batch[0, #pos)` holds encoded frames not yet
 * handed to `write`.
 * `#protocolInBatch` counts the protocol bytes among `#batch[0, #pos)`, and `#backlogProtocol[i]` those
 * in `#backlog[i]` (all of the chunk's count while any of it is left: an upper bound), summed in
 * `#protocolInBacklog`.
 * `#run[#runStart, #runEnd)` holds shared encoded frames (appendWire) not yet handed to `write`,
 * newer than everything else queued; while it is set the batch is empty (`#pos` 0): appending to the
 * batch writes the run first, and starting a run writes the batch first.
 */
export class WriteQueue {
  readonly #stream: ByteStream;
  readonly #baseBatch: number;
  readonly #bound: ProtocolBound;
  #limit: number;
  #batch: Uint8Array;
  #pos = 0;
  #backlog: Uint8Array[] = [];
  #headWritten = 0;
  #backlogProtocol: number[] = [];
  #protocolInBatch = 0;
  #protocolInBacklog = 0;
  #closed = false;
  /** `release` of journaled messages (durable swap) in what is queued: run once the kernel has it all. */
  #unreleased: Array<() => void> = [];
  /** A ZMTP 1.0 peer: frame headers are its length-then-flags form (`useV1Framing`). */
  #v1 = false;
  #run: Uint8Array | null = null;
  #runStart = 0;
  #runEnd = 0;

  constructor(stream: ByteStream, outBatchSize: number, bound: ProtocolBound = NO_BOUND) {
    this.#stream = stream;
    this.#baseBatch = Math.max(256, outBatchSize);
    this.#bound = bound;
    this.#limit = this.#baseBatch;
    this.#batch = newBatch(this.#limit + MAX_HEADER);
  }

  /**
   * Protocol output queued here that the kernel has not taken yet, bytes: what waits in the batch
   * (offered at the next flush) plus what the kernel refused (an upper bound: a chunk counts all its
   * protocol bytes until it is written whole). Only the refused part is held against the bound.
   */
  get unreadProtocolBytes(): number {
    return this.#protocolInBatch + this.#protocolInBacklog;
  }

  /** Unsent bytes wait for the kernel; the engine stops pulling messages until `drained`. */
  get backlogged(): boolean {
    return this.#backlog.length > 0;
  }

  /** The current batch (or run of shared frames) reached its size limit: time to `flush()` before encoding more. */
  get batchFull(): boolean {
    return this.#pos >= this.#limit || this.#runEnd - this.#runStart >= MAX_BATCH_BYTES;
  }

  /** Whether frames appended here are ZMTP 3.x frames, which a shared encoding (`appendWire`) holds. */
  get framesAsShared(): boolean {
    return !this.#v1;
  }

  /** From now on frames are written in ZMTP 1.0's form (the peer is a libzmq 2.x one). */
  useV1Framing(): void {
    this.#v1 = true;
  }

  /** Appends one encoded frame. `flags` carries only MORE/COMMAND; LONG is derived. */
  appendFrame(flags: number, body: Uint8Array): void {
    if (this.#run !== null) this.#writeRun();
    const length = body.length;
    if (length >= DIRECT_BODY_BYTES) {
      this.#ensureRoom(MAX_HEADER);
      this.#pos = this.#v1 ? writeV1Header(this.#batch, this.#pos, flags, length) : writeFrameHeader(this.#batch, this.#pos, flags, length);
      this.flush();
      this.#send(body, 0, body.length, false, 0);
      return;
    }
    this.#ensureRoom(MAX_HEADER + length);
    const batch = this.#batch;
    let pos = this.#v1 ? writeV1Header(batch, this.#pos, flags, length) : writeFrameHeader(batch, this.#pos, flags, length);
    if (length <= 16) {
      for (let i = 0; i < length; i++) batch[pos + i] = body[i]!;
    } else {
      batch.set(body, pos);
    }
    this.#pos = pos + length;
  }

  /**
   * Appends the header of a frame of `length` body bytes (`flags` as for appendFrame) and returns
   * where in `batchBytes` its body goes: the caller fills `[at, at + length)` before any other call
   * on this queue. For bodies produced in place (a CURVE MESSAGE sealed into the batch), at any size.
   */
  reserveFrame(flags: number, length: number): number {
    if (this.#run !== null) this.#writeRun();
    this.#ensureRoom(MAX_HEADER + length);
    const at = writeFrameHeader(this.#batch, this.#pos, flags, length);
    this.#pos = at + length;
    return at;
  }

  /** The batch `reserveFrame`'s offsets point into (replaced when it grows or after a partial write). */
  get batchBytes(): Uint8Array {
    return this.#batch;
  }

  /**
   * Appends frames framed once for several connections (wire/shared-encoding.ts); frames that follow
   * the previous ones in their block extend one run, written from the block itself: no copy.
   */
  appendWire(frames: EncodedFrames): void {
    if (this.#run === frames.bytes && this.#runEnd === frames.start) {
      this.#runEnd = frames.end;
      return;
    }
    if (this.#run !== null) this.#writeRun();
    else this.#flushBatch(this.#pos >= this.#limit);
    this.#run = frames.bytes;
    this.#runStart = frames.start;
    this.#runEnd = frames.end;
  }

  /** Appends bytes already encoded that the application sent (a raw engine's data, a subscription command). */
  appendBytes(bytes: Uint8Array): void {
    if (this.#run !== null) this.#writeRun();
    if (bytes.length >= DIRECT_BODY_BYTES) {
      this.flush();
      this.#send(bytes, 0, bytes.length, false, 0);
      return;
    }
    this.#ensureRoom(bytes.length);
    this.#batch.set(bytes, this.#pos);
    this.#pos += bytes.length;
  }

  /**
   * Appends protocol output the engine produced itself, already encoded (the greeting, handshake
   * commands, ERROR, PING, PONG). What of it the kernel refuses counts against the bound.
   */
  appendProtocol(bytes: Uint8Array): void {
    if (this.#run !== null) this.#writeRun();
    if (bytes.length >= DIRECT_BODY_BYTES) {
      this.flush();
      this.#send(bytes, 0, bytes.length, false, bytes.length);
      return;
    }
    this.#ensureRoom(bytes.length);
    this.#batch.set(bytes, this.#pos);
    this.#pos += bytes.length;
    this.#protocolInBatch += bytes.length;
  }

  /** Hands the batch to the kernel (one write). Returns true when nothing is left waiting. */
  flush(): boolean {
    if (this.#run !== null) this.#writeRun();
    this.#flushBatch(this.#pos >= this.#limit);
    if (this.#backlog.length > 0) return false;
    if (this.#unreleased.length > 0 && !this.#closed) this.#release();
    return true;
  }

  /**
   * Runs `release` once everything appended so far has been taken by the kernel: a journaled
   * message's record may go then (swap's durable queues).
   */
  releaseWhenWritten(release: () => void): void {
    this.#unreleased.push(release);
  }

  #release(): void {
    const releases = this.#unreleased;
    this.#unreleased = [];
    for (const release of releases) release();
  }

  /** The stream drained: push the backlog. Returns true when it is empty. */
  drained(): boolean {
    const backlog = this.#backlog;
    while (backlog.length > 0 && !this.#closed) {
      const chunk = backlog[0]!;
      const start = this.#headWritten;
      const written = this.#stream.write(chunk, start, chunk.length - start);
      if (written < 0) return this.#markClosed();
      if (start + written < chunk.length) {
        this.#headWritten = start + written;
        return false;
      }
      backlog.shift();
      this.#headWritten = 0;
      this.#protocolInBacklog -= this.#backlogProtocol.shift()!;
    }
    return backlog.length === 0;
  }

  #ensureRoom(bytes: number): void {
    if (this.#pos + bytes <= this.#limit + MAX_HEADER) return;
    // The batch cannot take this frame: it is full as far as growth is concerned.
    this.#flushBatch(true);
    const wanted = Math.max(bytes, this.#limit + MAX_HEADER);
    if (wanted > this.#batch.length) this.#batch = newBatch(wanted);
  }

  // One write of the batch. A full batch the kernel took whole doubles the limit (adaptive growth).
  #flushBatch(full: boolean): void {
    if (this.#pos === 0) return;
    const protocol = this.#protocolInBatch;
    this.#protocolInBatch = 0;
    const written = this.#send(this.#batch, 0, this.#pos, true, protocol);
    this.#pos = 0;
    if (written && full && this.#limit < MAX_BATCH_BYTES) {
      this.#limit = Math.min(this.#limit * 2, MAX_BATCH_BYTES);
      this.#batch = newBatch(this.#limit + MAX_HEADER);
    }
  }

  #writeRun(): void {
    const run = this.#run!;
    this.#run = null;
    this.#send(run, this.#runStart, this.#runEnd - this.#runStart, false, 0);
  }

  // Returns true when the kernel took `chunk[offset, offset + length)`, of which `protocol` bytes are
  // protocol output. A partial write leaves the rest in the backlog; if `chunk` is our reusable
  // batch, the batch is replaced so the backlog keeps its bytes. Written by offset and length, so a
  // round trip's write allocates no view of the batch; only a backlog needs one.
  #send(chunk: Uint8Array, offset: number, length: number, isBatch: boolean, protocol: number): boolean {
    if (this.#closed) return false;
    if (this.#backlog.length === 0) {
      const written = this.#stream.write(chunk, offset, length);
      if (written === length) return true;
      if (written < 0) return this.#markClosed();
      this.#headWritten = written;
    }
    this.#backlog.push(offset === 0 && length === chunk.length ? chunk : chunk.subarray(offset, offset + length));
    this.#backlogProtocol.push(protocol);
    if (protocol > 0) {
      this.#protocolInBacklog += protocol;
      const max = this.#bound.max;
      if (max >= 0 && this.#protocolInBacklog > max) {
        const unread = this.#protocolInBacklog + this.#protocolInBatch;
        this.#markClosed();
        this.#bound.exceeded(unread);
        return false;
      }
    }
    if (isBatch) {
      this.#limit = this.#baseBatch;
      this.#batch = newBatch(this.#limit + MAX_HEADER);
    }
    return false;
  }

  #markClosed(): false {
    this.#closed = true;
    this.#backlog = [];
    this.#unreleased = [];
    this.#headWritten = 0;
    this.#backlogProtocol = [];
    this.#protocolInBatch = this.#protocolInBacklog = 0;
    this.#pos = 0;
    this.#run = null;
    return false;
  }
}
