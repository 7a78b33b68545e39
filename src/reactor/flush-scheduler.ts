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
// again; the first one after a burst waits only for the check phase of its own turn. A turn with only
// its eager flush schedules no check-phase callback: inbound data starts the next one
// (`inboundArrived`), and otherwise the next request waits for its own turn's check phase.
let eagerTaken = false;
let turnEndScheduled = false;
let inBurst = false;
// A Set: dedup is O(1) however many connections flush in one turn.
let deferred = new Set<Flushable>();
// Eager flushes waiting for their microtask, oldest first: one shared callback instead of a closure
// per flush.
const eager: Flushable[] = [];
const flushEager = (): void => void eager.shift()!.flush();

export function scheduleFlush(target: Flushable): void {
  if (!eagerTaken && !inBurst) {
    eagerTaken = true;
    eager.push(target);
    queueMicrotask(flushEager);
    return;
  }
  deferred.add(target);
  if (!turnEndScheduled) {
    turnEndScheduled = true;
    setImmediate(endTurn);
  }
}

/**
 * A peer's bytes arrived: the I/O callback starts a new turn for the eager flush, so the answer to a
 * request leaves at once. This is how a turn that had only its eager flush ends: scheduling a
 * check-phase callback for it cost a request/reply round trip about 0.5 µs on each side. While
 * coalesced flushes wait for their check phase, the turn goes on.
 */
export function inboundArrived(): void {
  if (!turnEndScheduled) eagerTaken = false;
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
