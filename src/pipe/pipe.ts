// One direction of a connection: a bounded FIFO of whole messages with a high-water mark, and
// optionally an overflow queue beyond it (the `swap` option). Imports only core and overflow.ts.
// Multipart messages enter and leave whole, so there is nothing to roll back.

import type { Message } from "../core/message.ts";
import type { Overflow } from "./overflow.ts";

const NOOP = (): void => {};
const INITIAL_SLOTS = 16;

/**
 * The writer checks `canWrite()` before `write()`; a writer that skips the check (the engine
 * decoding a chunk it already holds) may overshoot the high-water mark, and must then pause its
 * source until `onWritable`.
 *
 * Invariants: `#count` messages sit in `#ring` from `#head` (mod capacity); capacity is a power of
 * two; `#writerWaiting` is true iff a writer was refused since the last `onWritable`. With an
 * overflow, every message in it is newer than every message in the ring, so while it holds any,
 * writes go to it too; it is loaded back into the ring when the ring drains to the low-water mark.
 */
export class Pipe {
  /** Messages, counted whole; 0 means unlimited. Changed only by `resize`. */
  highWaterMark: number;
  /** After a refusal, the writer is woken once the queue falls to this size (libzmq's LWM). */
  lowWaterMark: number;
  /** Called when the queue turns non-empty, or when the writer ends it. Set by the reader. May re-enter `read()`. */
  onReadable: () => void = NOOP;
  /** Called when a refused writer may write again. Set by the writer. */
  onWritable: () => void = NOOP;

  #ring: Array<Message | undefined>;
  #mask: number;
  #head = 0;
  #count = 0;
  #ended = false;
  #writerWaiting = false;
  /** ZMQ_CONFLATE: only the newest message is kept; a write replaces whatever is queued. */
  readonly conflate: boolean;
  #overflow: Overflow | null = null;
  /** Whether `read()` calls a journaled message's `release`; a reader that holds messages in flight clears it and calls it later. */
  releasesOnRead = true;
  /**
   * Set by the reader when it is a ZMTP engine that can write a message's shared encoding
   * (`Message.wire`) as it is: ZMTP 3.x framing, no CURVE. A distributing socket frames a message
   * once only when every pipe it goes to takes it.
   */
  takesWire = false;

  constructor(highWaterMark: number, conflate = false) {
    this.conflate = conflate;
    this.highWaterMark = highWaterMark > 0 && !conflate ? highWaterMark : 0;
    this.lowWaterMark = this.highWaterMark === 0 ? 0 : lowWaterMarkFor(this.highWaterMark);
    // The queue grows as messages wait (#grow): most pipes hold a few at a time, and a slot per
    // message up to the high-water mark, taken at once, cost 8 KiB per pipe.
    this.#ring = new Array(INITIAL_SLOTS);
    this.#mask = INITIAL_SLOTS - 1;
  }

  /**
   * A new high-water mark for a live pipe (libzmq applies ZMQ_SNDHWM / ZMQ_RCVHWM to existing
   * pipes). Queued messages stay; a refused writer is woken if the new mark leaves it room.
   */
  resize(highWaterMark: number): void {
    if (this.conflate) return;
    this.highWaterMark = Math.max(highWaterMark, 0);
    this.lowWaterMark = this.highWaterMark === 0 ? 0 : lowWaterMarkFor(this.highWaterMark);
    if (this.#writerWaiting && !this.full) {
      this.#writerWaiting = false;
      this.onWritable();
    }
  }

  /** Messages queued, those in the overflow included. */
  get size(): number {
    return this.#count + (this.#overflow?.size ?? 0);
  }

