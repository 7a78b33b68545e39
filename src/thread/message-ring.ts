// Whole messages over a byte ring (byte-ring.ts), for the pipes between the application thread and
// an I/O Worker. A frame is one record, or several when it is larger than a chunk (so a message of
// any size passes through a ring of bounded size, a chunk at a time); the record's tag says whether the
// frame goes on, whether another frame follows, and whether the message is a subscription or a
// group command. Imports core and its sibling frame-arena.ts.
//
// The writer may stop half-way through a message when the ring is full and go on with `resume()`;
// the reader hands out only whole messages, assembled across drains. Frames are copied into the ring
// and out of it once: shared memory cannot lend the user's buffers to another thread, except those
// `Socket.allocate` made in the Context's arena (frame-arena.ts): given the arena, a writer lends
// them, the record then says only where the frame lies, and the reader hands out a view.

import type { Message } from "../core/message.ts";
import { RingReader, type RingMover, RingWriter, maxRecordPayload, ringCapacity } from "./byte-ring.ts";
import { type FrameArena, LEND_MIN_BYTES, type LentFrame, type LentFrames } from "./frame-arena.ts";

/** Another frame of the same message follows this one. */
const TAG_MORE = 1;
/** This record is a part of a frame whose next part follows. */
const TAG_CONTINUES = 2;
/** The message is a subscription (`Message.isSubscription`). */
const TAG_SUBSCRIPTION = 4;
/** The message is a JOIN or LEAVE (`Message.isGroupCommand`). */
const TAG_GROUP_COMMAND = 8;
/** The record holds no bytes of the frame but where it lies in the Context's arena (frame-arena.ts). */
const TAG_LENT = 16;
/** A lent frame's record: offset, length and block, three u32. */
const LENT_RECORD_BYTES = 12;

export class MessageWriter {
  readonly #ring: RingWriter;
  readonly #chunkBytes: number;
  readonly #arena: { readonly arena: FrameArena | null } | null;
  /** The frame being written was lent here and its record did not fit yet: written as it is next time. */
  #lent: LentFrame | null = null;
  readonly #lentRecord = new Uint8Array(LENT_RECORD_BYTES);
  readonly #lentFields = new DataView(this.#lentRecord.buffer);
  #message: Message | null = null;
  #frame = 0;
  #offset = 0;

  /**
   * `mover`: lets the ring move to larger ones (byte-ring.ts). A chunk is at most a quarter of the
   * largest capacity, so both sides overlap; a ring that starts smaller moves for the first large frame.
   * `arena`: where the Context's arena is, once there is one: Buffers it allocated are lent through
   * it instead of copied into the ring (frame-arena.ts).
   */
  constructor(ring: SharedArrayBuffer, mover: RingMover | null = null, arena: { readonly arena: FrameArena | null } | null = null) {
    this.#ring = new RingWriter(ring, mover);
    this.#arena = arena;
    const capacity = mover?.maxCapacity ?? ringCapacity(ring);
    this.#chunkBytes = Math.min(maxRecordPayload(capacity), capacity / 4);
  }

  /** A message is half-written: `resume()` must finish it before `write()` takes another. */
  get busy(): boolean {
    return this.#message !== null;
  }

