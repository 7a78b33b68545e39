// A single-producer, single-consumer ring of variable-length records in a SharedArrayBuffer: the
// pipe between the application thread and an I/O Worker (bun-notes §3.4). Publication is batched:
// the writer fills records privately and makes them visible with one `publish()`; the reader takes
// everything published in one `drain()`, then releases the space with one store. Per-message
// atomics would make the cache line bounce; per-batch ones measured 5-12x faster. Imports nothing.
//
//   control  Int32 words 64 bytes apart: [0] head (reader), [16] tail (writer), [32] writer waits
//   record   u32 length, u32 tag, payload, padded to 8 bytes; a record that would run past the end
//            starts at 0 instead, after a skip marker (length 0xffffffff) where one fits
//
// Positions count bytes for ever (mod 2^32), so full and empty differ without a spare slot. The
// owner threads' doorbells (doorbell.ts) carry the wake-ups; this file only says when one is due.

const HEAD = 0;
const TAIL = 16;
const WRITER_WAITING = 32;
const CONTROL_BYTES = 192;
const HEADER_BYTES = 8;
const SKIP = 0xffffffff;

/** Creates the shared memory of a ring with `capacity` bytes of records (a power of two, >= 64). */
export function createRing(capacity: number): SharedArrayBuffer {
  if (capacity < 64 || (capacity & (capacity - 1)) !== 0)
    throw new RangeError(`ring capacity must be a power of two >= 64, got ${capacity}`);
  return new SharedArrayBuffer(CONTROL_BYTES + capacity);
}

/** The largest payload a ring of `capacity` bytes accepts in one record. */
export function maxRecordPayload(capacity: number): number {
  return capacity / 2 - HEADER_BYTES;
}

const pad = (n: number): number => (n + 7) & ~7;

abstract class RingEnd {
  protected readonly control: Int32Array;
  protected readonly data: Uint8Array;
  protected readonly view: DataView;
  protected readonly capacity: number;
  protected readonly mask: number;

  constructor(buffer: SharedArrayBuffer) {
    this.control = new Int32Array(buffer, 0, CONTROL_BYTES / 4);
    this.capacity = buffer.byteLength - CONTROL_BYTES;
    this.data = new Uint8Array(buffer, CONTROL_BYTES, this.capacity);
    this.view = new DataView(buffer, CONTROL_BYTES, this.capacity);
    this.mask = this.capacity - 1;
  }
}

export class RingWriter extends RingEnd {
  /** Our tail, ahead of the published one while a batch is being written. */
  #tail: number;
  /** The reader's head as last read; re-read only when it seems full. */
  #head: number;

  constructor(buffer: SharedArrayBuffer) {
    super(buffer);
    this.#tail = Atomics.load(this.control, TAIL) >>> 0;
    this.#head = Atomics.load(this.control, HEAD) >>> 0;
  }

  /** Appends a record holding `payload`. */
  tryWriteBytes(tag: number, payload: Uint8Array): boolean {
    return this.tryWriteFrom(tag, payload, 0, payload.length);
  }

  /**
   * Appends a record holding `source[start, start + length)`. False when it does not fit now (the
   * caller waits for space, see `waitForRecord`); a payload over `maxRecordPayload` never fits, so
   * larger ones go in several records (message-ring.ts). Small payloads are copied byte by byte,
   * cheaper than `set` below about 32 bytes.
   */
  tryWriteFrom(tag: number, source: Uint8Array, start: number, length: number): boolean {
    const size = HEADER_BYTES + pad(length);
    const skip = this.#skipFor(size);
    if (!this.#fits(skip + size)) return false;
    let at = this.#tail & this.mask;
    if (skip > 0) {
      this.view.setUint32(at, SKIP, true);
      this.#tail = (this.#tail + skip) >>> 0;
      at = 0;
    }
    this.view.setUint32(at, length, true);
    this.view.setUint32(at + 4, tag >>> 0, true);
    const data = this.data;
    const to = at + HEADER_BYTES;
    if (length <= 32) for (let i = 0; i < length; i++) data[to + i] = source[start + i]!;
    else data.set(start === 0 && length === source.length ? source : source.subarray(start, start + length), to);
    this.#tail = (this.#tail + size) >>> 0;
    return true;
  }

  /** Makes every record written so far visible to the reader; true if there was anything new. */
  publish(): boolean {
    if (Atomics.load(this.control, TAIL) >>> 0 === this.#tail) return false;
    Atomics.store(this.control, TAIL, this.#tail | 0);
    return true;
  }

  /**
   * Announces that the writer waits for room for `bytes`; true if the room is there already (write
   * now instead of sleeping). Otherwise the reader's `takeWriterWaiting()` turns true once, after
   * it frees space, and its thread rings ours.
   */
  waitForSpace(bytes: number): boolean {
    Atomics.store(this.control, WRITER_WAITING, 1);
    if (this.#fits(bytes)) {
      Atomics.store(this.control, WRITER_WAITING, 0);
      return true;
    }
    return false;
  }

  /** `waitForSpace` for the record `tryWrite` would write next: its payload and any skip before it. */
  waitForRecord(length: number): boolean {
    const size = HEADER_BYTES + pad(length);
    return this.waitForSpace(this.#skipFor(size) + size);
  }

  /** Bytes skipped at the end of the ring before a record of `size` (0 when it fits before the end). */
  #skipFor(size: number): number {
    const toEnd = this.capacity - (this.#tail & this.mask);
    return size > toEnd ? toEnd : 0;
  }

  #fits(bytes: number): boolean {
    if (bytes > this.capacity - ((this.#tail - this.#head) >>> 0)) {
      this.#head = Atomics.load(this.control, HEAD) >>> 0;
      return bytes <= this.capacity - ((this.#tail - this.#head) >>> 0);
    }
    return true;
  }
}

export class RingReader extends RingEnd {
  #head: number;

  constructor(buffer: SharedArrayBuffer) {
    super(buffer);
    this.#head = Atomics.load(this.control, HEAD) >>> 0;
  }

  /** Whether published records wait (for a doorbell's `hasWork`). */
  get readable(): boolean {
    return Atomics.load(this.control, TAIL) >>> 0 !== this.#head;
  }

  /**
   * Hands every published record to `visit` (a view valid only during the call: copy what you
   * keep), then frees their space with one store. `visit` may return false to refuse a record for
   * now: it and the rest stay for the next drain. Returns how many records were taken.
   */
  drain(visit: (tag: number, payload: Uint8Array) => boolean | void): number {
    const tail = Atomics.load(this.control, TAIL) >>> 0;
    let head = this.#head;
    let count = 0;
    while (head !== tail) {
      const at = head & this.mask;
      const length = this.view.getUint32(at, true);
      if (length === SKIP) {
        head = (head + (this.capacity - at)) >>> 0;
        continue;
      }
      const tag = this.view.getUint32(at + 4, true);
      const payload = this.data.subarray(at + HEADER_BYTES, at + HEADER_BYTES + length);
      if (visit(tag, payload) === false) break;
      count++;
      head = (head + HEADER_BYTES + pad(length)) >>> 0;
    }
    if (head !== this.#head) {
      this.#head = head;
      Atomics.store(this.control, HEAD, head | 0);
    }
    return count;
  }

  /** True once after the writer announced a wait for space: ring the writer's thread. */
  takeWriterWaiting(): boolean {
    return Atomics.load(this.control, WRITER_WAITING) === 1 && Atomics.compareExchange(this.control, WRITER_WAITING, 1, 0) === 1;
  }
}
