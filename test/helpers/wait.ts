// Bounded waiting for tests: every wait names what it waited for and gives up after a deadline.
// Polling here is not sleep-as-synchronisation: each pause is followed by a re-check of the condition.

export interface WaitOptions {
  /** Give up after this many milliseconds (default 5000). */
  timeoutMs?: number;
  /** Named in the rejection message, e.g. "both PULL peers to connect"; a function is called at expiry. */
  what: string | (() => string);
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Re-evaluates `predicate` (0, 1, 2, 4, 8, 10, 10 ... ms apart) until it returns a truthy value,
 * which is returned; rejects with `what` in the message once `timeoutMs` has passed.
 */
export async function waitFor<T>(predicate: () => T | Promise<T>, { timeoutMs = 5000, what }: WaitOptions): Promise<NonNullable<T>> {
  const deadline = performance.now() + timeoutMs;
  let delay = 0;
  for (;;) {
    const value = await predicate();
    if (value) return value as NonNullable<T>;
    if (performance.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === "string" ? what : what()}`);
    }
    await pause(delay);
    delay = delay === 0 ? 1 : Math.min(delay * 2, 10);
  }
}

/**
 * Settles like `promise`, or rejects with an Error naming `what` after `ms`. A rejection of `promise`
 * that arrives after the time-out is swallowed, so an abandoned receive() cannot become an
 * unhandled rejection when its socket is closed during cleanup.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  promise.catch(() => {});
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

/**
 * Sends on `send` and receives on `receive` (each receive bounded) until `ms` have passed; returns
 * the count. For tests whose subject is a connection staying up while time passes (heartbeats):
 * traffic, not a sleep, fills the time.
 */
export async function exchangeFor(ms: number, send: () => Promise<void>, receive: () => Promise<unknown>): Promise<number> {
  const end = performance.now() + ms;
  let count = 0;
  while (performance.now() < end) {
    await send();
    await withTimeout(receive(), 2000, `message ${count + 1} of the exchange`);
    count++;
  }
  return count;
}
