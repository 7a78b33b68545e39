// A socket's `swap` storage: its budget in bytes, its directory (a private temporary one, removed
// on close, unless `swapDirectory` names one) and its overflow queues. Imports core, pipe's
// Overflow contract and the files beside it; node:fs for the directory.

import { accessSync, constants, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ZmqError } from "../core/errors.ts";
import type { Event } from "../core/events.ts";
import type { Overflow } from "../pipe/overflow.ts";
import { SegmentLog } from "./segment-log.ts";
import { type SpillHost, SpillQueue, type SwapSync } from "./spill-queue.ts";

/** The durable queue's log name: its segments are `journal-00000001.seg`, … */
const JOURNAL = "journal";

export interface SwapSettings {
  /** The `swap` option now: bytes the socket may hold beyond its high-water marks (0: none more). */
  readonly swap: number;
  /** The `swapDirectory` option now, or null for a private temporary directory. */
  readonly swapDirectory: string | null;
  /** The `swapSync` option: what a durable queue fsyncs. */
  readonly swapSync: SwapSync;
}

/**
 * Invariants: `#used` is the record bytes all live queues hold (write batches and files);
 * `#directory` is fixed once the first queue has opened a file.
 */
export class SwapSpace implements SpillHost {
  readonly #settings: SwapSettings;
  readonly #emit: (event: Event) => void;
  readonly #queues = new Set<SpillQueue>();
  #directory: string | null = null;
  #temporary = false;
  #logs = 0;
  #used = 0;

  constructor(settings: SwapSettings, emit: (event: Event) => void) {
    this.#settings = settings;
    this.#emit = emit;
  }

  /** A new overflow queue (an OverflowFactory): `address` names its peer in events, "" the socket's own. */
  readonly createQueue = (address: string): Overflow => {
    const queue = new SpillQueue(address, this);
    this.#queues.add(queue);
    return queue;
  };

  /** Bytes of segment files on disk now, over all queues. */
  get bytesOnDisk(): number {
    let bytes = 0;
    for (const queue of this.#queues) bytes += queue.bytesOnDisk;
    return bytes;
  }

  /** Whether files have been opened or messages taken: the directory can no longer change. */
  get inUse(): boolean {
    if (this.#directory !== null) return true;
    for (const queue of this.#queues) if (queue.size > 0) return true;
    return false;
  }

  /** With an explicit directory the queue is durable: a journal of every message (docs/swap.md). */
  get journal(): SwapSync | null {
    return this.#settings.swapDirectory === null ? null : this.#settings.swapSync;
  }

  hasBudget(): boolean {
    return this.#used < this.#settings.swap;
  }

  charge(delta: number): void {
    this.#used += delta;
  }

  openLog(): { log: SegmentLog; recovered: number } {
    this.#directory ??= this.#openDirectory();
    if (this.journal === null) return { log: new SegmentLog(this.#directory, `queue-${++this.#logs}`), recovered: 0 };
    const log = new SegmentLog(this.#directory, JOURNAL, true);
    let recovered = 0;
    const pattern = new RegExp(`^${JOURNAL}-(\\d{8})\\.seg$`);
    for (const name of readdirSync(this.#directory).sort()) {
      const match = pattern.exec(name);
      if (match !== null) recovered += log.adopt(name, Number(match[1]));
    }
    return { log, recovered };
  }

  report(type: "spill:start" | "spill:stop" | "spill:error", address: string, error?: ZmqError): void {
    this.#emit((error === undefined ? { type, address } : { type, address, error }) as Event);
  }

  forget(queue: SpillQueue): void {
    this.#queues.delete(queue);
  }

  /** Drops every queue and its files; a private directory goes too. */
  close(): void {
    for (const queue of [...this.#queues]) queue.close();
    if (this.#temporary && this.#directory !== null) rmSync(this.#directory, { recursive: true, force: true });
    this.#directory = null;
  }

  #openDirectory(): string {
    const chosen = this.#settings.swapDirectory;
    if (chosen !== null) {
      checkSwapDirectory(chosen);
      return chosen;
    }
    this.#temporary = true;
    return mkdtempSync(join(tmpdir(), "bunzmq-swap-"));
  }
}

/** Throws a ZmqError saying what is wrong if `path` is not a directory this process can write in. */
export function checkSwapDirectory(path: string): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    const detail = `swapDirectory ${path} does not exist or cannot be reached; create it first`;
    throw new ZmqError("ENOENT", detail, undefined, { message: "No such file or directory", cause: error });
  }
  if (!isDirectory) throw new ZmqError("EINVAL", `swapDirectory ${path} is not a directory; give a directory`);
  try {
    accessSync(path, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new ZmqError("EACCES", `swapDirectory ${path} is not readable and writable by this process; fix its permissions`, undefined, {
      cause: error,
    });
  }
}
