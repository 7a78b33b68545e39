// Subscription tables (libzmq trie / mtrie): byte-prefix matching on a message's first frame.
// Imports nothing. The SUB side counts references per topic; the PUB side keeps a set of pipes per topic.

/**
 * One node per byte of every stored topic; the root stands for the empty topic `""`, which is a
 * prefix of everything. Invariant: every node without a value has at least one child (empty branches
 * are pruned on removal), so the node count is bounded by the total length of the stored topics.
 * Matching a frame walks at most `frame.length + 1` nodes, whatever the number of subscriptions.
 */
class TrieNode<V> {
  value: V | undefined = undefined;
  children: Map<number, TrieNode<V>> | null = null;
}

/** A byte trie from topics to values, with prefix visits and pruning. */
class ByteTrie<V> {
  readonly root = new TrieNode<V>();

  find(topic: Uint8Array): TrieNode<V> | undefined {
    let node: TrieNode<V> | undefined = this.root;
    for (let i = 0; i < topic.length && node !== undefined; i++) node = node.children?.get(topic[i]!);
    return node;
  }

  /** The node for `topic`, created (with its path) if missing. */
  ensure(topic: Uint8Array): TrieNode<V> {
    let node = this.root;
    for (let i = 0; i < topic.length; i++) {
      const children: Map<number, TrieNode<V>> = (node.children ??= new Map());
      let child = children.get(topic[i]!);
      if (child === undefined) children.set(topic[i]!, (child = new TrieNode<V>()));
      node = child;
    }
    return node;
  }

  /** Clears `topic`'s value and prunes the branch that no longer leads to any value. */
  clear(topic: Uint8Array): void {
    const path: TrieNode<V>[] = [this.root];
    for (let i = 0; i < topic.length; i++) {
      const child = path[i]!.children?.get(topic[i]!);
      if (child === undefined) return;
      path.push(child);
    }
    path[topic.length]!.value = undefined;
    for (let i = topic.length; i > 0; i--) {
      const node = path[i]!;
      if (node.value !== undefined || (node.children !== null && node.children.size > 0)) return;
      const parent = path[i - 1]!;
      parent.children!.delete(topic[i - 1]!);
      if (parent.children!.size === 0) parent.children = null;
    }
  }

  /** Calls `visit` with the value of every stored topic that is a prefix of `frame`, shortest first. */
  forEachPrefix(frame: Uint8Array, visit: (value: V) => void): void {
    let node: TrieNode<V> | undefined = this.root;
    for (let i = 0; ; i++) {
      if (node.value !== undefined) visit(node.value);
      if (i === frame.length || node.children === null) return;
      node = node.children.get(frame[i]!);
      if (node === undefined) return;
    }
  }

  /** Every stored topic with its value, `""` first, then children in byte order (libzmq's resend order). */
  entries(): Array<[Uint8Array, V]> {
    const out: Array<[Uint8Array, V]> = [];
    const walk = (node: TrieNode<V>, prefix: number[]): void => {
      if (node.value !== undefined) out.push([Uint8Array.from(prefix), node.value]);
      if (node.children === null) return;
      for (const byte of [...node.children.keys()].sort((a, b) => a - b)) {
        prefix.push(byte);
        walk(node.children.get(byte)!, prefix);
        prefix.pop();
      }
    };
    walk(this.root, []);
    return out;
  }
}

/**
 * SUB/XSUB side: reference-counted topics. libzmq sends SUBSCRIBE on every local subscribe but
 * CANCEL only when the last local reference goes (zmtp-notes §0 item 7), which `add`/`remove` report.
 */
export class SubscriptionTrie {
  readonly #trie = new ByteTrie<number>();
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
    let node: TrieNode<number> | undefined = this.#trie.root;
    for (let i = 0; ; i++) {
      if (node.value !== undefined) return true;
      if (i === frame.length || node.children === null) return false;
      node = node.children.get(frame[i]!);
      if (node === undefined) return false;
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

/** PUB/XPUB side: for each topic, the set of pipes subscribed to it (libzmq mtrie). */
export class PipeSubscriptions<P> {
  readonly #trie = new ByteTrie<Set<P>>();
  readonly #matched = new Set<P>();

  add(topic: Uint8Array, pipe: P): SubscribeResult {
    const node = this.#trie.ensure(topic);
    if (node.value === undefined) {
      node.value = new Set([pipe]);
      return SubscribeResult.FIRST;
    }
    if (node.value.has(pipe)) return SubscribeResult.DUPLICATE;
    node.value.add(pipe);
    return SubscribeResult.ADDED;
  }

  remove(topic: Uint8Array, pipe: P): CancelResult {
    const pipes = this.#trie.find(topic)?.value;
    if (pipes === undefined || !pipes.delete(pipe)) return CancelResult.NOT_FOUND;
    if (pipes.size > 0) return CancelResult.REMAINING;
    this.#trie.clear(topic);
    return CancelResult.LAST;
  }

  /**
   * Forgets every subscription of a departed pipe, calling `removed(topic, last)` for each; `last`
   * says no other pipe holds the topic. Walks the whole trie, as libzmq does: disconnects are rare.
   */
  removePipe(pipe: P, removed: (topic: Uint8Array, last: boolean) => void): void {
    for (const [topic, pipes] of this.#trie.entries()) {
      if (!pipes.delete(pipe)) continue;
      if (pipes.size === 0) this.#trie.clear(topic);
      removed(topic, pipes.size === 0);
    }
  }

  /**
   * The pipes with a topic that prefixes `frame`, each once. The result may be a set held by the
   * trie itself or one reused by the next call: read it before the next call or any add/remove.
   */
  match(frame: Uint8Array): ReadonlySet<P> {
    // Usually a single topic matches: hand back its own set instead of copying it.
    let single: Set<P> | undefined;
    let merged = false;
    let node: TrieNode<Set<P>> | undefined = this.#trie.root;
    for (let i = 0; ; i++) {
      const pipes = node.value;
      if (pipes !== undefined) {
        if (single === undefined) single = pipes;
        else {
          if (!merged) {
            merged = true;
            this.#matched.clear();
            for (const pipe of single) this.#matched.add(pipe);
          }
          for (const pipe of pipes) this.#matched.add(pipe);
        }
      }
      if (i === frame.length || node.children === null) break;
      node = node.children.get(frame[i]!);
      if (node === undefined) break;
    }
    return merged ? this.#matched : (single ?? EMPTY);
  }
}
