// A thread's doorbell: how other threads wake it when they have put work in its rings or mailbox.
// One per thread (the application thread or an I/O Worker); any thread may ring it. Two signalers
// sit behind the one interface, measured against each other in bench/scenarios/io-signalers.ts:
// - "atomics": Atomics.notify on a SharedArrayBuffer word, Atomics.waitAsync on the owner's event
//   loop; no system call at all;
// - "eventfd": an eventfd made through bun:ffi (eventfd-doorbell.ts), watched by Bun's own event
//   loop; also reachable from native threads, which cannot wake Atomics.waitAsync (bun-notes §3.6).
//
// Ringing is cheap while the owner is awake: the owner announces a sleep in the state word first,
// and only the ringer that turns "sleeping" back into "awake" pays for the wake-up. The owner checks
// its work again after announcing, so a ring that raced the announcement is never lost. Imports
// nothing.

/** How a doorbell is described to other threads (structured-clonable, for postMessage). */
export interface DoorbellAddress {
  kind: "atomics" | "eventfd";
  /** Int32 [0] is the state word (AWAKE / SLEEPING); "atomics" also waits on it. */
  state: SharedArrayBuffer;
  /** The eventfd of an "eventfd" doorbell; -1 otherwise. */
  fd: number;
}

export const AWAKE = 0;
const SLEEPING = 1;

/** The ringing side, usable from any thread. */
export interface DoorbellRinger {
  /** Wakes the owner if it sleeps; costs one atomic operation when it does not. */
  ring(): void;
}

/** The owner's side. */
export interface Doorbell extends DoorbellRinger {
  readonly address: DoorbellAddress;
  /**
   * Resolves once rung, unless `hasWork()`, asked after the sleep is announced, finds work already
   * waiting (then at once). Spurious wake-ups are possible; callers loop. `hasWork` must look at
   * every wake condition afresh (rings readable, space freed): a value computed before the call
   * would miss a ring that came while this thread was still awake, and the thread would sleep on.
   */
  sleep(hasWork: () => boolean): Promise<void>;
  /** Releases the doorbell; a pending sleep resolves. Idempotent. */
  close(): void;
}

export function newStateWord(): SharedArrayBuffer {
  return new SharedArrayBuffer(4);
}

/** Turns the owner's state from SLEEPING to AWAKE; true for the one ringer that must wake it. */
export function claimWake(state: Int32Array): boolean {
  // A load first: an awake owner (the common case under load) costs no locked instruction.
  return Atomics.load(state, 0) === SLEEPING && Atomics.compareExchange(state, 0, SLEEPING, AWAKE) === SLEEPING;
}

/**
 * The protocol both doorbells share: announce the sleep in the state word, look for work once more,
 * then wait for a ring in the subclass's way; a ring wakes only a sleeping owner.
 */
export abstract class StateDoorbell implements Doorbell {
  readonly address: DoorbellAddress;
  protected readonly state: Int32Array;
  protected closed = false;

  constructor(address: DoorbellAddress) {
    this.address = address;
    this.state = new Int32Array(address.state);
  }

  ring(): void {
    if (claimWake(this.state)) this.wake();
  }

  async sleep(hasWork: () => boolean): Promise<void> {
    if (this.closed) return;
    Atomics.store(this.state, 0, SLEEPING);
    if (hasWork()) {
      Atomics.store(this.state, 0, AWAKE);
      return;
    }
    await this.waitForRing();
    Atomics.store(this.state, 0, AWAKE);
  }

  abstract close(): void;
  /** Wakes the owner's `waitForRing`; called by the one ringer that found it sleeping. */
  protected abstract wake(): void;
  /** Resolves once `wake` has been called (at once if it already was during this sleep). */
  protected abstract waitForRing(): Promise<unknown>;
}

/** The "atomics" doorbell: Atomics.waitAsync on the owner's loop, Atomics.notify from ringers. */
export class AtomicsDoorbell extends StateDoorbell {
  constructor(address: DoorbellAddress = { kind: "atomics", state: newStateWord(), fd: -1 }) {
    super(address);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.state, 0, AWAKE);
    Atomics.notify(this.state, 0);
  }

  protected wake(): void {
    Atomics.notify(this.state, 0);
  }

  // Resolves at once if a ringer already flipped the word back to AWAKE.
  protected async waitForRing(): Promise<void> {
    const wait = Atomics.waitAsync(this.state, 0, SLEEPING);
    if (wait.async) await wait.value;
  }
}

/** A ringer for an "atomics" doorbell owned by another thread. */
export class AtomicsRinger implements DoorbellRinger {
  readonly #state: Int32Array;

  constructor(address: DoorbellAddress) {
    this.#state = new Int32Array(address.state);
  }

  ring(): void {
    if (claimWake(this.#state)) Atomics.notify(this.#state, 0);
  }
}