  /** Writes as much of `message` as fits; true when all of it is in the ring. */
  write(message: Message): boolean {
    if (this.#message !== null) throw new Error("MessageWriter.write while a message is half-written; resume() first");
    this.#message = message;
    this.#frame = 0;
    this.#offset = 0;
    return this.resume();
  }

  /** Goes on with the half-written message; true when it is finished (or there was none). */
  resume(): boolean {
    const message = this.#message;
    if (message === null) return true;
    const subscription =
      (message.isSubscription === true ? TAG_SUBSCRIPTION : 0) | (message.isGroupCommand === true ? TAG_GROUP_COMMAND : 0);
    // Read once per call: the arena appears (the first allocate) between writes, never during one.
    const arena = this.#arena?.arena ?? null;
    while (this.#frame < message.length) {
      const frame = message[this.#frame]!;
      const more = this.#frame < message.length - 1;
      if (this.#offset === 0 && arena !== null && frame.length >= LEND_MIN_BYTES) {
        const lent = this.#lent ?? arena.lend(frame);
        if (lent !== null) {
          if (!this.#writeLent(subscription | TAG_LENT | (more ? TAG_MORE : 0), lent)) return false;
          this.#frame++;
          continue;
        }
      }
      const offset = this.#offset;
      const length = Math.min(frame.length - offset, this.#chunkBytes);
      const continues = offset + length < frame.length;
      const tag = subscription | (continues ? TAG_CONTINUES : 0) | (more ? TAG_MORE : 0);
      if (!this.#ring.tryWriteFrom(tag, frame, offset, length)) return false;
      if (continues) this.#offset += length;
      else {
        this.#frame++;
        this.#offset = 0;
      }
    }
    this.#message = null;
    return true;
  }

  /** Makes what was written visible; true if anything was new (then ring the reader's thread). */
  publish(): boolean {
    return this.#ring.publish();
  }

  /** Writes a lent frame's record; false (keeping `lent` for the next try) when the ring is full. */
  #writeLent(tag: number, lent: LentFrame): boolean {
    const fields = this.#lentFields;
    fields.setUint32(0, lent.offset, true);
    fields.setUint32(4, lent.length, true);
    fields.setUint32(8, lent.block, true);
    if (!this.#ring.tryWriteFrom(tag, this.#lentRecord, 0, LENT_RECORD_BYTES)) {
      this.#lent = lent;
      return false;
    }
    this.#lent = null;
    return true;
  }

  /**
   * For a half-written message: announces a wait for room for its next record (RingWriter.waitForRecord);
   * true if the room is there already, so `resume()` will progress.
   */
  waitForSpace(): boolean {
    const message = this.#message;
    if (message === null) return true;
    const frame = message[this.#frame];
    const next =
      frame === undefined ? 0 : this.#lent !== null ? LENT_RECORD_BYTES : Math.min(frame.length - this.#offset, this.#chunkBytes);
    return this.#ring.waitForRecord(next);
  }

  /** Marks the reader queued on its thread's ready list; true if the caller must queue it (RingWriter.markReaderQueued). */
  markReaderQueued(): boolean {
    return this.#ring.markReaderQueued();
  }
}

export class MessageReader {
  readonly #ring: RingReader;
  /** Frames of the message being assembled, and the parts of its frame in progress. */
  #frames: Buffer[] = [];
  #parts: Uint8Array[] = [];
  /** A whole message the consumer refused (full): offered first next time. */
  #held: Message | null = null;
  readonly #lent: { readonly lent: LentFrames | null } | null;

  /** `lent`: where the Context's arena as this thread sees it is, for frames the writer lent (frame-arena.ts). */
  constructor(ring: SharedArrayBuffer, lent: { readonly lent: LentFrames | null } | null = null) {
    this.#ring = new RingReader(ring);
    this.#lent = lent;
  }

  get readable(): boolean {
    return this.#held !== null || this.#ring.readable;
  }

  /** Nothing readable and nothing on its way (in a ring the writer moved to, not here yet). */
  get drained(): boolean {
    return !this.readable && !this.#ring.awaitingRing;
  }

  /**
   * Hands each whole message to `deliver` until it returns false (the consumer is full; the
   * message is kept and offered first next time) or nothing is left. Returns how many were taken.
   */
  read(deliver: (message: Message) => boolean): number {
    let delivered = 0;
    if (this.#held !== null) {
      if (!deliver(this.#held)) return 0;
      this.#held = null;
      delivered++;
    }
    let stopped = false;
    this.#ring.drain((tag, payload) => {
      if (stopped) return false;
      if ((tag & TAG_CONTINUES) !== 0) {
        this.#parts.push(payload.slice());
        return true;
      }
      this.#frames.push((tag & TAG_LENT) !== 0 ? this.#lentFrame(payload) : this.#frameOf(payload));
      if ((tag & TAG_MORE) !== 0) return true;
      const message: Message = this.#frames;
      if ((tag & TAG_SUBSCRIPTION) !== 0) message.isSubscription = true;
      if ((tag & TAG_GROUP_COMMAND) !== 0) message.isGroupCommand = true;
      this.#frames = [];
      if (deliver(message)) delivered++;
      else {
        this.#held = message;
        stopped = true;
      }
      return true;
    });
    return delivered;
  }

  /** True once after the writer waited for space: ring its thread. */
  takeWriterWaiting(): boolean {
    return this.#ring.takeWriterWaiting();
  }

  /** The writer moved to `ring` (RingReader.follow); the caller pumps again. */
  follow(ring: SharedArrayBuffer): void {
    this.#ring.follow(ring);
  }

  /** Clears the ready-list mark before a pump looks at the ring (RingReader.clearQueued). */
  clearQueued(): void {
    this.#ring.clearQueued();
  }

  #lentFrame(record: Uint8Array): Buffer {
    const lent = this.#lent?.lent ?? null;
    if (lent === null) throw new Error("MessageReader: a lent frame arrived at a reader without the arena");
    const u32 = (at: number) => (record[at]! | (record[at + 1]! << 8) | (record[at + 2]! << 16) | (record[at + 3]! << 24)) >>> 0;
    return lent.view({ offset: u32(0), length: u32(4), block: u32(8) });
  }

  #frameOf(lastPart: Uint8Array): Buffer {
    if (this.#parts.length === 0) return Buffer.copyBytesFrom(lastPart);
    this.#parts.push(lastPart);
    const frame = Buffer.concat(this.#parts);
    this.#parts = [];
    return frame;
  }
}
