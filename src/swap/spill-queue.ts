// One overflow queue of the `swap` option: messages past a high-water mark, gathered in memory
// into batches, written to a SegmentLog a batch at a time, and loaded back a chunk at a time.
// Imports core, pipe's Overflow contract and the files beside it.

import { ZmqError, type ZmqErrorCode } from "../core/errors.ts";
import type { Message } from "../core/message.ts";
import type { Overflow } from "../pipe/overflow.ts";
import { RecordBuffer } from "./record.ts";
import type { SegmentLog } from "./segment-log.ts";

/** Messages gather in memory until they make this many bytes of records, then go out in one write. */
export const BATCH_BYTES = 256 * 1024;

/** `swapSync`: what is fsync'd, i.e. what a journal keeps through a power loss (not only a crash). */
export type SwapSync = "none" | "batch" | "message";

/** What a queue needs from its socket's swap space (swap-space.ts). */
export interface SpillHost {
  /** Whether the socket's `swap` budget has room left. */
  hasBudget(): boolean;
  /** Bytes of records held (in the write batch or on disk) changed by `delta`. */
  charge(delta: number): void;
  /**
   * The journal's fsync policy when the queue is durable (an explicit `swapDirectory`: every
   * message journaled, records kept until handed to a connection), or null for a spill queue.
   */
  readonly journal: SwapSync | null;
  /** A new log in the swap directory (for a journal, with what a previous process left: `recovered` records); throws if the directory cannot be used. */
  openLog(): { log: SegmentLog; recovered: number };
  /** A monitor event for this queue. */
  report(type: "spill:start" | "spill:stop" | "spill:error", address: string, error?: ZmqError): void;
  /** The queue was closed. */
  forget(queue: SpillQueue): void;
}

/**
 * Order: loaded (read back, oldest) | on disk | batch (not written yet, newest). Invariant:
 * `#charged` is the record bytes of the batch plus the bytes of the log's files.
 */
export class SpillQueue implements Overflow {
  onAvailable: () => void = () => {};
  readonly journals: boolean;
  readonly #address: string;
  readonly #host: SpillHost;
  #flushScheduled = false;
  #log: SegmentLog | null = null;
  #loaded: Message[] = [];
  #loadedAt = 0;
  #onDisk = 0;
  readonly #batch = new RecordBuffer();
  #charged = 0;
  /** A write failed: take nothing more until the queue has drained (then try the disk again). */
  #failed = false;
  #closed = false;

  constructor(address: string, host: SpillHost) {
    this.#address = address;
    this.#host = host;
    this.journals = host.journal !== null;
    // A journal opens at once: what a previous process accepted and did not hand over goes first.
    if (this.journals) {
      const { log, recovered } = host.openLog();
      this.#attach(log);
      this.#onDisk = recovered;
      this.#charge(log.bytes);
      if (recovered > 0) host.report("spill:start", address);
    }
  }

  get size(): number {
    return this.#loaded.length - this.#loadedAt + this.#onDisk + this.#batch.count;
  }

  /** Bytes of this queue's segment files. */
  get bytesOnDisk(): number {
    return this.#log?.bytes ?? 0;
  }

  hasRoom(): boolean {
    return !this.#closed && !this.#failed && this.#host.hasBudget();
  }

