// Incremental ZMTP 3.x frame decoder: chunks of stream bytes in, (flags, body) frames out.
// Zero copy for frames inside one chunk; a frame that spans chunks is collected as its bytes arrive,
// never allocated from the size its header claims (body-assembly.ts; libzmq allocates up front,
// zmtp-notes §2.4). Pure code (no I/O, no timers); imports only src/core.

import { assert } from "../core/errors.ts";
import { BodyAssembly } from "./body-assembly.ts";
import { FLAG_LONG, readLongSize } from "./frame.ts";

/**
 * The largest body we could ever hand out: Bun 1.4.5's `buffer.kMaxLength` (2^32). Hard-coded
 * because src/wire may import only src/core; a unit test checks it against the runtime's value.
 */
export const MAX_BUFFER_LENGTH = 2 ** 32;

// Parser states. The chunk is always fully consumed when next() returns false.
const STATE_FRAME = 0; // at a frame boundary in #chunk
const STATE_HEADER = 1; // #headerLength bytes of a split header saved in #header
const STATE_BODY = 2; // collecting a split body in #assembly
const STATE_FAILED = 3; // fatal error; next() returns false forever

const EMPTY = new Uint8Array(0);

/**
 * Usage, once per received chunk: `feed(chunk)`, then `while (next()) use(flags, body)`, then
 * check `error`. The caller may stop calling `next()` at any frame (back-pressure) and resume
 * later; nothing is lost, but `feed` must wait until `next()` has returned false.
 *
 * `body` is valid until the caller drops it: views share memory with the chunk, which the stream
 * hands over for good (ByteStreamHandler.onData), and split bodies are fresh buffers.
 */
export class FrameDecoder {
  /** Flags byte of the last frame, raw: reserved bits are kept (and ignored), FLAG_LONG may be set. */
  flags = 0;
  /**
   * Body of the last frame, until the next `next()`. A Buffer whenever the chunk it came from was a
   * Buffer, or it was split.
   */
  body: Uint8Array = EMPTY;
  /** Why decoding stopped for good; set together with `errorCode`. */
  error: string | null = null;
  errorCode: "EMSGSIZE" | null = null;

  readonly #maxFrameSize: number;
  // Largest acceptable body: min(maxFrameSize, MAX_BUFFER_LENGTH). One comparison against it also
  // rejects every size >= 2^53, since readLongSize never returns less than 2^53 for those.
  readonly #limit: number;
  #state = STATE_FRAME;
  #chunk: Uint8Array = EMPTY;
  #pos = 0;
  #header = new Uint8Array(9);
  #headerLength = 0;
  // The frame being assembled across chunks (STATE_BODY).
  #pendingFlags = 0;
  #size = 0;
  readonly #assembly = new BodyAssembly();

  /** `maxFrameSize`: largest body accepted, in bytes; -1 (any negative) means only the Buffer limit. */
  constructor(maxFrameSize: number) {
    this.#maxFrameSize = maxFrameSize;
    this.#limit = maxFrameSize >= 0 ? Math.min(maxFrameSize, MAX_BUFFER_LENGTH) : MAX_BUFFER_LENGTH;
  }

