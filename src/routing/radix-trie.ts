// A compact radix (Patricia) trie keyed by byte strings, the storage under subscription-trie.ts.
// Imports nothing. Edges carry byte-string labels; nodes split on insert and merge back on removal.

/** Up to this many children a node keeps a short list of first bytes; one more switches to a 256-entry index. */
const NARROW_MAX = 16;
/** An indexed node that falls to this many children goes back to the short list (hysteresis). */
const NARROW_AGAIN = 8;
const INDEXED = 256;

/**
 * A node stands for the topic spelled by the labels from the root down to it. Invariant: every
 * node but the root holds a value or has at least two children (removal merges a valueless node
 * into its only child and prunes childless ones), so there are fewer nodes than twice the topics.
 */
export class RadixNode<V> {
  /** The edge from the parent, copied (never a view of a caller's buffer); `label[0]` is its key there. Empty only at the root. */
  label: Uint8Array;
  value: V | undefined = undefined;
  /**
   * The children's first bytes: null for a leaf; up to NARROW_MAX bytes in `kids` order (a short
   * list, scanned); or, once wider, a 256-entry index from byte to slot + 1 in `kids` (0: none;
   * 16-bit, since slot + 1 reaches 256).
   */
  keys: Uint8Array | Uint16Array | null = null;
  /** The children, dense (its length is the child count); null for a leaf. */
  kids: Array<RadixNode<V>> | null = null;

  constructor(label: Uint8Array) {
    this.label = label;
  }
}

/**
 * A fresh copy of `bytes[start, end)`. Not `bytes.slice()`: on a Node Buffer (as received frames
 * are) that is a view, which would keep the whole socket read buffer alive for a few label bytes.
 */
function copyOf(bytes: Uint8Array, start: number, end = bytes.length): Uint8Array {
  const out = new Uint8Array(end - start);
  out.set(bytes.subarray(start, end));
  return out;
}

/** The child of `node` whose label starts with `byte`. */
export function childOf<V>(node: RadixNode<V>, byte: number): RadixNode<V> | undefined {
  const keys = node.keys;
  if (keys === null) return undefined;
  const kids = node.kids!;
  if (keys.length === INDEXED) {
    const slot = keys[byte]!;
    return slot === 0 ? undefined : kids[slot - 1];
  }
  for (let k = 0; k < kids.length; k++) if (keys[k] === byte) return kids[k];
  return undefined;
}

function addChild<V>(node: RadixNode<V>, child: RadixNode<V>): void {
  const byte = child.label[0]!;
  let keys = node.keys;
  if (keys === null) {
    node.keys = Uint8Array.of(byte, 0, 0, 0);
    node.kids = [child];
    return;
  }
  const kids = node.kids!;
  if (keys.length !== INDEXED && kids.length === keys.length) {
    if (keys.length < NARROW_MAX) {
      const grown = new Uint8Array(keys.length * 2);
      grown.set(keys);
      node.keys = keys = grown;
    } else {
      const index = new Uint16Array(INDEXED);
      for (let k = 0; k < kids.length; k++) index[keys[k]!] = k + 1;
      node.keys = keys = index;
    }
  }
  kids.push(child);
  if (keys.length === INDEXED) keys[byte] = kids.length;
  else keys[kids.length - 1] = byte;
}

/** The slot in `kids` of the child keyed `byte` (which must exist). */
function slotOf<V>(node: RadixNode<V>, byte: number): number {
  const keys = node.keys!;
  if (keys.length === INDEXED) return keys[byte]! - 1;
  return keys.indexOf(byte);
}

function removeChild<V>(node: RadixNode<V>, byte: number): void {
  const keys = node.keys!;
  const kids = node.kids!;
  const slot = slotOf(node, byte);
  const last = kids.length - 1;
  if (slot !== last) {
    const moved = kids[last]!;
    kids[slot] = moved;
    if (keys.length === INDEXED) keys[moved.label[0]!] = slot + 1;
    else keys[slot] = keys[last]!;
  }
  kids.pop();
  if (keys.length === INDEXED) {
    keys[byte] = 0;
    if (kids.length <= NARROW_AGAIN) {
      const list = new Uint8Array(NARROW_MAX);
      for (let k = 0; k < kids.length; k++) list[k] = kids[k]!.label[0]!;
      node.keys = list;
    }
  } else if (last === 0) {
    node.keys = null;
    node.kids = null;
  }
}