  push(message: Message): void {
    if (this.size === 0) this.#host.report("spill:start", this.#address);
    this.#charge(this.#batch.append(message));
    if (this.#batch.byteLength >= BATCH_BYTES || this.#host.journal === "message") this.#write();
    else if (this.journals && !this.#flushScheduled) {
      // Group commit: every message of this turn in one write, before any `await send()` resumes
      // (this microtask was queued before the send's promise settled), so a resolved send is on disk.
      this.#flushScheduled = true;
      queueMicrotask(() => {
        this.#flushScheduled = false;
        if (this.#batch.count > 0) this.#write();
      });
    }
  }

  shift(): Message | undefined {
    const message = this.#take();
    if (message !== undefined && this.size === 0) this.#drained();
    return message;
  }

  clear(): number {
    const dropped = this.size;
    this.#log?.close(this.journals);
    this.#log = null;
    this.#loaded = [];
    this.#loadedAt = this.#onDisk = 0;
    this.#batch.clear(true);
    this.#charge(-this.#charged);
    if (dropped > 0) this.#drained();
    return dropped;
  }

  close(): void {
    if (this.#closed) return;
    // A journal keeps its files for the next process, with the last batch written into them.
    if (this.journals && this.#batch.count > 0) this.#write();
    this.clear();
    this.#closed = true;
    this.#host.forget(this);
  }

  #take(): Message | undefined {
    for (;;) {
      if (this.#loadedAt < this.#loaded.length) {
        const message = this.#loaded[this.#loadedAt];
        this.#loaded[this.#loadedAt++] = undefined as never;
        return message;
      }
      if (this.#onDisk > 0) {
        this.#load();
        continue;
      }
      // A journal hands out only what is on disk, unless the disk failed.
      if (this.#batch.count === 0 || (this.journals && !this.#failed)) return undefined;
      const before = this.#batch.byteLength;
      const message = this.#batch.shift();
      this.#charge(this.#batch.byteLength - before);
      return message;
    }
  }

  /** Writes the batch as one write; on failure the batch stays in memory and spilling stops. */
  #write(): void {
    if (this.#failed) return;
    const records = this.#batch.count;
    try {
      if (this.#log === null) this.#attach(this.#host.openLog().log);
      this.#log!.append(this.#batch.bytes, records, this.#host.journal === "batch" || this.#host.journal === "message");
    } catch (error) {
      this.#failed = true;
      this.#host.report("spill:error", this.#address, storageError(error, "writing"));
      if (this.journals) this.onAvailable();
      return;
    }
    this.#onDisk += records;
    this.#batch.clear();
    if (this.journals) this.onAvailable();
  }

  #attach(log: SegmentLog): void {
    this.#log = log;
    log.onFreed = (bytes) => this.#charge(-bytes);
  }

  #load(): void {
    let loaded;
    try {
      loaded = this.#log!.read();
    } catch (error) {
      // Unreadable: what is on disk is lost, and said so; the batch in memory is still delivered.
      this.#host.report("spill:error", this.#address, storageError(error, "reading"));
      this.#log!.close();
      this.#charge(-(this.#charged - this.#batch.byteLength));
      this.#log = null;
      this.#onDisk = 0;
      return;
    }
    this.#charge(-loaded.freedBytes);
    this.#onDisk -= loaded.messages.length + loaded.skipped;
    this.#loaded = loaded.messages;
    this.#loadedAt = 0;
    if (loaded.skipped > 0) {
      const detail = `${loaded.skipped} record(s) of a swap queue failed their checksum and were skipped; the disk or the files were damaged`;
      this.#host.report("spill:error", this.#address, new ZmqError("EBADMSG", detail));
    }
  }

  #drained(): void {
    this.#failed = false;
    this.#batch.clear(true);
    this.#host.report("spill:stop", this.#address);
  }

  #charge(delta: number): void {
    this.#charged += delta;
    this.#host.charge(delta);
  }
}

function storageError(error: unknown, doing: string): ZmqError {
  const code = (error as { code?: string }).code;
  const mapped: ZmqErrorCode = code === "ENOSPC" || code === "EDQUOT" || code === "EFBIG" ? "ENOSPC" : "EIO";
  const reason = error instanceof Error ? error.message : String(error);
  const fix = mapped === "ENOSPC" ? "; the high-water mark applies until the queue drains: free space or raise the limit" : "";
  return new ZmqError(mapped, `${doing} the swap queue failed (${reason})${fix}`, undefined, { cause: error });
}
