// What keeps this thread's event loop (the process, or a Worker) alive on bunzmq's behalf: nothing
// while sockets only sit bound or connected, and one ref'd timer while any operation waits (a send
// or receive not yet settled, an events receive, a closed socket's linger). Imports nothing.
//
// zeromq.js gives the same rule: idle sockets never hold Node's loop, pending operations do. Listeners,
// Bun sockets and timers elsewhere are unref'd; this counter is the one thing that holds.

/** A hold on the event loop; `release()` may be called any number of times, only the first counts. */
export interface Hold {
  release(): void;
}

// The longest delay a timer accepts; it never needs to fire, only to be ref'd or not.
const FOREVER_MS = 2 ** 31 - 1;

let timer: ReturnType<typeof setInterval> | null = null;
let holds = 0;

/** Holds the event loop until `release()`. Costs one ref/unref (about 15 ns) at 0 <-> 1. */
export function holdEventLoop(): Hold {
  if (holds++ === 0) {
    timer ??= setInterval(() => {}, FOREVER_MS);
    // A browser's timers are numbers without ref(): a page has no event loop to hold (bunzmq/browser).
    timer.ref?.();
  }
  return new EventLoopHold();
}

// A class rather than a closure: every waiting send or receive takes one, and a closure with its
// scope is two allocations more per message.
class EventLoopHold implements Hold {
  #held = true;

  release(): void {
    if (!this.#held) return;
    this.#held = false;
    if (--holds === 0) timer?.unref?.();
  }
}
