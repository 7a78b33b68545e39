// libzmq's message stream over PGM: each APDU starts with a 2-byte offset to the first message that
// begins in it (0xffff: none), followed by ZMTP 1.0 frames (v1-frames.ts) that run on across APDUs.
// The offset is what lets a late joiner, or a receiver that lost data, start at a message boundary.
// Imports core and its own layer's 1.0 framing; no I/O.

import type { Message } from "../core/message.ts";
import { FLAG_MORE } from "./frame.ts";
import { V1FrameDecoder, v1HeaderSize, writeV1Header } from "./v1-frames.ts";

export const NO_MESSAGE_START = 0xffff;

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
      const more = i < message.length - 1 ? FLAG_MORE : 0;
      const header = new Uint8Array(v1HeaderSize(frame.length));
      writeV1Header(header, 0, more, frame.length);
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

/** Why a sender's stream cannot be decoded further; the receiver resynchronises at the next offset. */
export type StreamFault = "bad-length" | "too-large";

/**
 * One sender's stream back into messages. Before it has joined (and after `reset`) it skips APDUs
 * until one names a message start. `maxMessageSize` (-1: none) bounds what a frame may claim.
 */
export class PgmStreamDecoder {
  readonly #maxMessageSize: number;
  #joined = false;
  #frames: V1FrameDecoder;
  /** Frames of the message under way, and their bytes. */
  #parts: Uint8Array[] = [];
  #messageSize = 0;

  constructor(maxMessageSize: number) {
    this.#maxMessageSize = maxMessageSize;
    this.#frames = new V1FrameDecoder(maxMessageSize);
  }

  /** Drops any partial message; decoding resumes at the next APDU that starts a message. */
  reset(): void {
    this.#joined = false;
    this.#frames = new V1FrameDecoder(this.#maxMessageSize);
    this.#parts = [];
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
    const frames = this.#frames;
    frames.feed(apdu, at);
    while (frames.next()) {
      // Each frame is bounded by the decoder before its body is collected; the message as a whole here.
      this.#messageSize += frames.body.length;
      if (this.#maxMessageSize >= 0 && this.#messageSize > this.#maxMessageSize) return this.#fault(messages, "too-large");
      this.#parts.push(frames.body);
      if ((frames.flags & FLAG_MORE) !== 0) continue;
      messages.push(this.#parts);
      this.#parts = [];
      this.#messageSize = 0;
    }
    if (frames.errorCode !== null) return this.#fault(messages, frames.errorCode === "EPROTO" ? "bad-length" : "too-large");
    return { messages, fault: null };
  }

  #fault(messages: Message[], fault: StreamFault): { messages: Message[]; fault: StreamFault } {
    this.reset();
    return { messages, fault };
  }
}
