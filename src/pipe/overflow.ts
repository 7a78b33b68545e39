// The contract of a queue that takes a pipe's (or a socket's) messages beyond its high-water mark:
// the `swap` option's disk queue (src/swap/) behind an interface, so pipe, routing and socket stay
// free of I/O. Imports only core.

import type { Message } from "../core/message.ts";

/**
 * A FIFO of whole messages kept outside memory. Its owner pushes only while `hasRoom()`, and takes
 * messages back with `shift()` in the order they were pushed. Every member is synchronous and never
 * throws for a storage fault: a full disk makes `hasRoom()` false (what was pushed stays
 * readable), a damaged record is skipped; both are reported by the implementation, not the caller.
 */
export interface Overflow {
  /** Messages pushed and not yet shifted. */
  readonly size: number;
  /**
   * Whether every message goes through this queue, not only the overflow (a durable journal):
   * `shift()` then returns only messages already on disk, and `onAvailable` says when more are.
   */
  readonly journals: boolean;
  /** Set by the owner: messages became available to `shift()` (a journal wrote a batch). */
  onAvailable: () => void;
  /** Whether one more message may be pushed: false once the `swap` budget is spent or storage failed. */
  hasRoom(): boolean;
  /** Appends a message; the caller checked `hasRoom()`. The queue owns the message afterwards. */
  push(message: Message): void;
  /** The oldest message, or undefined when empty. */
  shift(): Message | undefined;
  /** Drops every message (a vanished peer's queue) and returns how many there were. */
  clear(): number;
  /** Drops every message and releases the storage; the queue is not used again. */
  close(): void;
}

/** Makes the overflow queue of one pipe (`label` names it in events: the peer's address) or of the socket. */
export type OverflowFactory = (label: string) => Overflow;
