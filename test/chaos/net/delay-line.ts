// Packets waiting out their delay: a binary min-heap on (due time, arrival order), so packets with
// the same due time leave in the order they came and a packet with a shorter delay overtakes.
// Pure: the forwarder owns the clock and the timer. Imports nothing.

interface Waiting {
  dueAt: number;
  order: number;
  packet: Uint8Array;
}

export class DelayLine {
  /** Heap invariant: every entry is due no later than its children (ties: earlier order first). */
  readonly #heap: Waiting[] = [];
  #order = 0;

  get size(): number {
    return this.#heap.length;
  }

  /** When the earliest packet is due, or undefined when none waits. */
  get nextDueAt(): number | undefined {
    return this.#heap[0]?.dueAt;
  }

  push(packet: Uint8Array, dueAt: number): void {
    const heap = this.#heap;
    heap.push({ dueAt, order: this.#order++, packet });
    let at = heap.length - 1;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!before(heap[at]!, heap[parent]!)) break;
      [heap[at], heap[parent]] = [heap[parent]!, heap[at]!];
      at = parent;
    }
  }

  /** Removes and returns, in order, every packet due at or before `now`. */
  takeDue(now: number): Uint8Array[] {
    const due: Uint8Array[] = [];
    while (this.#heap.length > 0 && this.#heap[0]!.dueAt <= now) due.push(this.#pop().packet);
    return due;
  }

  /** Drops everything waiting; returns how many packets that was. */
  clear(): number {
    const count = this.#heap.length;
    this.#heap.length = 0;
    return count;
  }

  #pop(): Waiting {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length === 0) return top;
    heap[0] = last;
    let at = 0;
    for (;;) {
      const left = at * 2 + 1;
      const right = left + 1;
      let smallest = at;
      if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === at) return top;
      [heap[at], heap[smallest]] = [heap[smallest]!, heap[at]!];
      at = smallest;
    }
  }
}

function before(x: Waiting, y: Waiting): boolean {
  return x.dueAt < y.dueAt || (x.dueAt === y.dueAt && x.order < y.order);
}
