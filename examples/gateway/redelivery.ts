// At-least-once delivery for the gateway: every dispatched action is kept until its result arrives,
// and sent again once its deadline passes. A result is delivered to the player only the first time
// (later copies, from a slow server that did answer, are duplicates and dropped), so a player sees
// each action answered exactly once even when a server dies holding some of them.
//
// An action still queued (in the gateway's PUSH, or in a server's queue) has not been lost: sending
// it again only queues a copy behind it, and after a long outage copies of copies would swamp the
// servers. So the deadline adapts, as TCP's retransmission time-out does to the round trip:
// - it is `timeoutMs`, or twice the age answers come back with lately if that is more (a backlog
//   being worked off answers old actions, so the rest of it is not given up on);
// - its clock stops while the gateway holds actions back (`hold`: no server is up), so a backlog
//   queued during an outage starts ageing only when servers return.

import type { ActionHeader } from "./protocol.ts";

export interface PendingAction {
  header: ActionHeader;
  payload: Uint8Array;
  /** The deadlines' clock (see `hold`) when the action was last dispatched. */
  sentAt: number;
}

/** Weight of each answer's age in the running mean (1/64: a few hundred answers move it). */
const AGE_WEIGHT = 1 / 64;

export class Redelivery {
  readonly timeoutMs: number;
  // Insertion order is dispatch order: each (re)dispatch is re-inserted, so expired() only ever
  // looks at the front.
  readonly #pending = new Map<number, PendingAction>();
  /** Milliseconds the clock stood still, and since when it stands (null: running). */
  #heldFor = 0;
  #heldSince: number | null = null;
  /** Running mean of the age (clock ms) of answered actions. */
  #answerAge = 0;

  constructor(timeoutMs: number) {
    this.timeoutMs = timeoutMs;
  }

  get size(): number {
    return this.#pending.size;
  }

  /** The deadline now: `timeoutMs`, or twice the recent answers' age when that is longer. */
  get deadlineMs(): number {
    return Math.max(this.timeoutMs, 2 * this.#answerAge);
  }

  /** Keeps `header` + `payload` until settled; call on every dispatch, first or repeated. */
  track(header: ActionHeader, payload: Uint8Array, now: number): void {
    this.#pending.delete(header.actionId);
    this.#pending.set(header.actionId, { header, payload, sentAt: this.#clock(now) });
  }

  /** A result arrived: the action the first time (deliver it), undefined for a duplicate or a forgotten action. */
  settle(actionId: number, now = performance.now()): PendingAction | undefined {
    const entry = this.#pending.get(actionId);
    if (entry === undefined) return undefined;
    this.#pending.delete(actionId);
    this.#answerAge += (this.#clock(now) - entry.sentAt - this.#answerAge) * AGE_WEIGHT;
    return entry;
  }

  /** Stops the deadlines' clock while `held` (actions are being held back on purpose), restarts it after. */
  hold(held: boolean, now: number): void {
    if (held && this.#heldSince === null) this.#heldSince = now;
    if (!held && this.#heldSince !== null) {
      this.#heldFor += now - this.#heldSince;
      this.#heldSince = null;
    }
  }

  /** Every action awaiting its answer, oldest dispatch first. */
  values(): IterableIterator<PendingAction> {
    return this.#pending.values();
  }

  /** Actions whose deadline passed, oldest first, with their attempt count raised; re-track each one you send. */
  *expired(now: number): Generator<PendingAction> {
    const due = this.#clock(now) - this.deadlineMs;
    for (const entry of this.#pending.values()) {
      if (entry.sentAt > due) return;
      this.#pending.delete(entry.header.actionId);
      entry.header = { ...entry.header, attempt: entry.header.attempt + 1 };
      yield entry;
    }
  }

  /** The player left: nobody is waiting for these any more. */
  forgetPlayer(playerId: number): number {
    let forgotten = 0;
    for (const [actionId, entry] of this.#pending) {
      if (entry.header.playerId !== playerId) continue;
      this.#pending.delete(actionId);
      forgotten++;
    }
    return forgotten;
  }

  #clock(now: number): number {
    return (this.#heldSince ?? now) - this.#heldFor;
  }
}
