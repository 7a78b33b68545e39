// What arrived of a numbered stream: how many, which twice, which out of order, which never. The
// chaos peers number every message from 0 and tally at the receiving end; ZeroMQ over TCP promises
// each message at most once and in order per connection, so duplicates and reorderings are failures,
// while a gap is what a broken connection may cost. Pure; imports nothing.

export interface TallySummary {
  /** Distinct sequence numbers received. */
  received: number;
  /** Receptions of a number already seen. */
  duplicates: number;
  /** Receptions of a number below one received before it. */
  outOfOrder: number;
  /** Numbers below the highest received that never came, and their ranges ("from-to", at most 10). */
  missing: number;
  gaps: string[];
  highest: number;
}

export class SequenceTally {
  #seen = new Uint8Array(1024);
  #received = 0;
  #duplicates = 0;
  #outOfOrder = 0;
  #highest = -1;

  /** Records one arrival; returns false when it was a duplicate or out of order. */
  record(seq: number): boolean {
    if (!Number.isSafeInteger(seq) || seq < 0) throw new RangeError(`not a sequence number: ${seq}`);
    if (seq >= this.#seen.length) {
      const grown = new Uint8Array(Math.max(seq + 1, this.#seen.length * 2));
      grown.set(this.#seen);
      this.#seen = grown;
    }
    if (this.#seen[seq] === 1) {
      this.#duplicates++;
      return false;
    }
    this.#seen[seq] = 1;
    this.#received++;
    const inOrder = seq > this.#highest;
    if (inOrder) this.#highest = seq;
    else this.#outOfOrder++;
    return inOrder;
  }

  get received(): number {
    return this.#received;
  }

  get highest(): number {
    return this.#highest;
  }

  /** Whether every number below `count` has arrived (senders never number beyond `count`). */
  complete(count: number): boolean {
    return this.#received >= count;
  }

  /** The tally; `expected` counts numbers up to it (exclusive) as missing, else up to the highest. */
  summary(expected?: number): TallySummary {
    const { missing, gaps } = this.#missingBelow(expected ?? this.#highest + 1);
    return { received: this.#received, duplicates: this.#duplicates, outOfOrder: this.#outOfOrder, missing, gaps, highest: this.#highest };
  }

  #missingBelow(end: number): { missing: number; gaps: string[] } {
    let missing = 0;
    const gaps: string[] = [];
    let start = -1;
    for (let seq = 0; seq <= end; seq++) {
      const absent = seq < end && this.#seen[seq] !== 1;
      if (absent) {
        missing++;
        if (start < 0) start = seq;
      } else if (start >= 0) {
        if (gaps.length < 10) gaps.push(start === seq - 1 ? `${start}` : `${start}-${seq - 1}`);
        start = -1;
      }
    }
    return { missing, gaps };
  }
}
