// Per-tick write coalescing: decides when an engine turns queued messages into a socket write.
// Imports nothing; Bun's event loop is the reactor.

export interface Flushable {
  /**
   * Moves queued messages to the kernel and returns how many it moved. Must tolerate being called
   * when there is nothing to do.
   */
  flush(): number;
}

// Adaptive: the first flush request of an event-loop turn runs as a microtask, so a lone message
// (a request, a reply) leaves at once. Later requests in the same turn are a burst: they wait for
// the check phase, by which time `await send()` loops have filled their pipes and one write carries
// hundreds of messages. The turn ends when the check-phase callback runs.
//
// While bursts go on, the eager flush is skipped too: an `await send()` loop would otherwise have its
// first message of every turn written alone, one extra syscall per turn for a single message. A turn
// whose coalesced flushes moved at most one message ends the burst, so the next lone message is eager
// again; the first one after a burst waits only for the check phase of its own turn.
let eagerTaken = false;
let turnEndScheduled = false;
let inBurst = false;
// A Set: dedup is O(1) however many connections flush in one turn.
let deferred = new Set<Flushable>();

export function scheduleFlush(target: Flushable): void {
  if (!eagerTaken && !inBurst) {
    eagerTaken = true;
    queueMicrotask(() => target.flush());
  } else {
    deferred.add(target);
  }
  if (!turnEndScheduled) {
    turnEndScheduled = true;
    setImmediate(endTurn);
  }
}

function endTurn(): void {
  turnEndScheduled = false;
  eagerTaken = false;
  // Flushing may resolve sends whose continuations schedule new flushes; those belong to the next turn.
  const batch = deferred;
  deferred = new Set();
  let moved = 0;
  for (const target of batch) moved += target.flush();
  inBurst = moved > 1;
}
