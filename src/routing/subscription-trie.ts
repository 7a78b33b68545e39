// Subscription tables (libzmq trie / mtrie): byte-prefix matching on a message's first frame.
// Imports routing only. The SUB side counts references per topic; the PUB side keeps the pipes per topic.
// Both sit on a radix trie (radix-trie.ts): matching a frame visits at most `frame.length + 1` nodes
// and compares each frame byte once, whatever the number of subscriptions.

import { RadixTrie, childOf } from "./radix-trie.ts";

/**
 * SUB/XSUB side: reference-counted topics. libzmq sends SUBSCRIBE on every local subscribe but
 * CANCEL only when the last local reference goes (zmtp-notes §0 item 7), which `add`/`remove` report.
 */
export class SubscriptionTrie {
  readonly #trie = new RadixTrie<number>();
  #size = 0;

  /** Distinct topics held. */
  get size(): number {
    return this.#size;
  }

  /** Adds one reference; true if the topic was not held before. */
  add(topic: Uint8Array): boolean {
    const node = this.#trie.ensure(topic);
    node.value = (node.value ?? 0) + 1;
    if (node.value === 1) this.#size++;
    return node.value === 1;
  }

  /** Drops one reference; true only if that was the last one (a CANCEL is due). */
  remove(topic: Uint8Array): boolean {
    const node = this.#trie.find(topic);
    if (node?.value === undefined) return false;
    if (--node.value > 0) return false;
    this.#trie.clear(topic);
    this.#size--;
    return true;
  }

  /** Whether some held topic is a byte prefix of `frame`. */
  matches(frame: Uint8Array): boolean {
    let node = this.#trie.root;
    const n = frame.length;
    for (let i = 0; ; ) {
      if (node.value !== undefined) return true;
      if (i === n) return false;
      const child = childOf(node, frame[i]!);
      if (child === undefined) return false;
      const label = child.label;
      const length = label.length;
      if (n - i < length) return false;
      for (let j = 1; j < length; j++) if (label[j] !== frame[i + j]) return false;
      i += length;
      node = child;
    }
  }

  /** Each held topic once, `""` first (what a reconnect re-sends). */
  topics(): Uint8Array[] {
    return this.#trie.entries().map(([topic]) => topic);
  }
}

/** What `PipeSubscriptions.add` found. */
export const enum SubscribeResult {
  /** No pipe held the topic before: the first subscriber (non-verbose XPUB reports it). */
  FIRST,
  /** Other pipes already held it. */
  ADDED,
  /** This pipe already held it: per-connection sets are idempotent (libzmq, zmtp-notes §0 item 7). */
  DUPLICATE,
}

/** What `PipeSubscriptions.remove` found (libzmq mtrie rm_result). */
export const enum CancelResult {
  /** The pipe did not hold the topic. libzmq's non-verbose XPUB still reports such a cancel. */
  NOT_FOUND,
  /** The pipe was the topic's last subscriber. */
  LAST,
  /** Other pipes still hold it. */
  REMAINING,
}

const EMPTY: ReadonlySet<never> = new Set();

/** The pipes of a topic held by two or more, owned by its node; a one-pipe topic shares its pipe's `#alone` set. */
class PipeSet<P> extends Set<P> {}

/**
 * PUB/XPUB side: for each topic, the pipes subscribed to it (libzmq mtrie). A topic with a single
 * subscriber, the common case and a flooding peer's, points at one set per pipe shared by all its
 * single-subscriber topics instead of holding a set of its own: the table costs a pointer per topic.
 */
export class PipeSubscriptions<P> {
  readonly #trie = new RadixTrie<Set<P>>();
  readonly #matched = new Set<P>();
  /** Per pipe, the never-mutated `{pipe}` its single-subscriber topics share; dropped by `removePipe`. */
  readonly #alone = new Map<P, Set<P>>();

  #aloneSet(pipe: P): Set<P> {
    let alone = this.#alone.get(pipe);
    if (alone === undefined) this.#alone.set(pipe, (alone = new Set([pipe])));
    return alone;
  }

  add(topic: Uint8Array, pipe: P): SubscribeResult {
    const node = this.#trie.ensure(topic);
    const held = node.value;
    if (held === undefined) {
      node.value = this.#aloneSet(pipe);
      return SubscribeResult.FIRST;
    }
    if (held.has(pipe)) return SubscribeResult.DUPLICATE;
    if (held instanceof PipeSet) held.add(pipe);
    else node.value = new PipeSet<P>([...held, pipe]);
    return SubscribeResult.ADDED;
  }

  /** Whether `pipe` holds `topic`. */
  has(topic: Uint8Array, pipe: P): boolean {
    return this.#trie.find(topic)?.value?.has(pipe) === true;
  }

  remove(topic: Uint8Array, pipe: P): CancelResult {
    const node = this.#trie.find(topic);
    const held = node?.value;
    if (held === undefined || !held.has(pipe)) return CancelResult.NOT_FOUND;
    if (held instanceof PipeSet) {
      held.delete(pipe);
      if (held.size === 1) node!.value = this.#aloneSet(held.values().next().value!);
      return CancelResult.REMAINING;
    }
    this.#trie.clear(topic);
    return CancelResult.LAST;
  }

  /**
   * Forgets every subscription of a departed pipe, calling `removed(topic, last)` for each; `last`
   * says no other pipe holds the topic. Walks the whole trie, as libzmq does: disconnects are rare.
   */
  removePipe(pipe: P, removed: (topic: Uint8Array, last: boolean) => void): void {
    for (const [topic, held] of this.#trie.entries()) {
      if (!held.has(pipe)) continue;
      removed(topic, this.remove(topic, pipe) === CancelResult.LAST);
    }
    this.#alone.delete(pipe);
  }

  /**
   * The pipes with a topic that prefixes `frame`, each once. The result may be a set held by the
   * trie itself or one reused by the next call: read it before the next call or any add/remove.
   */
  match(frame: Uint8Array): ReadonlySet<P> {
    // Usually a single topic matches: hand back its own set instead of copying it.
    let single: Set<P> | undefined;
    let merged = false;
    const matched = this.#matched;
    let node = this.#trie.root;
    const n = frame.length;
    for (let i = 0; ; ) {
      const pipes = node.value;
      if (pipes !== undefined) {
        if (single === undefined) single = pipes;
        else {
          if (!merged) {
            merged = true;
            matched.clear();
            for (const pipe of single) matched.add(pipe);
          }
          for (const pipe of pipes) matched.add(pipe);
        }
      }
      if (i === n) break;
      const child = childOf(node, frame[i]!);
      if (child === undefined) break;
      const label = child.label;
      const length = label.length;
      if (n - i < length) break;
      let j = 1;
      while (j < length && label[j] === frame[i + j]) j++;
      if (j < length) break;
      i += length;
      node = child;
    }
    return merged ? this.#matched : (single ?? EMPTY);
  }
}