  /**
   * Gives the pipe a queue for messages beyond its high-water mark (the writer's side sets it; a
   * conflating or unbounded pipe never needs one). The previous one, if any, is closed.
   */
  setOverflow(overflow: Overflow | null): void {
    if (this.#overflow !== null) {
      while (this.#overflow.size > 0 && this.#count < this.highWaterMark) this.#push(this.#overflow.shift()!);
      this.#overflow.close();
    }
    this.#overflow = this.conflate ? null : overflow;
  }

  /** True once the writer has ended the pipe; the reader may still drain what is queued. */
  get ended(): boolean {
    return this.#ended;
  }

  get full(): boolean {
    if (this.highWaterMark === 0 || !this.#spills()) return false;
    return this.#overflow === null || !this.#overflow.hasRoom();
  }

  /** Whether one more message fits, in memory or in the overflow; a refusal arms `onWritable`. */
  canWrite(): boolean {
    if (!this.full) return !this.#ended;
    this.#writerWaiting = true;
    return false;
  }

  write(message: Message): void {
    if (this.conflate && this.#count > 0) {
      this.#ring[this.#head] = message;
      return;
    }
    // Order: once anything waits in the overflow, newer messages queue behind it there.
    if (this.#overflow !== null && this.#spills()) this.#overflow.push(message);
    else this.#push(message);
  }

  read(): Message | undefined {
    if (this.#count === 0 && !this.#refill()) return undefined;
    const slot = this.#head;
    const message = this.#ring[slot];
    this.#ring[slot] = undefined;
    this.#head = (slot + 1) & this.#mask;
    this.#count--;
    // A journaled message (durable swap) is now the reader's: its record may be deleted, unless
    // the reader releases it itself once the bytes are the kernel's (the ZMTP engine).
    if (this.releasesOnRead && message!.release !== undefined) {
      message!.release();
      message!.release = undefined;
    }
    if (this.#count <= this.lowWaterMark) {
      if (this.#overflow !== null) this.#refill();
      if (this.#writerWaiting && !this.full) {
        this.#writerWaiting = false;
        this.onWritable();
      }
    }
    return message;
  }

  peek(): Message | undefined {
    if (this.#count === 0) this.#refill();
    return this.#count === 0 ? undefined : this.#ring[this.#head];
  }

  /** The writer is gone for good. Queued messages stay readable. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.onReadable();
  }

  /** Discards every queued message and returns how many there were (ZeroMQ drops these on disconnect). */
  clear(): number {
    const dropped = this.#count + (this.#overflow?.clear() ?? 0);
    this.#ring.fill(undefined);
    this.#head = 0;
    this.#count = 0;
    if (this.#writerWaiting) {
      this.#writerWaiting = false;
      this.onWritable();
    }
    return dropped;
  }

  /** Whether a write now goes past the high-water mark: the ring is full or the overflow holds messages. */
  #spills(): boolean {
    return (this.highWaterMark !== 0 && this.#count >= this.highWaterMark) || (this.#overflow?.size ?? 0) > 0;
  }

  #push(message: Message): void {
    this.#append(message);
    if (this.#count === 1) this.onReadable();
  }

  #append(message: Message): void {
    if (this.#count === this.#ring.length) this.#grow();
    this.#ring[(this.#head + this.#count) & this.#mask] = message;
    this.#count++;
  }

  /** Loads overflowed messages back into the ring up to the high-water mark; true if any came. */
  #refill(): boolean {
    const overflow = this.#overflow;
    if (overflow === null || overflow.size === 0) return false;
    const before = this.#count;
    const limit = Math.max(this.highWaterMark, 1);
    while (this.#count < limit) {
      const message = overflow.shift();
      if (message === undefined) break;
      this.#append(message);
    }
    return this.#count > before;
  }

  #grow(): void {
    const old = this.#ring;
    const ring = new Array<Message | undefined>(old.length * 2);
    for (let i = 0; i < this.#count; i++) ring[i] = old[(this.#head + i) & this.#mask];
    this.#ring = ring;
    this.#mask = ring.length - 1;
    this.#head = 0;
  }
}

// libzmq wakes a blocked writer at half the HWM for small marks and HWM - 1024 for large ones,
// which trades a little latency for far fewer wake-ups under load.
function lowWaterMarkFor(highWaterMark: number): number {
  const MAX_DELTA = 1024;
  return highWaterMark > 2 * MAX_DELTA ? highWaterMark - MAX_DELTA : Math.floor((highWaterMark + 1) / 2);
}
