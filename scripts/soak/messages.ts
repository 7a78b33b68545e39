// The soak's messages: what every stream sends (PUSH, DEALER requests, churned sockets) and how a
// receiver checks it. A message is [header, ...parts]; the header names the stream, the sequence
// number and each part's length, and each part is filled with one byte derived from the sequence
// number, so a receiver sees a torn, truncated or misrouted frame as well as a lost or repeated
// message. Sizes come from the sequence number (no randomness to seed): mostly small, some
// kilobytes, one in twenty 64 KiB; one in five messages multipart. Imports nothing.

/** The largest single part: the top of the size mix. */
export const LARGEST = 64 * 1024;

/** Deterministic spread of `n` over 0..99 (Knuth's multiplicative hash). */
function percentile(n: number, salt: number): number {
  return (Math.imul(n + salt * 7919, 2654435761) >>> 0) % 100;
}

/** The part lengths of message `seq`: one part of 16 B to 64 KiB, or 2–3 small-to-medium parts. */
export function partSizes(seq: number): number[] {
  const sizeOf = (salt: number): number => {
    const p = percentile(seq, salt);
    if (p < 5) return LARGEST;
    if (p < 20) return 1024 * (1 + (p % 8));
    return 16 + ((p * 37) % 240);
  };
  if (percentile(seq, 99) >= 20) return [sizeOf(0)];
  const count = 2 + (seq % 2);
  return Array.from({ length: count }, (_, i) => Math.min(sizeOf(i + 1), 8 * 1024));
}

const fillOf = (seq: number, part: number) => (seq + part * 31) & 0xff;

/** Message `seq` of `stream` (a name without "|"). */
export function makeMessage(stream: string, seq: number): Uint8Array[] {
  const sizes = partSizes(seq);
  const header = new TextEncoder().encode(`${stream}|${seq}|${sizes.join(",")}`);
  return [header, ...sizes.map((size, i) => new Uint8Array(size).fill(fillOf(seq, i)))];
}

export interface Checked {
  stream: string;
  seq: number;
}

/** The stream and number of a received message, or a sentence saying what is wrong with it. */
export function checkMessage(frames: readonly Uint8Array[]): Checked | string {
  const header = frames[0] === undefined ? "" : new TextDecoder().decode(frames[0]);
  const [stream, seqText, sizesText] = header.split("|");
  const seq = Number(seqText);
  if (stream === undefined || sizesText === undefined || !Number.isInteger(seq))
    return `a message with a bad header "${header.slice(0, 60)}"`;
  const sizes = sizesText.split(",").map(Number);
  if (frames.length !== sizes.length + 1) return `${stream} #${seq}: ${frames.length - 1} parts, sent ${sizes.length}`;
  for (let i = 0; i < sizes.length; i++) {
    const part = frames[i + 1]!;
    const fill = fillOf(seq, i);
    // The ends and the middle: enough to see a shifted, truncated or foreign frame cheaply.
    const probes = part.length === 0 ? [] : [part[0], part[part.length >> 1], part[part.length - 1]];
    if (part.length !== sizes[i] || probes.some((b) => b !== fill)) {
      return `${stream} #${seq}: part ${i + 1} is ${part.length} B (sent ${sizes[i]} B) or holds the wrong bytes`;
    }
  }
  return { stream, seq };
}

/** One PUB message: [topic, sequence number of that topic, a body from the same size mix]. */
export function makePublication(topic: string, seq: number): Uint8Array[] {
  const size = partSizes(seq)[0]!;
  return [new TextEncoder().encode(topic), new TextEncoder().encode(String(seq)), new Uint8Array(size).fill(fillOf(seq, 0))];
}

/**
 * Checks one stream's messages arrive in order with none missing, as ZeroMQ promises between two
 * live peers on one connection (PUSH→PULL, DEALER↔ROUTER): remembers the next number expected.
 */
export class SequenceCheck {
  readonly #next = new Map<string, number>();

  /** null when `seq` is the number expected of `stream` (0 for a new stream), else what went wrong. */
  accept(stream: string, seq: number): string | null {
    const expected = this.#next.get(stream) ?? 0;
    this.#next.set(stream, Math.max(expected, seq + 1));
    if (seq === expected) return null;
    return seq > expected ? `${stream}: ${seq - expected} message(s) lost before #${seq}` : `${stream}: #${seq} repeated or out of order`;
  }

  /** How many messages of `stream` arrived in order so far. */
  received(stream: string): number {
    return this.#next.get(stream) ?? 0;
  }

  /** Forgets a stream that has ended (its sender is gone), so the map does not grow with the run. */
  forget(stream: string): void {
    this.#next.delete(stream);
  }
}