  /**
   * Hands the decoder `chunk`, to decode from `offset` (e.g. past the greeting). Only call once
   * `next()` has returned false without error: the previous chunk must be fully consumed. After an
   * error it does nothing.
   */
  feed(chunk: Uint8Array, offset = 0): void {
    if (this.#state === STATE_FAILED) return;
    assert(this.#pos === this.#chunk.length, "FrameDecoder.feed() called before the previous chunk was consumed");
    assert(offset >= 0 && offset <= chunk.length, "FrameDecoder.feed() offset outside the chunk");
    this.#chunk = chunk;
    this.#pos = offset;
  }

  /**
   * Decodes the next frame. True: `flags` and `body` describe it. False: the chunk is used up
   * (feed the next one) or `error` is set.
   */
  next(): boolean {
    // Fast path: a whole frame inside the chunk, short or long. Split frames, size errors and the
    // end of the chunk take #nextSlow().
    const chunk = this.#chunk;
    const pos = this.#pos;
    const available = chunk.length - pos;
    if (this.#state === STATE_FRAME && available >= 2) {
      const flags = chunk[pos]!;
      let size: number;
      let start: number;
      if ((flags & FLAG_LONG) === 0) {
        size = chunk[pos + 1]!;
        start = pos + 2;
      } else if (available >= 9) {
        size = readLongSize(chunk, pos + 1);
        start = pos + 9;
      } else {
        return this.#nextSlow();
      }
      const end = start + size;
      if (end <= chunk.length && size <= this.#limit) {
        this.flags = flags;
        this.body = chunk.subarray(start, end);
        this.#pos = end;
        return true;
      }
    }
    return this.#nextSlow();
  }

  #nextSlow(): boolean {
    switch (this.#state) {
      case STATE_FRAME: {
        const chunk = this.#chunk;
        const pos = this.#pos;
        const available = chunk.length - pos;
        if (available === 0) return this.#consumed();
        // RFC 23: a LONG flag means an 8-byte size; libzmq accepts it for small bodies too (§2.4).
        const headerSize = (chunk[pos]! & FLAG_LONG) === 0 ? 2 : 9;
        if (available < headerSize) {
          this.#header.set(chunk.subarray(pos), 0);
          this.#headerLength = available;
          this.#state = STATE_HEADER;
          return this.#consumed();
        }
        const size = headerSize === 2 ? chunk[pos + 1]! : readLongSize(chunk, pos + 1);
        this.#pos = pos + headerSize;
        return this.#beginBody(chunk[pos]!, size);
      }
      case STATE_HEADER:
        return this.#continueHeader();
      case STATE_BODY:
        return this.#continueBody();
      default:
        return false;
    }
  }

  /** Completes a header split across chunks, then starts its body in the current chunk. */
  #continueHeader(): boolean {
    const header = this.#header;
    const headerSize = (header[0]! & FLAG_LONG) === 0 ? 2 : 9;
    const take = Math.min(headerSize - this.#headerLength, this.#chunk.length - this.#pos);
    header.set(this.#chunk.subarray(this.#pos, this.#pos + take), this.#headerLength);
    this.#headerLength += take;
    this.#pos += take;
    if (this.#headerLength < headerSize) return this.#consumed();
    this.#state = STATE_FRAME;
    return this.#beginBody(header[0]!, headerSize === 2 ? header[1]! : readLongSize(header, 1));
  }

  /** Header read, `#pos` at the body: checks the size, then yields a view or starts assembling. */
  #beginBody(flags: number, size: number): boolean {
    // Checked before anything is allocated: the size is the peer's claim, not bytes received.
    if (size > this.#limit) return this.#failSize(size);
    const chunk = this.#chunk;
    const start = this.#pos;
    if (size <= chunk.length - start) {
      this.flags = flags;
      this.body = chunk.subarray(start, start + size);
      this.#pos = start + size;
      return true;
    }
    this.#pendingFlags = flags;
    this.#size = size;
    this.#state = STATE_BODY;
    return this.#continueBody();
  }

  #continueBody(): boolean {
    const assembly = this.#assembly;
    const remaining = this.#size - assembly.received;
    const take = Math.min(remaining, this.#chunk.length - this.#pos);
    assembly.add(this.#chunk.subarray(this.#pos, this.#pos + take), remaining);
    this.#pos += take;
    if (assembly.received < this.#size) return this.#consumed();
    return this.#finishAssembled(assembly.join());
  }

  #finishAssembled(body: Uint8Array): true {
    this.flags = this.#pendingFlags;
    this.body = body;
    this.#state = STATE_FRAME;
    return true;
  }

  /**
   * The chunk is used up: drop it, and the last frame's body (a view that would pin the chunk's
   * memory), so an idle or closed connection keeps no received bytes alive. The caller has used
   * `body` by now: it is only valid between a `next()` that returned true and the next call.
   */
  #consumed(): false {
    this.#chunk = EMPTY;
    this.#pos = 0;
    this.body = EMPTY;
    return false;
  }

  #failSize(size: number): false {
    this.error =
      size > this.#maxFrameSize && this.#maxFrameSize >= 0
        ? `frame of ${formatSize(size)} bytes exceeds the maximum message size of ${this.#maxFrameSize}`
        : `frame of ${formatSize(size)} bytes exceeds the largest buffer this runtime can allocate (${MAX_BUFFER_LENGTH})`;
    this.errorCode = "EMSGSIZE";
    this.#state = STATE_FAILED;
    this.#assembly.clear();
    return this.#consumed();
  }
}

/** Sizes of 2^53 and more are inexact as numbers; say so rather than print a rounded value. */
function formatSize(size: number): string {
  return size < Number.MAX_SAFE_INTEGER ? String(size) : "2^53 or more";
}
