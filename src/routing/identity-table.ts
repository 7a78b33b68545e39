// Identity table (libzmq router's out-pipe map): routing id -> pipe end, for ROUTER.
// Imports pipe only.

import type { PipeEnd } from "../pipe/pipe-end.ts";

/** What happened to a peer offered to the table. */
export type Admission = { accepted: true; id: Uint8Array; displaced: PipeEnd | null } | { accepted: false; id: Uint8Array };

/**
 * Peers are named by their non-empty READY `Identity` (or a locally given id); peers without one get
 * an auto id, `0x00` + uint32 BE from a counter that starts at a random value (zmtp-notes §6.5).
 * A second peer claiming an id in use is refused, as libzmq ignores it, unless `handover`, when it
 * takes the id over and the previous holder is returned as `displaced`.
 */
export class IdentityTable {
  readonly #byKey = new Map<number | string, PipeEnd>();
  readonly #idOf = new Map<PipeEnd, Uint8Array>();
  #nextAuto: number;

  /** `autoStart` is injectable so tests can predict auto ids; libzmq starts at a random value. */
  constructor(autoStart: number = Math.floor(Math.random() * 0x1_0000_0000)) {
    this.#nextAuto = autoStart >>> 0;
  }

  get size(): number {
    return this.#idOf.size;
  }

  /** Names `end` by `requested` (or an auto id if empty). */
  add(end: PipeEnd, requested: Uint8Array, handover: boolean): Admission {
    // Ids are handed to the application as the first frame of every message: as Buffers, they
    // cost nothing there (receive() would otherwise make each one a Buffer, per message).
    const id = requested.length > 0 ? (requested instanceof Buffer ? requested : Buffer.from(requested)) : this.#autoId();
    const key = keyOf(id);
    const holder = this.#byKey.get(key);
    if (holder !== undefined && holder !== end) {
      if (!handover) return { accepted: false, id };
      this.#idOf.delete(holder);
    }
    this.#byKey.set(key, end);
    this.#idOf.set(end, id);
    return { accepted: true, id, displaced: holder !== undefined && holder !== end ? holder : null };
  }

  /** Forgets `end` (the peer left); a no-op for ends the table does not hold. */
  remove(end: PipeEnd): void {
    const id = this.#idOf.get(end);
    if (id === undefined) return;
    this.#idOf.delete(end);
    this.#byKey.delete(keyOf(id));
  }

  lookup(id: Uint8Array): PipeEnd | undefined {
    return this.#byKey.get(keyOf(id));
  }

  idOf(end: PipeEnd): Uint8Array | undefined {
    return this.#idOf.get(end);
  }

  ends(): IterableIterator<PipeEnd> {
    return this.#idOf.keys();
  }

  #autoId(): Uint8Array {
    for (;;) {
      const id = Buffer.alloc(5);
      id.writeUInt32BE(this.#nextAuto, 1);
      this.#nextAuto = (this.#nextAuto + 1) >>> 0;
      // An explicit id may sit in the auto space (libzmq does not forbid a leading zero): skip it.
      if (!this.#byKey.has(keyOf(id))) return id;
    }
  }
}

// Ids are 1-255 bytes. Up to 6 bytes (every automatic id among them) the key is a number that
// packs length and bytes exactly, which costs a few ns per lookup; longer ids use their bytes as a
// latin1 string, which is exact too. (String.fromCharCode.apply cost ~300 ns per lookup.)
function keyOf(id: Uint8Array): number | string {
  const length = id.length;
  if (length <= 6) {
    let key = length;
    for (let i = 0; i < length; i++) key = key * 256 + id[i]!;
    return key;
  }
  return Buffer.from(id.buffer, id.byteOffset, length).toString("latin1");
}
