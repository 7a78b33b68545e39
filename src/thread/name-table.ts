// A table of names in a SharedArrayBuffer that every thread of the process can read and change: who
// binds which inproc:// name in the default context, whichever Worker it lives in. Imports nothing.
//
//   words   Int32 [0] lock (0 free, 1 held), [1] bytes of records in use
//   record  i32 owner (a thread id; -1 once released), i32 socket type, i32 name length in bytes,
//           the name in UTF-8, padded to 4 bytes; records follow each other from byte 16
//
// Every operation takes the lock for a few microseconds (a scan of the records), spinning while
// another thread holds it: binds and connects are rare next to messages, which never come here.
// Released records are reclaimed by compaction when the records reach the end.

const LOCK = 0;
const USED = 1;
const DATA = 16;
const RECORD_HEADER = 12;
const RELEASED = -1;
const encoder = new TextEncoder();

export interface NameEntry {
  /** The thread that bound the name (worker_threads' threadId). */
  owner: number;
  /** The bound socket's type (core/socket-type.ts), for connect's compatibility check. */
  socketType: number;
}

/** The shared memory of a new table that holds about `bytes` of records. */
export function createNameTable(bytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(DATA + bytes);
}

export class NameTable {
  readonly #words: Int32Array;
  readonly #bytes: Uint8Array;
  readonly #view: DataView;

  constructor(buffer: SharedArrayBuffer) {
    this.#words = new Int32Array(buffer, 0, DATA / 4);
    this.#bytes = new Uint8Array(buffer);
    this.#view = new DataView(buffer);
  }

  /**
   * Binds `name` to `entry` unless it is bound already: returns null on success, the existing
   * entry otherwise, or "full" when no room is left even after compaction.
   */
  claim(name: string, entry: NameEntry): NameEntry | null | "full" {
    const key = encoder.encode(name);
    return this.#locked(() => {
      const found = this.#find(key);
      if (found >= 0) return this.#entryAt(found);
      const size = RECORD_HEADER + pad(key.length);
      if (DATA + Atomics.load(this.#words, USED) + size > this.#bytes.length) this.#compact();
      const at = DATA + Atomics.load(this.#words, USED);
      if (at + size > this.#bytes.length) return "full";
      this.#view.setInt32(at, entry.owner, true);
      this.#view.setInt32(at + 4, entry.socketType, true);
      this.#view.setInt32(at + 8, key.length, true);
      this.#bytes.set(key, at + RECORD_HEADER);
      Atomics.add(this.#words, USED, size);
      return null;
    });
  }

  /** Who binds `name` now, or null. */
  lookup(name: string): NameEntry | null {
    const key = encoder.encode(name);
    return this.#locked(() => {
      const found = this.#find(key);
      return found < 0 ? null : this.#entryAt(found);
    });
  }

  /** Releases `name` if `owner` holds it. */
  release(name: string, owner: number): void {
    const key = encoder.encode(name);
    this.#locked(() => {
      const found = this.#find(key);
      if (found >= 0 && this.#view.getInt32(found, true) === owner) this.#free(found);
    });
  }

  /** Releases every name `owner` holds (its thread is ending). */
  releaseAll(owner: number): void {
    this.#locked(() => {
      this.#forEach((at) => {
        if (this.#view.getInt32(at, true) === owner) this.#free(at);
      });
    });
  }

  #locked<T>(action: () => T): T {
    while (Atomics.compareExchange(this.#words, LOCK, 0, 1) !== 0);
    try {
      return action();
    } finally {
      Atomics.store(this.#words, LOCK, 0);
    }
  }

  /** The offset of the live record named `key`, or -1. */
  #find(key: Uint8Array): number {
    let found = -1;
    this.#forEach((at, length) => {
      if (found >= 0 || length !== key.length || this.#view.getInt32(at, true) === RELEASED) return;
      for (let i = 0; i < length; i++) if (this.#bytes[at + RECORD_HEADER + i] !== key[i]) return;
      found = at;
    });
    return found;
  }

  #forEach(visit: (at: number, nameLength: number) => void): void {
    const end = DATA + Atomics.load(this.#words, USED);
    for (let at = DATA; at < end; ) {
      const length = this.#view.getInt32(at + 8, true);
      visit(at, length);
      at += RECORD_HEADER + pad(length);
    }
  }

  #entryAt(at: number): NameEntry {
    return { owner: this.#view.getInt32(at, true), socketType: this.#view.getInt32(at + 4, true) };
  }

  #free(at: number): void {
    this.#view.setInt32(at, RELEASED, true);
  }

  /** Moves the live records to the front, over the released ones. */
  #compact(): void {
    let to = DATA;
    this.#forEach((at, length) => {
      const size = RECORD_HEADER + pad(length);
      if (this.#view.getInt32(at, true) === RELEASED) return;
      if (to !== at) this.#bytes.copyWithin(to, at, at + size);
      to += size;
    });
    Atomics.store(this.#words, USED, to - DATA);
  }
}

const pad = (n: number): number => (n + 3) & ~3;