/** Folds a valueless node's only child into it (the parent's key for it is unchanged). */
function mergeWithOnlyChild<V>(node: RadixNode<V>): void {
  const child = node.kids![0]!;
  const label = new Uint8Array(node.label.length + child.label.length);
  label.set(node.label);
  label.set(child.label, node.label.length);
  node.label = label;
  node.value = child.value;
  node.keys = child.keys;
  node.kids = child.kids;
}

/** A radix trie from byte strings to values. Values are never `undefined` (that marks "no value"). */
export class RadixTrie<V> {
  readonly root = new RadixNode<V>(new Uint8Array(0));

  /** The node of exactly `topic`, if the trie has one (it may hold no value). */
  find(topic: Uint8Array): RadixNode<V> | undefined {
    let node = this.root;
    const n = topic.length;
    for (let i = 0; i < n; ) {
      const child = childOf(node, topic[i]!);
      if (child === undefined) return undefined;
      const label = child.label;
      const length = label.length;
      if (n - i < length) return undefined;
      for (let j = 1; j < length; j++) if (label[j] !== topic[i + j]) return undefined;
      i += length;
      node = child;
    }
    return node;
  }

  /** The node for `topic`, created if missing: a new leaf, possibly under a split edge. */
  ensure(topic: Uint8Array): RadixNode<V> {
    let node = this.root;
    const n = topic.length;
    for (let i = 0; i < n; ) {
      const child = childOf(node, topic[i]!);
      if (child === undefined) {
        const leaf = new RadixNode<V>(copyOf(topic, i));
        addChild(node, leaf);
        return leaf;
      }
      const label = child.label;
      const common = Math.min(label.length, n - i);
      let j = 1;
      while (j < common && label[j] === topic[i + j]) j++;
      if (j < label.length) {
        // The topic leaves (or ends inside) this edge: split it at j.
        const middle = new RadixNode<V>(copyOf(label, 0, j));
        child.label = copyOf(label, j);
        node.kids![slotOf(node, label[0]!)] = middle;
        addChild(middle, child);
        if (i + j === n) return middle;
        const leaf = new RadixNode<V>(copyOf(topic, i + j));
        addChild(middle, leaf);
        return leaf;
      }
      i += j;
      node = child;
    }
    return node;
  }

  /** Clears `topic`'s value, pruning a childless node and merging a valueless one with a single child. */
  clear(topic: Uint8Array): void {
    const path: Array<RadixNode<V>> = [this.root];
    let node = this.root;
    const n = topic.length;
    for (let i = 0; i < n; ) {
      const child = childOf(node, topic[i]!);
      if (child === undefined || n - i < child.label.length) return;
      const label = child.label;
      for (let j = 1; j < label.length; j++) if (label[j] !== topic[i + j]) return;
      i += label.length;
      path.push((node = child));
    }
    node.value = undefined;
    if (node === this.root) return;
    if (node.kids === null) {
      const parent = path[path.length - 2]!;
      removeChild(parent, node.label[0]!);
      if (parent === this.root || parent.value !== undefined) return;
      node = parent;
    }
    if (node.kids !== null && node.kids.length === 1) mergeWithOnlyChild(node);
  }

  /** Every topic with a value, `""` first, then children in byte order (libzmq's resend order). */
  entries(): Array<[Uint8Array, V]> {
    const out: Array<[Uint8Array, V]> = [];
    // Iterative pre-order walk: a chain of nested topics may be deeper than the call stack.
    const stack: Array<[RadixNode<V>, Uint8Array]> = [[this.root, this.root.label]];
    for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
      const [node, topic] = top;
      if (node.value !== undefined) out.push([topic, node.value]);
      if (node.kids === null) continue;
      const kids = node.kids.slice().sort((a, b) => b.label[0]! - a.label[0]!);
      for (const child of kids) {
        const longer = new Uint8Array(topic.length + child.label.length);
        longer.set(topic);
        longer.set(child.label, topic.length);
        stack.push([child, longer]);
      }
    }
    return out;
  }
}
