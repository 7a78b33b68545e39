// The work loop of a thread that talks to other threads: pump its sources, then sleep on the
// thread's doorbell until another thread rings it. Two kinds of source: the few the loop pumps on
// every turn (mailboxes, ready lists, cross-thread inproc links), and the many it pumps only when
// told (`wake`): a connection's bridge, woken by a local event (its pipe readable, or with room
// again) or named by a ready list (ready-list.ts), so that a turn costs what is ready, not what is
// open. Local events pump on the next microtask without waiting for a ring. What the pumps publish
// for other threads in batches is flushed once at the end of the turn (`flushAtTurnEnd`). Used by
// I/O Workers and, on the application thread, by the pool that talks to them. Imports only
// doorbell.ts.

import type { Doorbell } from "./doorbell.ts";

/** Something a thread loop pumps on every turn: a mailbox, a ready list. */
export interface LoopSource {
  /** Moves whatever can move now. */
  pump(): void;
  /** Whether a pump would move something; asked afresh after the sleep is announced. */
  hasWork(): boolean;
}

export class ThreadLoop {
  readonly doorbell: Doorbell;
  readonly #sources = new Set<LoopSource>();
  /** Sources to pump once on the next turn; swapped with `#spare` while they are pumped. */
  #woken = new Set<{ pump(): void }>();
  #spare = new Set<{ pump(): void }>();
  /** Flushed once at the end of the turn: batched publications (a ready list's tail). */
  readonly #flushes = new Set<{ flush(): void }>();
  #pumping = false;
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

  /** Pumps `source` once soon (a microtask), with the sources pumped on every turn. */
  wake(source: { pump(): void }): void {
    this.#woken.add(source);
    this.schedule();
  }

  /** Calls `item.flush()` once at the end of this turn, or of the next one (scheduled now) outside a turn. */
  flushAtTurnEnd(item: { flush(): void }): void {
    this.#flushes.add(item);
    if (!this.#pumping) this.schedule();
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
    this.#woken.clear();
    this.#flushes.clear();
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
    this.#pumping = true;
    try {
      for (const source of this.#sources) source.pump();
      this.#pumpWoken();
    } finally {
      this.#pumping = false;
    }
    for (const item of this.#flushes) item.flush();
    this.#flushes.clear();
  }

  #pumpWoken(): void {
    // Sources woken while these pump go into the other set, for the next turn.
    const woken = this.#woken;
    if (woken.size === 0) return;
    this.#woken = this.#spare;
    for (const source of woken) source.pump();
    woken.clear();
    this.#spare = woken;
  }

  #hasWork(): boolean {
    if (this.#closed || this.#woken.size > 0) return true;
    for (const source of this.#sources) if (source.hasWork()) return true;
    return false;
  }
}
