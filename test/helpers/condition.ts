// A condition variable for test helpers whose state changes in callbacks (socket data, a child's
// output): waiters re-check their predicate on every notify() instead of polling on a timer.

export interface ConditionWait {
  /** Give up after this many milliseconds. */
  timeoutMs: number;
  /** Named in the time-out message; a function is called at expiry (so it can show the state then). */
  what: string | (() => string);
  /** Returns a message when `done` can no longer happen (peer gone), to fail without waiting out the time. */
  failure?: () => string | null;
}

export class Condition {
  /** Pending waits' re-checks; each removes itself when its wait settles. */
  readonly #listeners = new Set<() => void>();

  /** Re-checks every pending wait; call after each change of the state they wait on. */
  notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }

  /**
   * Resolves once `done()` holds (checked now and on every notify()); rejects with `failure()`'s
   * message when it returns one, or after `timeoutMs`.
   */
  wait(done: () => boolean, { timeoutMs, what, failure = () => null }: ConditionWait): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const check = () => {
        if (done()) return finish();
        const message = failure();
        if (message !== null) finish(new Error(message));
      };
      const expire = () => finish(new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === "string" ? what : what()}`));
      const timer = setTimeout(expire, timeoutMs);
      const finish = (error?: Error) => {
        clearTimeout(timer);
        this.#listeners.delete(check);
        if (error) reject(error);
        else resolve();
      };
      this.#listeners.add(check);
      check();
    });
  }
}
