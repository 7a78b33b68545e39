// What the link does to each packet: the impairment settings, their validation, the fate of one
// packet (dropped, or delivered once or twice after some delay), and the delay line where delayed
// packets wait. Pure: the forwarder supplies the random numbers, the clock and the timer, so a seed
// reproduces a run and the unit tests need no network. Imports nothing.

/** A direction across the link: side a is the first namespace, side b the second. */
export type Direction = "a-to-b" | "b-to-a";

/** Which directions are cut: "both" is a full partition, one direction a half-open link. */
export type Partition = "none" | "both" | Direction;

export interface Impairment {
  /** Share of packets dropped at random, per direction, 0-100. */
  lossPercent: number;
  /** One-way delay added to every packet, ms. */
  delayMs: number;
  /** Each packet's delay is drawn uniformly from delayMs ± jitterMs (never below 0), so packets overtake. */
  jitterMs: number;
  /** Share of packets held back a further `reorderHoldMs`, so the ones after them arrive first, 0-100. */
  reorderPercent: number;
  reorderHoldMs: number;
  /** Share of packets delivered twice, 0-100. */
  duplicatePercent: number;
  /** Directions in which every packet is dropped, including those already waiting out their delay. */
  partition: Partition;
}

export const NO_IMPAIRMENT: Impairment = Object.freeze({
  lossPercent: 0,
  delayMs: 0,
  jitterMs: 0,
  reorderPercent: 0,
  reorderHoldMs: 10,
  duplicatePercent: 0,
  partition: "none",
});

const PERCENTS = ["lossPercent", "reorderPercent", "duplicatePercent"] as const;
const DURATIONS = ["delayMs", "jitterMs", "reorderHoldMs"] as const;
const PARTITIONS: readonly Partition[] = ["none", "both", "a-to-b", "b-to-a"];
/** A delay beyond this is a mistake, not a network (and would hold packets past any test's bound). */
const MAX_DELAY_MS = 60_000;

/** `base` with the fields of `changes` applied; throws a RangeError naming the first bad field. */
export function withChanges(base: Impairment, changes: Partial<Impairment>): Impairment {
  const next: Impairment = { ...base };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if ((PERCENTS as readonly string[]).includes(key)) {
      if (typeof value !== "number" || !(value >= 0 && value <= 100)) throw new RangeError(`${key} must be 0-100, got ${value}`);
    } else if ((DURATIONS as readonly string[]).includes(key)) {
      if (typeof value !== "number" || !(value >= 0 && value <= MAX_DELAY_MS)) {
        throw new RangeError(`${key} must be 0-${MAX_DELAY_MS} ms, got ${value}`);
      }
    } else if (key === "partition") {
      if (!PARTITIONS.includes(value as Partition)) throw new RangeError(`partition must be one of ${PARTITIONS.join(", ")}, got ${value}`);
    } else {
      throw new RangeError(`unknown impairment setting ${key}`);
    }
    (next as unknown as Record<string, unknown>)[key] = value;
  }
  return next;
}

export function isCut(partition: Partition, direction: Direction): boolean {
  return partition === "both" || partition === direction;
}

/** What happens to one packet. */
export type Fate =
  | { kind: "partitioned" }
  | { kind: "lost" }
  /** Deliver one copy per entry, after that many ms; `reordered` when it was held back. */
  | { kind: "sent"; delaysMs: number[]; reordered: boolean };

/** Decides one packet's fate; `random` returns numbers in [0, 1). */
export function fateOf(impairment: Impairment, direction: Direction, random: () => number): Fate {
  if (isCut(impairment.partition, direction)) return { kind: "partitioned" };
  if (impairment.lossPercent > 0 && random() * 100 < impairment.lossPercent) return { kind: "lost" };
  const reordered = impairment.reorderPercent > 0 && random() * 100 < impairment.reorderPercent;
  const delay = () => {
    const jitter = impairment.jitterMs > 0 ? (random() * 2 - 1) * impairment.jitterMs : 0;
    return Math.max(0, impairment.delayMs + jitter) + (reordered ? impairment.reorderHoldMs : 0);
  };
  const duplicated = impairment.duplicatePercent > 0 && random() * 100 < impairment.duplicatePercent;
  return { kind: "sent", delaysMs: duplicated ? [delay(), delay()] : [delay()], reordered };
}

/** A seeded generator (mulberry32): the same seed gives the same losses, delays and reorderings. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Counters per direction, as the forwarder reports them. */
export interface PathStats {
  /** Packets read from the sending side's device. */
  packets: number;
  bytes: number;
  /** Copies written to the receiving side's device (duplicates included). */
  delivered: number;
  lost: number;
  /** Dropped by a partition, on arrival or while waiting out their delay. */
  partitioned: number;
  duplicated: number;
  reordered: number;
  /** Writes the receiving device refused (it was down): lost too, but not by the impairment. */
  writeErrors: number;
}

export function emptyStats(): PathStats {
  return { packets: 0, bytes: 0, delivered: 0, lost: 0, partitioned: 0, duplicated: 0, reordered: 0, writeErrors: 0 };
}

interface Waiting {
  dueAt: number;
  order: number;
  packet: Uint8Array;
}

/**
 * Packets waiting out their delay: a binary min-heap on (due time, arrival order), so packets due
 * together leave in the order they came and a packet with a shorter delay overtakes.
 */
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
