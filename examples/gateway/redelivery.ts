// At-least-once delivery for the gateway: every dispatched action is kept until its result arrives,
// and sent again once its deadline passes. A result is delivered to the player only the first time
// (later copies, from a slow server that did answer, are duplicates and dropped), so a player sees
// each action answered exactly once even when a server dies holding some of them.

import type { ActionHeader } from "./protocol.ts";

export interface PendingAction {
  header: ActionHeader;
  payload: Uint8Array;
  /** performance.now() after which the action is dispatched again. */
  deadline: number;
}

export class Redelivery {
  readonly timeoutMs: number;
  // Insertion order is deadline order: each (re)dispatch is re-inserted with the latest deadline,
  // so expired() only ever looks at the front.
  readonly #pending = new Map<number, PendingAction>();

  constructor(timeoutMs: number) {
    this.timeoutMs = timeoutMs;
  }

  get size(): number {
    return this.#pending.size;
  }

  /** Keeps `header` + `payload` until settled; call on every dispatch, first or repeated. */
  track(header: ActionHeader, payload: Uint8Array, now: number): void {
    this.#pending.delete(header.actionId);
    this.#pending.set(header.actionId, { header, payload, deadline: now + this.timeoutMs });
  }

  /** A result arrived: true the first time (deliver it), false for a duplicate or a forgotten action. */
  settle(actionId: number): boolean {
    return this.#pending.delete(actionId);
  }

  /** Actions whose deadline passed, oldest first, with their attempt count raised; re-track each one you send. */
  *expired(now: number): Generator<PendingAction> {
    for (const entry of this.#pending.values()) {
      if (entry.deadline > now) return;
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
}
