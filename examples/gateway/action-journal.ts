// The gateway's record of the actions it accepted and has not answered yet, for the durable mode
// (`swapDirectory`): an append-only file of ACCEPT and SETTLE records, written once per turn of the
// event loop (group commit: one write for every action of that turn), read back by a gateway that
// starts on the same directory after a crash or a SIGKILL.
//
// Why a file of its own beside the actions PUSH's journal (the same directory's `actions/`): the
// PUSH keeps a message until the kernel has taken it on its way to a server; an action is done only
// when its answer has reached its player, which only the gateway knows. Between the two, a server
// may die, or the gateway itself, with the answer on the wire; this file covers that gap.
//
//   ACCEPT  u8 1 | u32 actionId | u32 playerId | u32 clientSeq | u32 payload length | payload
//   SETTLE  u8 2 | u32 actionId
//   LAST    u8 3 | u32 actionId: the last id used (first in a rewritten file)   (big-endian)
//
// A record cut short by a kill in mid-write is ignored. The file is rewritten with only the live
// actions when a gateway opens it and whenever it grows past COMPACT_BYTES.

import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";

const ACCEPT = 1;
const SETTLE = 2;
const LAST = 3;
const ACCEPT_HEAD = 1 + 4 * 4;
/** SETTLE and LAST records. */
const ID_RECORD_BYTES = 1 + 4;
/** The file is rewritten with only the live actions once it grows past this. */
const COMPACT_BYTES = 64 * 1024 * 1024;

/** One accepted action, as the journal keeps it. */
export interface JournaledAction {
  actionId: number;
  playerId: number;
  clientSeq: number;
  payload: Uint8Array;
}

export class ActionJournal {
  readonly #path: string;
  readonly #sync: boolean;
  #fd: number;
  #size = 0;
  #chunks: Buffer[] = [];
  #flushScheduled = false;
  #failed = false;
  /** The last action id accepted, by this gateway or one before it on the directory. */
  #lastId: number;

  /**
   * Opens `directory`'s journal: returns the actions a previous gateway accepted and never settled,
   * in the order it accepted them, and starts a fresh file that holds only those. `sync`: fsync
   * every write (what survives a power loss, not only a crash).
   */
  static open(directory: string, sync: boolean): { journal: ActionJournal; recovered: JournaledAction[] } {
    const path = join(directory, "actions.journal");
    const { live, lastId } = existsSync(path) ? readLive(readFileSync(path)) : { live: [], lastId: 0 };
    const journal = new ActionJournal(path, sync, live, lastId);
    return { journal, recovered: live };
  }

  private constructor(path: string, sync: boolean, live: Iterable<JournaledAction>, lastId: number) {
    this.#path = path;
    this.#sync = sync;
    this.#lastId = lastId;
    this.#fd = this.#rewrite(live);
  }

  /**
   * The last action id used on this directory: a restarted gateway numbers on from it, so a late
   * answer to an action settled before the crash can never be taken for a new action's.
   */
  get lastId(): number {
    return this.#lastId;
  }

  /** Journals an accepted action; it is the kernel's before anything else happens in this process. */
  accept(action: JournaledAction): void {
    const record = Buffer.allocUnsafe(ACCEPT_HEAD + action.payload.byteLength);
    record[0] = ACCEPT;
    record.writeUInt32BE(action.actionId, 1);
    record.writeUInt32BE(action.playerId, 5);
    record.writeUInt32BE(action.clientSeq, 9);
    record.writeUInt32BE(action.payload.byteLength, 13);
    record.set(action.payload, ACCEPT_HEAD);
    this.#lastId = Math.max(this.#lastId, action.actionId);
    this.#append(record);
  }

  /** The action's answer reached its player: a later gateway need not play it again. */
  settle(actionId: number): void {
    this.#append(idRecord(SETTLE, actionId));
  }

  /** Rewrites the file with only `live` once it has grown past COMPACT_BYTES; the gateway passes what it still holds. */
  compactIfLarge(live: () => Iterable<JournaledAction>): void {
    if (this.#size < COMPACT_BYTES) return;
    this.#flush();
    closeSync(this.#fd);
    this.#fd = this.#rewrite(live());
  }

  /** Writes what is waiting and closes the file (it stays, for the next gateway). */
  close(): void {
    this.#flush();
    closeSync(this.#fd);
  }

  #append(record: Buffer): void {
    this.#chunks.push(record);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    queueMicrotask(() => this.#flush());
  }

  #flush(): void {
    this.#flushScheduled = false;
    if (this.#chunks.length === 0) return;
    const batch = Buffer.concat(this.#chunks);
    try {
      let written = 0;
      while (written < batch.byteLength) written += writeSync(this.#fd, batch, written, batch.byteLength - written);
      if (this.#sync) fsyncSync(this.#fd);
    } catch (error) {
      // A full disk: keep the records and try again with the next turn's; say so once.
      if (!this.#failed) console.error(`gateway: writing ${this.#path} failed (${String(error)}); retrying`);
      this.#failed = true;
      return;
    }
    this.#failed = false;
    this.#chunks = [];
    this.#size += batch.byteLength;
  }

  /** A new file with an ACCEPT per live action, renamed over the old one (a crash leaves one or the other). */
  #rewrite(live: Iterable<JournaledAction>): number {
    const fresh = `${this.#path}.new`;
    const fd = openSync(fresh, "w", 0o600);
    this.#fd = fd;
    this.#size = 0;
    this.#append(idRecord(LAST, this.#lastId));
    for (const action of live) this.accept(action);
    this.#flush();
    fsyncSync(fd);
    renameSync(fresh, this.#path);
    return fd;
  }
}

function idRecord(kind: number, actionId: number): Buffer {
  const record = Buffer.allocUnsafe(ID_RECORD_BYTES);
  record[0] = kind;
  record.writeUInt32BE(actionId, 1);
  return record;
}

/** The ACCEPTs of `file` without a SETTLE, in order, and the last id used; a torn last record is ignored. */
function readLive(file: Buffer): { live: JournaledAction[]; lastId: number } {
  const live = new Map<number, JournaledAction>();
  let lastId = 0;
  let at = 0;
  while (at < file.byteLength) {
    const kind = file[at];
    if ((kind === SETTLE || kind === LAST) && at + ID_RECORD_BYTES <= file.byteLength) {
      const actionId = file.readUInt32BE(at + 1);
      if (kind === SETTLE) live.delete(actionId);
      else lastId = Math.max(lastId, actionId);
      at += ID_RECORD_BYTES;
      continue;
    }
    if (kind !== ACCEPT || at + ACCEPT_HEAD > file.byteLength) break;
    const length = file.readUInt32BE(at + 13);
    if (at + ACCEPT_HEAD + length > file.byteLength) break;
    const actionId = file.readUInt32BE(at + 1);
    lastId = Math.max(lastId, actionId);
    live.set(actionId, {
      actionId,
      playerId: file.readUInt32BE(at + 5),
      clientSeq: file.readUInt32BE(at + 9),
      payload: Buffer.from(file.subarray(at + ACCEPT_HEAD, at + ACCEPT_HEAD + length)),
    });
    at += ACCEPT_HEAD + length;
  }
  return { live: [...live.values()], lastId };
}
