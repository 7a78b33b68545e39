// libzmq's message stream over PGM: each APDU starts with a 2-byte offset to the first message that
// begins in it (0xffff: none), followed by ZMTP 1.0 frames that run on across APDUs:
//   length < 255: [length u8][flags u8][body]   else: [0xff][length u64][flags u8][body]
// where length counts the flags byte and flags bit 0 is MORE. The offset is what lets a late joiner,
// or a receiver that lost data, start at a message boundary. Imports only core; no I/O.

import type { Message } from "../core/message.ts";

export const NO_MESSAGE_START = 0xffff;
const MORE = 1;

/** Turns messages into APDUs of at most `apduSize` bytes, offset header included. */
export class PgmStreamEncoder {
  readonly #apduSize: number;
  /** Encoded frames not yet placed in an APDU, each a header and a body, with where messages start. */
  readonly #chunks: Array<{ bytes: Uint8Array; messageStart: boolean }> = [];
  /** Bytes of the first chunk already placed. */
  #consumed = 0;
  #pending = 0;

  constructor(apduSize: number) {
    this.#apduSize = apduSize;
  }

  /** Encoded bytes waiting for an APDU. */
  get pending(): number {
    return this.#pending;
  }

  push(message: Message): void {
    message.forEach((frame, i) => {
      const more = i < message.length - 1 ? MORE : 0;
      const length = frame.length + 1;
      const header = length < 255 ? Uint8Array.of(length, more) : longHeader(length, more);
      this.#chunks.push({ bytes: header, messageStart: i === 0 }, { bytes: frame, messageStart: false });
      this.#pending += header.length + frame.length;
    });
  }

  /** The next APDU, or null when nothing is pending. */
  next(): Uint8Array | null {
    if (this.#pending === 0) return null;
    const size = Math.min(this.#apduSize, this.#pending + 2);
    const apdu = new Uint8Array(size);
    let at = 2;
    let offset = NO_MESSAGE_START;
    while (at < size) {
      const chunk = this.#chunks[0]!;
      if (chunk.messageStart && this.#consumed === 0 && offset === NO_MESSAGE_START) offset = at - 2;
      const take = Math.min(chunk.bytes.length - this.#consumed, size - at);
      apdu.set(chunk.bytes.subarray(this.#consumed, this.#consumed + take), at);
      at += take;
      this.#consumed += take;
      this.#pending -= take;
      if (this.#consumed === chunk.bytes.length) {
        this.#chunks.shift();
        this.#consumed = 0;
      }
    }
    apdu[0] = offset >>> 8;
    apdu[1] = offset & 0xff;
    return apdu;
  }
}

function longHeader(length: number, flags: number): Uint8Array {
  const header = new Uint8Array(10);
  const view = new DataView(header.buffer);
  header[0] = 0xff;
  view.setBigUint64(1, BigInt(length));
  header[9] = flags;
  return header;
}

/** Why a sender's stream cannot be decoded further; the receiver resynchronises at the next offset. */
export type StreamFault = "bad-length" | "too-large";

/**
 * One sender's stream back into messages. Before it has joined (and after `reset`) it skips APDUs
 * until one names a message start. `maxMessageSize` (-1: none) bounds what a frame may claim.
 */
export class PgmStreamDecoder {
  readonly #maxMessageSize: number;
  #joined = false;
  #header = new Uint8Array(10);
  #headerHave = 0;
  /** Length of the frame being read, or -1 between frames; its bytes are kept as they come. */
  #bodyLength = -1;
  #bodyParts: Uint8Array[] = [];
  #bodyHave = 0;
  #more = 0;
  #frames: Uint8Array[] = [];
  #messageSize = 0;

  constructor(maxMessageSize: number) {
    this.#maxMessageSize = maxMessageSize;
  }

  /** Drops any partial message; decoding resumes at the next APDU that starts a message. */
  reset(): void {
    this.#joined = false;
    this.#headerHave = 0;
    this.#bodyLength = -1;
    this.#bodyParts = [];
    this.#frames = [];
    this.#messageSize = 0;
  }

  /** Feeds one APDU, in sequence order; returns whole messages, or a fault (after which it has reset). */
  feed(apdu: Uint8Array): { messages: Message[]; fault: StreamFault | null } {
    const messages: Message[] = [];
    if (apdu.length < 2) return { messages, fault: null };
    let at = 2;
    if (!this.#joined) {
      const offset = (apdu[0]! << 8) | apdu[1]!;
      if (offset === NO_MESSAGE_START || 2 + offset > apdu.length) return { messages, fault: null };
      at = 2 + offset;
      this.#joined = true;
    }
    while (at < apdu.length) {
      if (this.#bodyLength < 0) {
        const need = this.#headerHave === 0 || this.#header[0] !== 0xff ? 2 : 10;
        const wanted = this.#headerHave === 0 ? 1 : need - this.#headerHave;
        const take = Math.min(wanted, apdu.length - at);
        this.#header.set(apdu.subarray(at, at + take), this.#headerHave);
        this.#headerHave += take;
        at += take;
        const full = this.#headerHave >= 2 && this.#headerHave === (this.#header[0] === 0xff ? 10 : 2);
        if (!full) continue;
        const fault = this.#startBody();
        if (fault !== null) {
          this.reset();
          return { messages, fault };
        }
        if (this.#bodyLength === 0) {
          this.#endFrame(messages);
          continue;
        }
      }
      const take = Math.min(this.#bodyLength - this.#bodyHave, apdu.length - at);
      if (take > 0) this.#bodyParts.push(apdu.slice(at, at + take));
      this.#bodyHave += take;
      at += take;
      if (this.#bodyHave === this.#bodyLength) this.#endFrame(messages);
    }
    return { messages, fault: null };
  }

  #startBody(): StreamFault | null {
    const long = this.#header[0] === 0xff;
    const length = long ? Number(new DataView(this.#header.buffer).getBigUint64(1)) : this.#header[0]!;
    this.#more = this.#header[long ? 9 : 1]! & MORE;
    this.#headerHave = 0;
    if (length < 1 || !Number.isSafeInteger(length)) return "bad-length";
    this.#messageSize += length - 1;
    if (this.#maxMessageSize >= 0 && this.#messageSize > this.#maxMessageSize) return "too-large";
    // A frame claiming more than any JavaScript buffer could hold is malformed whatever the limit.
    // Nothing is allocated for the claim itself: the parts are kept as they arrive.
    if (length - 1 > 0x7fffffff) return "too-large";
    this.#bodyLength = length - 1;
    this.#bodyHave = 0;
    return null;
  }

  #endFrame(messages: Message[]): void {
    const parts = this.#bodyParts;
    let frame: Uint8Array;
    if (parts.length === 1) frame = parts[0]!;
    else {
      frame = new Uint8Array(this.#bodyLength);
      let at = 0;
      for (const part of parts) {
        frame.set(part, at);
        at += part.length;
      }
    }
    this.#frames.push(frame);
    this.#bodyLength = -1;
    this.#bodyParts = [];
    if (this.#more) return;
    messages.push(this.#frames);
    this.#frames = [];
    this.#messageSize = 0;
  }
}
