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
 * Framing a message once costs about what framing it twice more does (the shared block's
 * bookkeeping and the mark on the message, ~50 ns against ~22 ns per connection for a 64 B message,
 * measured in one process with engines over in-memory streams): it pays from four connections on.
 */
const MIN_SHARED_TARGETS = 4;

/**
 * The same Message object is queued on every target: frames are shared, never copied, so nobody
 * downstream may mutate a queued message. Ended pipes are skipped under every policy.
 */
export class Distribute {
  readonly #pipes = new Set<Pipe>();
  /**
   * PUB and XPUB: a data message that goes to MIN_SHARED_TARGETS or more connections, each with an engine that takes
   * a shared encoding (`Pipe.takesWire`), is marked to be framed once (`Message.wire`) by whichever
   * of those engines writes it first.
   */
  readonly #sharesEncoding: boolean;

  constructor(sharesEncoding = false) {
    this.#sharesEncoding = sharesEncoding;
  }

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
    let engines = 0;
    let others = 0;
    for (const pipe of targets) {
      if (pipe.ended || (policy === "drop" && pipe.full)) continue;
      pipe.write(message);
      if (pipe.takesWire) engines++;
      else others++;
    }
    // Marked after the writes: an engine writes only when its flush runs, never inside pipe.write.
    if (this.#sharesEncoding && engines >= MIN_SHARED_TARGETS && others === 0 && isPlainData(message)) message.wire = null;
    return true;
  }

  /** Whether no attached pipe is at its high-water mark (what `wait` needs for an all-pipes send). */
  get allHaveRoom(): boolean {
    for (const pipe of this.#pipes) if (pipe.full && !pipe.ended) return false;
    return true;
  }
}

/** A message with nothing but frames: no command, journal or routing id the engine treats apart. */
function isPlainData(message: Message): boolean {
  return (
    message.wire === undefined &&
    message.isSubscription === undefined &&
    message.isGroupCommand === undefined &&
    message.release === undefined &&
    message.routingId === undefined
  );
}
