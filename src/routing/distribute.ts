// Distribute (libzmq dist): one message to many outbound pipes, all or nothing per pipe.
// Imports pipe and core only.

import type { Message } from "../core/message.ts";
import type { Pipe } from "../pipe/pipe.ts";

/**
 * What to do with a target pipe at its high-water mark:
 * - `drop`: that pipe misses the message (PUB, XPUB, XSUB data; RFC 29 "SHALL silently drop").
 * - `wait`: nothing is sent and the send reports false until every target has room (XPUB_NODROP).
 * - `force`: write anyway, overshooting the mark (subscriptions, which must not be lost and are few).
 */
export type FullPolicy = "drop" | "wait" | "force";

/**
 * The same Message object is queued on every target: frames are shared, never copied, so nobody
 * downstream may mutate a queued message. Ended pipes are skipped under every policy.
 */
export class Distribute {
  readonly #pipes = new Set<Pipe>();

  get size(): number {
    return this.#pipes.size;
  }

  get pipes(): ReadonlySet<Pipe> {
    return this.#pipes;
  }

  attach(pipe: Pipe): void {
    this.#pipes.add(pipe);
  }

  detach(pipe: Pipe): void {
    this.#pipes.delete(pipe);
  }

  /** Sends to every attached pipe; false only under `wait` when some pipe is full. */
  sendToAll(message: Message, policy: FullPolicy): boolean {
    return this.sendTo(message, this.#pipes, policy);
  }

  /**
   * Sends to each pipe of `targets` (which must be attached and distinct); false only under `wait`
   * when some target is full, in which case nothing was sent and the full pipes are armed so their
   * `onWritable` fires once they drain.
   */
  sendTo(message: Message, targets: Iterable<Pipe>, policy: FullPolicy): boolean {
    if (policy === "wait") {
      let allRoom = true;
      // Check every target (not just up to the first full one) so each full pipe gets armed.
      for (const pipe of targets) if (!pipe.ended && !pipe.canWrite()) allRoom = false;
      if (!allRoom) return false;
    }
    for (const pipe of targets) {
      if (pipe.ended || (policy === "drop" && pipe.full)) continue;
      pipe.write(message);
    }
    return true;
  }

  /** Whether no attached pipe is at its high-water mark (what `wait` needs for an all-pipes send). */
  get allHaveRoom(): boolean {
    for (const pipe of this.#pipes) if (pipe.full && !pipe.ended) return false;
    return true;
  }
}
