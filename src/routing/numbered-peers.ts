// Numbered peers (libzmq server's out-pipe map): a 32-bit routing id per connection, for SERVER and
// PEER. Imports pipe only.

import type { PipeEnd } from "../pipe/pipe-end.ts";

/**
 * RFC 41: the SERVER names each client by a routing id of its own choosing, never sent on the wire.
 * libzmq hands out a uint32 from a counter that starts at a random value and skips 0 (its "no
 * routing id"); ids in use are skipped here too, so a wrapped counter cannot give one twice.
 *
 * Invariant: `#byId` and `#idOf` are inverse maps of the same pairs.
 */
export class NumberedPeers {
  readonly #byId = new Map<number, PipeEnd>();
  readonly #idOf = new Map<PipeEnd, number>();
  #next: number;

  /** `start` is injectable so tests can predict ids; libzmq starts at a random value. */
  constructor(start: number = Math.floor(Math.random() * 0x1_0000_0000)) {
    this.#next = start >>> 0;
  }

  get size(): number {
    return this.#idOf.size;
  }

  /** Names `end` with the next free id and returns it. */
  add(end: PipeEnd): number {
    const known = this.#idOf.get(end);
    if (known !== undefined) return known;
    let id = this.#next;
    while (id === 0 || this.#byId.has(id)) id = (id + 1) >>> 0;
    this.#next = (id + 1) >>> 0;
    this.#byId.set(id, end);
    this.#idOf.set(end, id);
    return id;
  }

  /** Forgets `end`; a no-op for ends the table does not hold. */
  remove(end: PipeEnd): void {
    const id = this.#idOf.get(end);
    if (id === undefined) return;
    this.#idOf.delete(end);
    this.#byId.delete(id);
  }

  lookup(id: number): PipeEnd | undefined {
    return this.#byId.get(id);
  }

  idOf(end: PipeEnd): number | undefined {
    return this.#idOf.get(end);
  }
}
