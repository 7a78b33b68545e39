// Which of a thread's connections another thread has given work: a single-producer, single-consumer
// queue of connection ids in a SharedArrayBuffer, one per pair of threads and direction. A thread
// woken by its doorbell pumps the connections its ready lists name, O(ready), instead of asking
// every connection it holds, O(connections): with thousands of connections on an I/O thread the
// latter made each wake-up cost milliseconds.
//
// Each connection's flag (RingWriter.markReaderQueued, in the connection's ring) keeps it in the
// queue at most once: the producer queues an id only when it set the flag, and the consumer clears
// the flag before it pumps, so work that arrives during the pump queues the id again. One slot per
// connection therefore suffices; should a thread hold more connections than there are slots and
// all of them get work at once, the producer raises the overflow word instead and the consumer
// pumps every connection once (clearing every flag). Imports doorbell.ts and thread-loop.ts.
//
//   control  Int32 words 64 bytes apart: [0] head (consumer), [16] tail (producer), [32] overflow
//   slots    Int32 ids from byte 192 on, a power of two of them

import type { DoorbellRinger } from "./doorbell.ts";
import type { LoopSource, ThreadLoop } from "./thread-loop.ts";

const HEAD = 0;
const TAIL = 16;
const OVERFLOW = 32;
const CONTROL_WORDS = 48;
const DEFAULT_SLOTS = 16384;

/** The shared memory of a ready list with `slots` ids (a power of two). */
export function createReadyList(slots = DEFAULT_SLOTS): SharedArrayBuffer {
  if (slots < 1 || (slots & (slots - 1)) !== 0) throw new RangeError(`ready list slots must be a power of two, got ${slots}`);
  return new SharedArrayBuffer((CONTROL_WORDS + slots) * 4);
}

abstract class ReadyListEnd {
  protected readonly control: Int32Array;
  protected readonly slots: Int32Array;
  protected readonly mask: number;

  constructor(buffer: SharedArrayBuffer) {
    this.control = new Int32Array(buffer, 0, CONTROL_WORDS);
    this.slots = new Int32Array(buffer, CONTROL_WORDS * 4);
    this.mask = this.slots.length - 1;
  }
}

/**
 * The producing thread's end: queues the ids of connections it gave work; at the end of its loop's
 * turn publishes them with one store and rings the owner once.
 */
export class ReadySender extends ReadyListEnd {
  readonly #owner: DoorbellRinger;
  readonly #loop: ThreadLoop;
  #tail: number;
  #head: number;
  #pending = false;

  constructor(buffer: SharedArrayBuffer, owner: DoorbellRinger, loop: ThreadLoop) {
    super(buffer);
    this.#owner = owner;
    this.#loop = loop;
    this.#tail = Atomics.load(this.control, TAIL) >>> 0;
    this.#head = Atomics.load(this.control, HEAD) >>> 0;
  }

  /** Queues connection `id`, whose flag the caller has just set; the owner hears at the end of this turn. */
  queue(id: number): void {
    if (this.#full()) Atomics.store(this.control, OVERFLOW, 1);
    else {
      this.slots[this.#tail & this.mask] = id;
      this.#tail = (this.#tail + 1) >>> 0;
    }
    if (this.#pending) return;
    this.#pending = true;
    this.#loop.flushAtTurnEnd(this);
  }

  /** Publishes the ids queued this turn and wakes the owning thread. */
  flush(): void {
    this.#pending = false;
    Atomics.store(this.control, TAIL, this.#tail | 0);
    this.#owner.ring();
  }

  #full(): boolean {
    if ((this.#tail - this.#head) >>> 0 < this.slots.length) return false;
    this.#head = Atomics.load(this.control, HEAD) >>> 0;
    return (this.#tail - this.#head) >>> 0 >= this.slots.length;
  }
}

/** A connection a ready list can name: its pump, and the clearing of its flag before it. */
export interface ReadySource {
  pump(): void;
  clearQueued(): void;
}

/** The owning thread's end: a loop source that pumps the connections named, each once per turn. */
export class ReadyReceiver extends ReadyListEnd implements LoopSource {
  readonly #sources = new Map<number, ReadySource>();
  #head: number;
  /** The ids of one turn, reused. */
  #batch: number[] = [];

  constructor(buffer: SharedArrayBuffer) {
    super(buffer);
    this.#head = Atomics.load(this.control, HEAD) >>> 0;
  }

  /** Starts taking ids for `source`; the caller pumps it once (work may have come before this). */
  add(id: number, source: ReadySource): void {
    this.#sources.set(id, source);
    source.clearQueued();
  }

  delete(id: number): void {
    this.#sources.delete(id);
  }

  hasWork(): boolean {
    return Atomics.load(this.control, TAIL) >>> 0 !== this.#head || Atomics.load(this.control, OVERFLOW) !== 0;
  }

  /** Pumps the connections queued so far (ids of connections already gone are dropped). */
  pump(): void {
    const overflow = Atomics.load(this.control, OVERFLOW) !== 0;
    if (overflow) Atomics.store(this.control, OVERFLOW, 0);
    const tail = Atomics.load(this.control, TAIL) >>> 0;
    const batch = this.#batch;
    for (let head = this.#head; head !== tail; head = (head + 1) >>> 0) batch.push(this.slots[head & this.mask]!);
    if (tail !== this.#head) {
      this.#head = tail;
      Atomics.store(this.control, HEAD, tail | 0);
    }
    if (overflow) for (const id of this.#sources.keys()) batch.push(id);
    for (const id of batch) {
      const source = this.#sources.get(id);
      if (source === undefined) continue;
      source.clearQueued();
      source.pump();
    }
    batch.length = 0;
  }
}
