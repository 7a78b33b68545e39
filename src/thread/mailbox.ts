// A thread's mailbox for commands (attach, detach, close, options, events): a ring of JSON records
// from one sending thread, and the receiving thread's doorbell. Commands are rare next to messages,
// so their encoding favours clarity; messages travel in rings of their own, not here. Imports only
// byte-ring.ts and doorbell.ts.

import { RingReader, RingWriter, createRing, maxRecordPayload } from "./byte-ring.ts";
import type { DoorbellRinger } from "./doorbell.ts";

const MAILBOX_BYTES = 64 * 1024;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The ring of a new mailbox; the receiving thread pairs it with its doorbell's address. */
export function createMailboxRing(): SharedArrayBuffer {
  return createRing(MAILBOX_BYTES);
}

export class MailboxSender<Command> {
  readonly #writer: RingWriter;
  readonly #doorbell: DoorbellRinger;
  /** Commands that did not fit while the receiver lagged; sent first by the next `post` or `flush`. */
  readonly #waiting: Uint8Array[] = [];

  constructor(ring: SharedArrayBuffer, doorbell: DoorbellRinger) {
    this.#writer = new RingWriter(ring);
    this.#doorbell = doorbell;
  }

  /** Queues `command` and wakes the receiver. Order is kept even when the ring is momentarily full. */
  post(command: Command): void {
    const bytes = encoder.encode(JSON.stringify(command));
    if (bytes.length > maxRecordPayload(MAILBOX_BYTES)) throw new RangeError(`mailbox command of ${bytes.length} bytes is too large`);
    this.#waiting.push(bytes);
    this.flush();
  }

  /**
   * Retries commands that did not fit; true when none is left waiting. If some still wait, the
   * receiver is asked to report room (`MailboxReceiver.takeSenderWaiting`), and its thread then
   * rings ours so we flush again.
   */
  flush(): boolean {
    for (;;) {
      while (this.#waiting.length > 0 && this.#writer.tryWriteBytes(0, this.#waiting[0]!)) this.#waiting.shift();
      if (this.#writer.publish()) this.#doorbell.ring();
      if (this.#waiting.length === 0) return true;
      if (!this.#writer.waitForRecord(this.#waiting[0]!.length)) return false;
    }
  }
}

export class MailboxReceiver<Command> {
  readonly #reader: RingReader;

  constructor(ring: SharedArrayBuffer) {
    this.#reader = new RingReader(ring);
  }

  get readable(): boolean {
    return this.#reader.readable;
  }

  /** True once after the sender waited for room: ring the sender's thread so it flushes again. */
  takeSenderWaiting(): boolean {
    return this.#reader.takeWriterWaiting();
  }

  /** Hands every queued command to `handle`, in order; returns how many. */
  take(handle: (command: Command) => void): number {
    const commands: Command[] = [];
    this.#reader.drain((_tag, payload) => {
      commands.push(JSON.parse(decoder.decode(payload)) as Command);
    });
    for (const command of commands) handle(command);
    return commands.length;
  }
}
