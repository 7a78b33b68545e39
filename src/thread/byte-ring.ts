// A single-producer, single-consumer ring of variable-length records in a SharedArrayBuffer: the
// pipe between the application thread and an I/O Worker (bun-notes §3.4). Publication is batched:
// the writer fills records privately and makes them visible with one `publish()`; the reader takes
// everything published in one `drain()`, then releases the space with one store. Per-message
// atomics would make the cache line bounce; per-batch ones measured 5-12x faster. Imports nothing.
//
//   control  Int32 words: [0] head (reader), [16] tail (writer), [32] writer waits, [33] reader
//            queued (flags both threads set and clear); each side's word on its own cache line
//   record   u32 length, u32 tag, payload, padded to 8 bytes; a record that would run past the end
//            starts at 0 instead, after a skip marker (length 0xffffffff) where one fits
//   move     a writer given a RingMover starts in a small ring and moves to a larger one (at least
//            four times the size, up to the mover's maximum) when a record does not fit: it leaves a
//            move marker (length 0xfffffffe) after its last record, publishes it, hands the new
//            buffer to the reader's thread (`moved`, which posts it) and writes on there. The reader
//            drains up to the marker and goes on in the buffers `follow()` gave it, in order,
//            stalling at the marker until the next one arrives. Rings are plain buffers, so small
//            ones pack densely in memory, and an outgrown one is freed once both threads drop it.
//
// Positions count bytes for ever (mod 2^32), so full and empty differ without a spare slot. The
// owner threads' doorbells (doorbell.ts) carry the wake-ups; this file only says when one is due.

const HEAD = 0;
const TAIL = 16;
const WRITER_WAITING = 32;
const READER_QUEUED = 33;
const CONTROL_BYTES = 192;
const HEADER_BYTES = 8;
/** Marker lengths (0xffffffff, 0xfffffffe), as the Int32 words that hold them. */
const SKIP = -1;
const MOVED = -2;
const GROWTH = 4; // a ring that moves grows at least four times over

/** Creates the shared memory of a ring with `capacity` bytes of records (a power of two, >= 64). */
export function createRing(capacity: number): SharedArrayBuffer {
  if (capacity < 64 || (capacity & (capacity - 1)) !== 0)
    throw new RangeError(`ring capacity must be a power of two >= 64, got ${capacity}`);
  return new SharedArrayBuffer(CONTROL_BYTES + capacity);
}

/** The record capacity of a ring's buffer. */
export function ringCapacity(buffer: SharedArrayBuffer): number {
  return buffer.byteLength - CONTROL_BYTES;
}

/** The largest payload a ring of `capacity` bytes accepts in one record. */
export function maxRecordPayload(capacity: number): number {
  return capacity / 2 - HEADER_BYTES;
}

/** How a writer's ring moves to a larger buffer once a record does not fit. */
export interface RingMover {
  /** The largest capacity to move to (a power of two). */
  readonly maxCapacity: number;
  /** Hands the new buffer to the reader's thread, for its `RingReader.follow`; in order. */
  moved(buffer: SharedArrayBuffer): void;
}

const pad = (n: number): number => (n + 7) & ~7;

abstract class RingEnd {
  /** The whole buffer as words: the control words, and the record headers (at `header(at)`). */
  protected words!: Int32Array;
  protected data!: Uint8Array;
  protected capacity = 0;
  protected mask = 0;

  constructor(buffer: SharedArrayBuffer) {
    this.attach(buffer);
  }

  /** Views `buffer` as the ring (the one given at construction, or the one it moved to). */
  protected attach(buffer: SharedArrayBuffer): void {
    this.words = new Int32Array(buffer);
    this.capacity = ringCapacity(buffer);
    this.data = new Uint8Array(buffer, CONTROL_BYTES, this.capacity);
    this.mask = this.capacity - 1;
  }
}

/** The word index of the header of the record at data offset `at` (8-aligned, so is the word). */
const header = (at: number): number => (CONTROL_BYTES + at) >> 2;

export class RingWriter extends RingEnd {
  /** Our tail, ahead of the published one while a batch is being written. */
  #tail = 0;
  /** The reader's head as last read; re-read only when it seems full. */
  #head = 0;
  readonly #mover: RingMover | null;

