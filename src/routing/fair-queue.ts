// Fair-queue (libzmq fq): takes complete messages from inbound pipes in turn.
// Imports pipe and core only.

import type { Message } from "../core/message.ts";
import type { Pipe } from "../pipe/pipe.ts";

/**
 * Rotates to the next pipe after every message, so one busy peer cannot starve the others.
 * A pipe whose writer ended stays until drained, so messages that arrived before a disconnect are
 * still delivered; then it is dropped here.
 *
 * Only pipes that may hold a message are visited, as libzmq's fq keeps its active pipes first:
 * `#pipes[0, #active)` are the active ones; a pipe found empty moves behind them, and moves back
 * when it turns readable (the pipe's `onReadable`, which fires on empty -> non-empty and on end).
 * A receive therefore costs O(pipes with messages), not O(connections): with 10,000 mostly idle
 * peers, visiting every pipe per message made a ROUTER 13x slower than libzmq's.
 *
 * Invariant: every pipe holding a message, or ended, is active; `#index` has each pipe's position.
 */
export class FairQueue {
  #pipes: Pipe[] = [];
  readonly #index = new Map<Pipe, number>();
  #active = 0;
  #next = 0;
  #lastPipe: Pipe | null = null;

  /** The pipe the last message `receive` returned came from (REP and ROUTER answer on it); no allocation per message. */
  get lastPipe(): Pipe | null {
    return this.#lastPipe;
  }

  get size(): number {
    return this.#pipes.length;
  }

  /**
   * Takes `pipe` in, active. Wraps its `onReadable` (set by the socket before this) so that the
   * pipe is activated before the socket hears of the message.
   */
  attach(pipe: Pipe): void {
    if (this.#index.has(pipe)) return;
    this.#index.set(pipe, this.#pipes.length);
    this.#pipes.push(pipe);
    this.#activate(pipe);
    const notify = pipe.onReadable;
    pipe.onReadable = () => {
      this.#activate(pipe);
      notify();
    };
  }

  detach(pipe: Pipe): void {
    const index = this.#index.get(pipe);
    if (index === undefined) return;
    this.#remove(index);
  }

  /** The next message in fair order, or undefined when every pipe is empty. */
  receive(): Message | undefined {
    const pipes = this.#pipes;
    while (this.#active > 0) {
      let index = this.#next;
      if (index >= this.#active) index = 0;
      const pipe = pipes[index]!;
      const message = pipe.read();
      if (message !== undefined) {
        this.#next = index + 1;
        this.#lastPipe = pipe;
        return message;
      }
      this.#next = index;
      if (pipe.ended) this.#remove(index);
      else this.#swap(index, --this.#active); // empty: behind the active ones until it turns readable
    }
    this.#next = 0;
    return undefined;
  }

  get readable(): boolean {
    for (let i = 0; i < this.#active; i++) if (this.#pipes[i]!.size > 0) return true;
    return false;
  }

  #activate(pipe: Pipe): void {
    const index = this.#index.get(pipe);
    if (index === undefined || index < this.#active) return;
    this.#swap(index, this.#active++);
  }

  /** Drops the pipe at `index`, keeping the active ones first. */
  #remove(index: number): void {
    const pipes = this.#pipes;
    const pipe = pipes[index]!;
    if (index < this.#active) this.#swap(index, --this.#active);
    const at = this.#index.get(pipe)!;
    this.#swap(at, pipes.length - 1);
    pipes.pop();
    this.#index.delete(pipe);
  }

  #swap(a: number, b: number): void {
    if (a === b) return;
    const pipes = this.#pipes;
    const first = pipes[a]!;
    const second = pipes[b]!;
    pipes[a] = second;
    pipes[b] = first;
    this.#index.set(second, a);
    this.#index.set(first, b);
  }
}
