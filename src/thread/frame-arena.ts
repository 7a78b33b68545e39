// Shared memory for large frames that cross between the application thread and an I/O Worker
// without being copied out of a ring. Imports nothing.
//
// `Socket.allocate(size)` hands out a Buffer in a block of one SharedArrayBuffer that every Worker
// of the Context is given (at its start, or when the first `allocate` makes the arena; frames are
// lent to a Worker only once it has said it holds it: io/io-pool.ts). Sent through an I/O thread, that Buffer is lent: only its
// place (offset, length, block) crosses the ring (message-ring.ts), and the Worker hands its engine
// a view of the block: no copy into the ring, none out of it, and no fresh allocation in the Worker
// (whose page faults cost a 64 KiB frame more than its copies). Only that Buffer itself is lent: a
// slice of it crosses as bytes, and must not outlive it, since the block is reused once the Buffer
// is collected. Frames of ordinary Buffers are not copied into the arena: measured, copying 64 KiB
// into a block that is cold in the cache cost the application thread more than the Worker saved.
//
// Blocks are counted, not owned: one count for every view that may still be read (the allocated
// Buffer the application holds, each Worker view of a lent frame), dropped when the garbage
// collector finds the view gone (FinalizationRegistry). Only the application thread allocates;
// Workers only drop counts, so the counts are the one shared state (Atomics). The arena is 64 MiB
// of address space, touched only as blocks are used; when no block is free the frame goes through
// the ring as bytes, so an exhausted arena slows large frames down and never fails them.
// A Worker that dies holds its counts forever: those blocks are lost to the Context (bounded by
// what that Worker had in flight).

/** Granule of the arena: the smallest block. */
const UNIT_BYTES = 16 * 1024;
/** Blocks of one size are cut from slabs of this many units (1 MiB). */
const SLAB_UNITS = 64;
/** Address space of the arena: 64 slabs. */
const ARENA_UNITS = 64 * SLAB_UNITS;
/** Block sizes: 16 KiB × 2^class, up to a whole slab. */
const CLASSES = 7;

/** `allocate` hands out blocks from this size up; smaller frames cost less to copy. */
export const LEND_MIN_BYTES = UNIT_BYTES;
/** The largest block (a whole slab); a larger `allocate` gets ordinary memory. */
export const LEND_MAX_BYTES = SLAB_UNITS * UNIT_BYTES;

/** What every thread of a Context shares: the bytes and one count per unit (used at block starts). */
export interface ArenaShare {
  bytes: SharedArrayBuffer;
  counts: SharedArrayBuffer;
}

export function createArenaShare(): ArenaShare {
  return { bytes: new SharedArrayBuffer(ARENA_UNITS * UNIT_BYTES), counts: new SharedArrayBuffer(ARENA_UNITS * 4) };
}

/** Where a lent frame lies, and the block whose count its reader's view holds. */
export interface LentFrame {
  offset: number;
  length: number;
  block: number;
}

function classFor(size: number): number {
  let blockClass = 0;
  while (UNIT_BYTES << blockClass < size) blockClass++;
  return blockClass;
}

/** The application thread's side: allocates blocks and lends frames. */
export class FrameArena {
  /** What every Worker of the Context is given at its start. */
  readonly share: ArenaShare;
  readonly #bytes: SharedArrayBuffer;
  readonly #counts: Int32Array;
  /** The Buffers `allocate` handed out, and their blocks: only these are lent without a copy. */
  readonly #allocated = new WeakMap<Uint8Array, number>();
  /** Per class: blocks known free, and blocks handed out whose counts may have dropped to 0. */
  readonly #free: number[][] = Array.from({ length: CLASSES }, () => []);
  readonly #out: number[][] = Array.from({ length: CLASSES }, () => []);
  #slabsUsed = 0;
  readonly #collected = new FinalizationRegistry<number>((block) => this.drop(block));

  constructor(share: ArenaShare) {
    this.share = share;
    this.#bytes = share.bytes;
    this.#counts = new Int32Array(share.counts);
  }

  /**
   * A Buffer of `size` bytes in the arena, for the caller to fill and send; null when the arena
   * has no block for it (smaller than LEND_MIN_BYTES, larger than LEND_MAX_BYTES, or every block
   * in use). Its block returns to the arena once
   * the Buffer and every view lent from it have been collected.
   */
  allocate(size: number): Buffer | null {
    if (size < LEND_MIN_BYTES) return null;
    const block = this.#take(size);
    if (block < 0) return null;
    const view = Buffer.from(this.#bytes, block * UNIT_BYTES, size);
    this.#collected.register(view, block);
    this.#allocated.set(view, block);
    return view;
  }

  /**
   * Lends `frame` to a reader on another thread when it is a Buffer from `allocate`: counts one
   * more view of its block. Null for any other frame, which crosses the ring as bytes.
   */
  lend(frame: Uint8Array): LentFrame | null {
    const block = this.#allocated.get(frame);
    if (block === undefined) return null;
    Atomics.add(this.#counts, block, 1);
    return { offset: frame.byteOffset, length: frame.length, block };
  }

  /** Drops one count of `block` (a view of it was collected, or a lent frame was never read). */
  drop(block: number): void {
    Atomics.sub(this.#counts, block, 1);
  }

  /** A block with room for `size` bytes and a count of 1, or -1. */
  #take(size: number): number {
    if (size > LEND_MAX_BYTES) return -1;
    const blockClass = classFor(size);
    const free = this.#free[blockClass]!;
    if (free.length === 0) this.#sweep(blockClass);
    if (free.length === 0 && !this.#cutSlab(blockClass)) return -1;
    const block = free.pop()!;
    Atomics.store(this.#counts, block, 1);
    this.#out[blockClass]!.push(block);
    return block;
  }

  /** Moves the class's handed-out blocks whose count reached 0 back to its free list. */
  #sweep(blockClass: number): void {
    const out = this.#out[blockClass]!;
    let kept = 0;
    for (const block of out) {
      if (Atomics.load(this.#counts, block) === 0) this.#free[blockClass]!.push(block);
      else out[kept++] = block;
    }
    out.length = kept;
  }

  /** Cuts the next unused slab into blocks of the class; false when every slab is in use. */
  #cutSlab(blockClass: number): boolean {
    if (this.#slabsUsed * SLAB_UNITS >= ARENA_UNITS) return false;
    const first = this.#slabsUsed++ * SLAB_UNITS;
    const units = 1 << blockClass;
    for (let block = first + SLAB_UNITS - units; block >= first; block -= units) this.#free[blockClass]!.push(block);
    return true;
  }
}

/** A Worker's side: views of lent frames, each dropping its block's count once collected. */
export class LentFrames {
  readonly #bytes: SharedArrayBuffer;
  readonly #counts: Int32Array;
  readonly #collected: FinalizationRegistry<number>;

  constructor(share: ArenaShare) {
    this.#bytes = share.bytes;
    const counts = new Int32Array(share.counts);
    this.#counts = counts;
    this.#collected = new FinalizationRegistry<number>((block) => Atomics.sub(counts, block, 1));
  }

  view(lent: LentFrame): Buffer {
    const view = Buffer.from(this.#bytes, lent.offset, lent.length);
    this.#collected.register(view, lent.block);
    return view;
  }

  /** Drops the count of a lent frame that will never be viewed (its connection ended first). */
  drop(lent: LentFrame): void {
    Atomics.sub(this.#counts, lent.block, 1);
  }
}