  constructor(buffer: SharedArrayBuffer, mover: RingMover | null = null) {
    super(buffer);
    this.#mover = mover;
    this.#tail = Atomics.load(this.words, TAIL) >>> 0;
    this.#head = Atomics.load(this.words, HEAD) >>> 0;
  }

  /** Appends a record holding `payload`. */
  tryWriteBytes(tag: number, payload: Uint8Array): boolean {
    return this.tryWriteFrom(tag, payload, 0, payload.length);
  }

  /**
   * Appends a record holding `source[start, start + length)`, moving to a larger ring if the mover
   * allows. False when it does not fit now (the caller waits for space, see `waitForRecord`); a
   * payload over `maxRecordPayload` of the largest capacity never fits, so larger ones go in
   * several records (message-ring.ts). Small payloads are copied byte by byte, cheaper than `set`
   * below about 32 bytes.
   */
  tryWriteFrom(tag: number, source: Uint8Array, start: number, length: number): boolean {
    const size = HEADER_BYTES + pad(length);
    let skip = this.#skipFor(size);
    if (!this.#fits(skip + size)) {
      if (!this.#move(size)) return false;
      skip = 0;
    }
    let at = this.#tail & this.mask;
    if (skip > 0) {
      this.words[header(at)] = SKIP;
      this.#tail = (this.#tail + skip) >>> 0;
      at = 0;
    }
    const word = header(at);
    this.words[word] = length;
    this.words[word + 1] = tag;
    const data = this.data;
    const to = at + HEADER_BYTES;
    if (length <= 32) for (let i = 0; i < length; i++) data[to + i] = source[start + i]!;
    else data.set(start === 0 && length === source.length ? source : source.subarray(start, start + length), to);
    this.#tail = (this.#tail + size) >>> 0;
    return true;
  }

  /** Makes every record written so far visible to the reader; true if there was anything new. */
  publish(): boolean {
    if (Atomics.load(this.words, TAIL) >>> 0 === this.#tail) return false;
    Atomics.store(this.words, TAIL, this.#tail | 0);
    return true;
  }

  /**
   * Announces that the writer waits for room for `bytes`; true if the room is there already (write
   * now instead of sleeping). Otherwise the reader's `takeWriterWaiting()` turns true once, after
   * it frees space, and its thread rings ours.
   */
  waitForSpace(bytes: number): boolean {
    Atomics.store(this.words, WRITER_WAITING, 1);
    if (this.#fits(bytes)) {
      Atomics.store(this.words, WRITER_WAITING, 0);
      return true;
    }
    return false;
  }

  /** `waitForSpace` for the record `tryWrite` would write next; true at once if the ring can move for it. */
  waitForRecord(length: number): boolean {
    const size = HEADER_BYTES + pad(length);
    if (this.#movedCapacity(size) > 0) return true;
    return this.waitForSpace(this.#skipFor(size) + size);
  }

  /**
   * Marks the reader as queued on its thread's ready list (ready-list.ts); true if it was not yet,
   * and the caller must queue it. The reader's thread clears the mark before it looks at the ring.
   */
  markReaderQueued(): boolean {
    // Under load the mark is mostly set already: a load is cheaper than an exchange.
    return Atomics.load(this.words, READER_QUEUED) === 0 && Atomics.exchange(this.words, READER_QUEUED, 1) === 0;
  }

  /** Bytes skipped at the end of the ring before a record of `size` (0 when it fits before the end). */
  #skipFor(size: number): number {
    const toEnd = this.capacity - (this.#tail & this.mask);
    return size > toEnd ? toEnd : 0;
  }

  /** Whether `bytes` fit, keeping room for a move marker while the ring can still move. */
  #fits(bytes: number): boolean {
    const need = bytes + (this.#mover !== null && this.capacity < this.#mover.maxCapacity ? HEADER_BYTES : 0);
    if (need > this.capacity - ((this.#tail - this.#head) >>> 0)) {
      this.#head = Atomics.load(this.words, HEAD) >>> 0;
      return need <= this.capacity - ((this.#tail - this.#head) >>> 0);
    }
    return true;
  }

  /** The capacity a move for a record of `size` goes to; 0 when the ring cannot move. */
  #movedCapacity(size: number): number {
    const max = this.#mover?.maxCapacity ?? 0;
    if (this.capacity >= max || size > max / 2) return 0;
    let capacity = this.capacity * GROWTH;
    while (capacity < max && capacity / 2 < size + HEADER_BYTES) capacity *= GROWTH;
    return Math.min(capacity, max);
  }

  /** Moves to a larger ring for a record of `size`, leaving the marker here; false when it cannot. */
  #move(size: number): boolean {
    const capacity = this.#movedCapacity(size);
    if (capacity === 0) return false;
    this.words[header(this.#tail & this.mask)] = MOVED;
    this.#tail = (this.#tail + HEADER_BYTES) >>> 0;
    this.publish();
    const buffer = createRing(capacity);
    this.#mover!.moved(buffer);
    this.attach(buffer);
    this.#tail = 0;
    this.#head = 0;
    return true;
  }
}

export class RingReader extends RingEnd {
  #head: number;
  /** Buffers the writer moved to, in order, not yet reached. */
  readonly #next: SharedArrayBuffer[] = [];
  /** At a move marker, waiting for the buffer that follows it. */
  #stalled = false;

  constructor(buffer: SharedArrayBuffer) {
    super(buffer);
    this.#head = Atomics.load(this.words, HEAD) >>> 0;
  }

  /** Whether published records wait that a drain can take now. */
  get readable(): boolean {
    return !this.#stalled && Atomics.load(this.words, TAIL) >>> 0 !== this.#head;
  }

  /** At a move marker, the next ring not here yet: records are in flight though none is readable. */
  get awaitingRing(): boolean {
    return this.#stalled;
  }

  /** The writer moved to `buffer` (its mover's `moved`, delivered here): the reader goes on there at its marker. */
  follow(buffer: SharedArrayBuffer): void {
    this.#next.push(buffer);
    if (this.#stalled) this.#advance();
  }

  /**
   * Hands every published record to `visit` (a view valid only during the call: copy what you
   * keep), then frees their space with one store. `visit` may return false to refuse a record for
   * now: it and the rest stay for the next drain. Returns how many records were taken.
   */
  drain(visit: (tag: number, payload: Uint8Array) => boolean | void): number {
    let tail = Atomics.load(this.words, TAIL) >>> 0;
    let head = this.#head;
    let count = 0;
    while (head !== tail) {
      const at = head & this.mask;
      const word = header(at);
      const length = this.words[word]!;
      if (length === SKIP) {
        head = (head + (this.capacity - at)) >>> 0;
        continue;
      }
      if (length === MOVED) {
        this.#head = head;
        this.#stalled = true;
        if (!this.#advance()) return count;
        head = this.#head;
        tail = Atomics.load(this.words, TAIL) >>> 0;
        continue;
      }
      const tag = this.words[word + 1]! >>> 0;
      const payload = this.data.subarray(at + HEADER_BYTES, at + HEADER_BYTES + length);
      if (visit(tag, payload) === false) break;
      count++;
      head = (head + HEADER_BYTES + pad(length)) >>> 0;
    }
    if (head !== this.#head) {
      this.#head = head;
      Atomics.store(this.words, HEAD, head | 0);
    }
    return count;
  }

  /** True once after the writer announced a wait for space: ring the writer's thread. */
  takeWriterWaiting(): boolean {
    return Atomics.load(this.words, WRITER_WAITING) === 1 && Atomics.compareExchange(this.words, WRITER_WAITING, 1, 0) === 1;
  }

  /** Clears the mark `RingWriter.markReaderQueued` set: done before looking at the ring, so no record is missed. */
  clearQueued(): void {
    Atomics.store(this.words, READER_QUEUED, 0);
  }

  /**
   * Leaves the move marker for the next buffer if it has arrived; false while it has not. The new
   * ring's queued mark is cleared before it is read, as the ready list would have done.
   */
  #advance(): boolean {
    const next = this.#next.shift();
    if (next === undefined) return false;
    this.#stalled = false;
    this.attach(next);
    this.#head = 0;
    this.clearQueued();
    return true;
  }
}
