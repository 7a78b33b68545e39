// Load-balance (libzmq lb): round-robin over outbound pipes that have room.
// Imports pipe and core only.

import type { Message } from "../core/message.ts";
import type { Pipe } from "../pipe/pipe.ts";

/**
 * Each complete message goes to the next pipe after the last one used that is below its
 * high-water mark. Full pipes are skipped (and armed so their `onWritable` fires), never dropped.
 */
export class LoadBalance {
  #pipes: Pipe[] = [];
  #next = 0;

  get size(): number {
    return this.#pipes.length;
  }

  attach(pipe: Pipe): void {
    this.#pipes.push(pipe);
  }

  detach(pipe: Pipe): void {
    const index = this.#pipes.indexOf(pipe);
    if (index < 0) return;
    this.#pipes.splice(index, 1);
    if (this.#next > index) this.#next--;
    if (this.#next >= this.#pipes.length) this.#next = 0;
  }

  /** Queues `message` on the next pipe with room; false if every pipe is full (or none exists). */
  send(message: Message): boolean {
    return this.sendReturningPipe(message) !== null;
  }

  /** As `send`, but names the pipe used (REQ must take its reply from that peer only); null if none had room. */
  sendReturningPipe(message: Message): Pipe | null {
    const pipes = this.#pipes;
    const count = pipes.length;
    let index = this.#next;
    for (let tried = 0; tried < count; tried++) {
      const pipe = pipes[index]!;
      if (++index === count) index = 0;
      if (pipe.canWrite()) {
        pipe.write(message);
        this.#next = index;
        return pipe;
      }
    }
    return null;
  }

  /** Whether a message could be queued right now, without arming anything. */
  get writable(): boolean {
    for (const pipe of this.#pipes) if (!pipe.full && !pipe.ended) return true;
    return false;
  }
}
