// Fair-queue (libzmq fq): takes complete messages from inbound pipes in turn.
// Imports pipe and core only.

import type { Message } from "../core/message.ts";
import type { Pipe } from "../pipe/pipe.ts";

/**
 * Rotates to the next pipe after every message, so one busy peer cannot starve the others.
 * A pipe whose writer ended stays until drained, so messages that arrived before a disconnect are
 * still delivered; then it is dropped here.
 */
export class FairQueue {
  #pipes: Pipe[] = [];
  #next = 0;
  #lastPipe: Pipe | null = null;

  /** The pipe the last message `receive` returned came from (REP and ROUTER answer on it); no allocation per message. */
  get lastPipe(): Pipe | null {
    return this.#lastPipe;
  }

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

  /** The next message in fair order, or undefined when every pipe is empty. */
  receive(): Message | undefined {
    const pipes = this.#pipes;
    let count = pipes.length;
    let index = this.#next;
    for (let tried = 0; tried < count; tried++) {
      if (index >= count) index = 0;
      const pipe = pipes[index]!;
      const message = pipe.read();
      if (message !== undefined) {
        this.#next = index + 1 >= count ? 0 : index + 1;
        this.#lastPipe = pipe;
        return message;
      }
      if (pipe.ended) {
        pipes.splice(index, 1);
        count--;
        tried--;
        continue;
      }
      index++;
    }
    this.#next = 0;
    return undefined;
  }

  get readable(): boolean {
    for (const pipe of this.#pipes) if (pipe.size > 0) return true;
    return false;
  }
}
