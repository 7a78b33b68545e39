// The work loop of a thread that talks to other threads: pump every source (rings, mailboxes), then
// sleep on the thread's doorbell until another thread rings it. Local events (a socket readable, a
// pipe with room again) call `schedule()`, which pumps on the next microtask without waiting for a
// ring. Used by I/O Workers and, on the application thread, by the pool that talks to them. Imports
// only doorbell.ts.

import type { Doorbell } from "./doorbell.ts";

/** Something a thread loop pumps: a connection's bridge, a mailbox. */
export interface LoopSource {
  /** Moves whatever can move now. */
  pump(): void;
  /** Whether a pump would move something; asked afresh after the sleep is announced. */
  hasWork(): boolean;
}

export class ThreadLoop {
  readonly doorbell: Doorbell;
  readonly #sources = new Set<LoopSource>();
  #scheduled = false;
  #running = false;
  #closed = false;

  constructor(doorbell: Doorbell) {
    this.doorbell = doorbell;
  }

  add(source: LoopSource): void {
    this.#sources.add(source);
    this.schedule();
  }

  delete(source: LoopSource): void {
    this.#sources.delete(source);
  }

  /** Pumps every source soon (a microtask), whether or not the doorbell rang. */
  schedule(): void {
    if (this.#scheduled || this.#closed) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#pumpAll();
    });
  }

  /** Starts the sleep-and-pump cycle (once). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#run();
  }

  /** Stops the cycle and closes the doorbell; sources are the owner's to end. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#sources.clear();
    this.doorbell.close();
  }

  async #run(): Promise<void> {
    while (!this.#closed) {
      this.#pumpAll();
      await this.doorbell.sleep(() => this.#hasWork());
    }
  }

  #pumpAll(): void {
    if (this.#closed) return;
    for (const source of this.#sources) source.pump();
  }

  #hasWork(): boolean {
    if (this.#closed) return true;
    for (const source of this.#sources) if (source.hasWork()) return true;
    return false;
  }
}
