// Load-balance (libzmq lb): round-robin over outbound pipes that have room, with an optional
// overflow queue in front of them (the `swap` option). Imports pipe and core only.

import type { Message } from "../core/message.ts";
import type { Overflow } from "../pipe/overflow.ts";
import type { Pipe } from "../pipe/pipe.ts";

/**
 * Each complete message goes to the next pipe after the last one used that is below its
 * high-water mark. Full pipes are skipped (and armed so their `onWritable` fires), never dropped.
 *
 * With an overflow, a message no pipe has room for (or that finds older ones waiting there) joins
 * the overflow instead, before any pipe is chosen: it goes to whichever pipe has room when its
 * turn comes (`#refill`, run whenever a pipe is attached or wakes its writer). Invariant: while
 * the overflow holds messages, every pipe is full or armed, so a wake-up always follows.
 */
export class LoadBalance {
  #pipes: Pipe[] = [];
  #next = 0;
  #overflow: Overflow | null = null;
  /**
   * Told of each message `send` queued as it reaches a pipe, in order: at once, or when it leaves
   * the overflow (REQ takes its reply from the pipe its last request went to).
   */
  onPlaced: (pipe: Pipe) => void = () => {};

  get size(): number {
    return this.#pipes.length;
  }

  /** Messages waiting in the overflow queue. */
  get queued(): number {
    return this.#overflow?.size ?? 0;
  }

  /**
   * Chains onto the pipe's `onWritable` (which the socket set first) so waiting overflow moves on
   * before the socket's writer is told there is room: that keeps the order of messages.
   */
  attach(pipe: Pipe): void {
    this.#pipes.push(pipe);
    const wake = pipe.onWritable;
    pipe.onWritable = () => {
      this.#refill();
      wake();
    };
    this.#refill();
  }

  /** Puts the overflow queue in front of the pipes, or removes it (what it held moves on first). */
  setOverflow(overflow: Overflow | null): void {
    this.#refill();
    this.#overflow?.close();
    this.#overflow = overflow;
    if (overflow === null) return;
    overflow.onAvailable = () => this.#refill();
    this.#refill();
  }

  detach(pipe: Pipe): void {
    const index = this.#pipes.indexOf(pipe);
    if (index < 0) return;
    this.#pipes.splice(index, 1);
    if (this.#next > index) this.#next--;
    if (this.#next >= this.#pipes.length) this.#next = 0;
  }

  /** Queues `message` on the next pipe with room, or in the overflow; false if neither has room. */
  send(message: Message): boolean {
    const overflow = this.#overflow;
    if (overflow === null) return this.#sendToPipe(message);
    // A journal takes every message first; it reaches a pipe once it is on disk.
    if (overflow.size === 0 && !overflow.journals && this.#sendToPipe(message)) return true;
    if (!overflow.hasRoom()) return false;
    overflow.push(message);
    return true;
  }

  /** Queues `message` on the next pipe with room; false if none has room. */
  #sendToPipe(message: Message): boolean {
    const pipe = this.#nextWithRoom();
    if (pipe === null) return false;
    pipe.write(message);
    this.onPlaced(pipe);
    return true;
  }

  /** Whether a message could be queued right now, without arming anything. */
  get writable(): boolean {
    const overflow = this.#overflow;
    if (overflow !== null && (overflow.size > 0 || overflow.hasRoom())) return overflow.hasRoom();
    for (const pipe of this.#pipes) if (!pipe.full && !pipe.ended) return true;
    return false;
  }

  /** Moves overflowed messages, oldest first, to pipes with room (arming the full ones). */
  #refill(): void {
    const overflow = this.#overflow;
    if (overflow === null) return;
    while (overflow.size > 0) {
      const pipe = this.#nextWithRoom();
      if (pipe === null) return;
      const message = overflow.shift();
      if (message === undefined) return;
      pipe.write(message);
      this.onPlaced(pipe);
    }
  }

  #nextWithRoom(): Pipe | null {
    const pipes = this.#pipes;
    const count = pipes.length;
    let index = this.#next;
    for (let tried = 0; tried < count; tried++) {
      const pipe = pipes[index]!;
      if (++index === count) index = 0;
      if (pipe.canWrite()) {
        this.#next = index;
        return pipe;
      }
    }
    return null;
  }
}
