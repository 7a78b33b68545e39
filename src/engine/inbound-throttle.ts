// Read back-pressure for one connection, shared by both engines: when the socket's receive pipe is
// full, the engine stops handing data up, keeps the chunks that still arrive, and pauses its stream;
// when the socket makes room, the kept chunks are read in order and the stream flows again.
// Imports only core.

import type { ByteStream } from "../core/byte-stream.ts";

/**
 * How the engine reads on after a pause: `null` means "continue with what was already taken in" (the
 * ZMTP decoder keeps its place inside the chunk it stopped in), otherwise a kept chunk to read next.
 */
export type ReadOn = (chunk: Uint8Array | null) => void;

export class InboundThrottle {
  /**
   * The receive pipe reached its high-water mark: the engine stops handing data up and gives each new
   * chunk to `hold`. A plain field, read once per frame on the hot path; the engine sets it.
   */
  paused = false;
  /** The stream itself is paused: only once a further chunk arrived while reading was held. */
  #streamPaused = false;
  /** Chunks that arrived while paused (Bun may deliver one already in flight), oldest first. */
  #held: Uint8Array[] = [];
  /** The peer closed while paused: its close waits until everything it sent has been read. */
  #closeAfterHeld: (() => void) | null = null;
  /** The engine closed: nothing more is read. */
  #stopped = false;
  readonly #stream: ByteStream;
  readonly #readOn: ReadOn;

  constructor(stream: ByteStream, readOn: ReadOn) {
    this.#stream = stream;
    this.#readOn = readOn;
  }

  /** Keeps a chunk that arrived while paused. */
  hold(chunk: Uint8Array): void {
    this.#held.push(chunk);
    // Pausing costs a syscall each way, so it waits until the reader really lags a whole chunk.
    if (!this.#streamPaused) {
      this.#streamPaused = true;
      this.#stream.pause();
    }
  }

  /**
   * The peer closed. While paused, `close` is kept and called once everything held has been read
   * (libzmq reads no further, and so sees no EOF, until the reader makes room); returns whether it was.
   */
  deferClose(close: () => void): boolean {
    if (!this.paused) return false;
    this.#closeAfterHeld = close;
    return true;
  }

  /** Hands over the chunks held so far and forgets them (a raw engine delivers them as it closes). */
  takeHeld(): Uint8Array[] {
    const held = this.#held;
    this.#held = [];
    return held;
  }

  /**
   * The socket drained the pipe below its low-water mark: reads on (first what was taken in, then each
   * held chunk) until the pipe is full again or nothing is left, then lets the stream flow or closes.
   */
  resume(): void {
    if (!this.paused || this.#stopped) return;
    this.paused = false;
    const readOn = this.#readOn;
    readOn(null);
    while (!this.paused && !this.#stopped && this.#held.length > 0) readOn(this.#held.shift()!);
    if (this.paused || this.#stopped) return;
    const close = this.#closeAfterHeld;
    if (close !== null) {
      this.#closeAfterHeld = null;
      return close();
    }
    if (this.#streamPaused) {
      this.#streamPaused = false;
      this.#stream.resume();
    }
  }

  /** The engine closed: held chunks and a deferred close are dropped, and `resume` does nothing. */
  stop(): void {
    this.#stopped = true;
    this.#held = [];
    this.#closeAfterHeld = null;
  }
}
