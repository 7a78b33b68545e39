// The radix trie under the subscription tables: edge splits, merges and pruning, the switch between
// a short child list and a 256-entry index, and randomized runs against naive reference tables.

import { describe, expect, test } from "bun:test";
import { RadixNode, RadixTrie } from "./radix-trie.ts";
import { CancelResult, PipeSubscriptions, SubscribeResult, SubscriptionTrie } from "./subscription-trie.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const b = (text: string): Uint8Array => encoder.encode(text);

/** The trie's shape as `label(value)[children…]`, children in byte order, for split/merge assertions. */
function shape<V>(node: RadixNode<V>): string {
  const kids = (node.kids ?? []).slice().sort((x, y) => x.label[0]! - y.label[0]!);
  const value = node.value === undefined ? "" : `(${String(node.value)})`;
  return `${decoder.decode(node.label)}${value}${kids.length > 0 ? `[${kids.map(shape).join(",")}]` : ""}`;
}

function nodeCount<V>(node: RadixNode<V>): number {
  return 1 + (node.kids ?? []).reduce((n, kid) => n + nodeCount(kid), 0);
}

function put(trie: RadixTrie<number>, topic: string, value: number): void {
  trie.ensure(b(topic)).value = value;
}

describe("RadixTrie splits and merges", () => {
  test("a topic ending inside an edge splits it, and clearing that topic merges it back", () => {
    const trie = new RadixTrie<number>();
    put(trie, "abcdef", 1);
    expect(shape(trie.root)).toBe("[abcdef(1)]");
    put(trie, "abc", 2);
    expect(shape(trie.root)).toBe("[abc(2)[def(1)]]");
    trie.clear(b("abc"));
    expect(shape(trie.root)).toBe("[abcdef(1)]");
  });

  test("a topic leaving an edge half-way splits it into a valueless fork", () => {
    const trie = new RadixTrie<number>();
    put(trie, "abcx", 1);
    put(trie, "abyz", 2);
    expect(shape(trie.root)).toBe("[ab[cx(1),yz(2)]]");
    trie.clear(b("abyz"));
    expect(shape(trie.root)).toBe("[abcx(1)]");
    expect(nodeCount(trie.root)).toBe(2);
  });

  test("clearing a leaf under a valued node prunes only the leaf", () => {
    const trie = new RadixTrie<number>();
    put(trie, "a", 1);
    put(trie, "abc", 2);
    trie.clear(b("abc"));
    expect(shape(trie.root)).toBe("[a(1)]");
    trie.clear(b("a"));
    expect(shape(trie.root)).toBe("");
    expect(trie.root.kids).toBeNull();
  });

  test("clearing a prefix, an absent topic or a path through an edge changes nothing", () => {
    const trie = new RadixTrie<number>();
    put(trie, "abcd", 1);
    for (const topic of ["ab", "abcde", "abxd", "z", ""]) trie.clear(b(topic));
    expect(shape(trie.root)).toBe("[abcd(1)]");
    expect(trie.find(b("abc"))).toBeUndefined();
    expect(trie.find(b("abcd"))?.value).toBe(1);
  });

  test("the empty topic lives at the root and clearing it keeps the children", () => {
    const trie = new RadixTrie<number>();
    put(trie, "", 1);
    put(trie, "x", 2);
    trie.clear(b(""));
    expect(shape(trie.root)).toBe("[x(2)]");
  });

  test("labels are copies: changing the caller's buffer afterwards changes nothing", () => {
    const trie = new RadixTrie<number>();
    const topic = b("abc");
    trie.ensure(topic).value = 1;
    topic[1] = 0x7a;
    expect(trie.find(b("abc"))?.value).toBe(1);
  });

  test("a label cut from a Buffer owns its bytes instead of viewing the Buffer's memory", () => {
    const trie = new RadixTrie<number>();
    const big = Buffer.alloc(65_536, 0x61);
    trie.ensure(big.subarray(10, 13)).value = 1;
    const label = trie.root.kids![0]!.label;
    expect(label.buffer.byteLength).toBe(3);
    expect(label.buffer).not.toBe(big.buffer);
  });

  test("a wide node switches to a 256-entry index and back as children come and go", () => {
    const trie = new RadixTrie<number>();
    for (let byte = 0; byte < 256; byte++) trie.ensure(Uint8Array.of(7, byte, 1)).value = byte;
    const fork = trie.root.kids![0]!;
    expect(fork.keys!.length).toBe(256);
    for (let byte = 0; byte < 256; byte++) expect(trie.find(Uint8Array.of(7, byte, 1))?.value).toBe(byte);
    for (let byte = 0; byte < 250; byte++) trie.clear(Uint8Array.of(7, byte, 1));
    expect(fork.keys!.length).toBeLessThan(256);
    for (let byte = 250; byte < 256; byte++) expect(trie.find(Uint8Array.of(7, byte, 1))?.value).toBe(byte);
    for (let byte = 250; byte < 255; byte++) trie.clear(Uint8Array.of(7, byte, 1));
    expect(shape(trie.root)).toBe(
      shape({ label: new Uint8Array(0), value: undefined, keys: null, kids: [leaf(Uint8Array.of(7, 255, 1), 255)] }),
    );
  });

  test("entries lists topics in byte order even when children were added out of order", () => {
    const trie = new RadixTrie<number>();
    ["m", "b", "z", "a", "ba", ""].forEach((topic, i) => put(trie, topic, i));
    expect(trie.entries().map(([topic]) => decoder.decode(topic))).toEqual(["", "a", "b", "ba", "m", "z"]);
  });

  test("entries walks a chain of 20,000 nested topics without overflowing the stack", () => {
    const trie = new RadixTrie<number>();
    const topic = new Uint8Array(20_000).fill(0x61);
    for (let length = 1; length <= topic.length; length++) trie.ensure(topic.subarray(0, length)).value = length;
    expect(trie.entries().length).toBe(20_000);
    // Listing copies every topic (200 MB in all): about 4 s alone, more on a loaded machine.
  }, 20_000);
});

function leaf(label: Uint8Array, value: number): RadixNode<number> {
  const node = new RadixNode<number>(label);
  node.value = value;
  return node;
}

/** A deterministic generator (mulberry32), so that a failing run can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Short topics over a small alphabet (0x00, 0xff included), so that they share prefixes and collide. */
function randomTopic(next: () => number, maxLength = 6): Uint8Array {
  const alphabet = [0x00, 0x61, 0x62, 0x63, 0xff];
  return Uint8Array.from({ length: Math.floor(next() * (maxLength + 1)) }, () => alphabet[Math.floor(next() * alphabet.length)]!);
}

const key = (topic: Uint8Array): string => Array.from(topic, (byte) => String.fromCharCode(byte)).join("");
const isPrefix = (topic: string, frame: string): boolean => frame.startsWith(topic);

describe("the subscription tables against naive references", () => {
  test("SubscriptionTrie agrees with a reference-count map over 20,000 random operations", () => {
    for (const seed of [1, 2, 3]) {
      const next = random(seed);
      const trie = new SubscriptionTrie();
      const reference = new Map<string, number>();
      for (let op = 0; op < 20_000; op++) {
        const topic = randomTopic(next);
        const k = key(topic);
        const roll = next();
        if (roll < 0.45) {
          expect(trie.add(topic)).toBe(!reference.has(k));
          reference.set(k, (reference.get(k) ?? 0) + 1);
        } else if (roll < 0.85) {
          const count = reference.get(k) ?? 0;
          expect(trie.remove(topic)).toBe(count === 1);
          if (count === 1) reference.delete(k);
          else if (count > 1) reference.set(k, count - 1);
        } else {
          const frame = randomTopic(next, 8);
          expect(trie.matches(frame)).toBe([...reference.keys()].some((held) => isPrefix(held, key(frame))));
        }
        expect(trie.size).toBe(reference.size);
      }
      expect(trie.topics().map(key)).toEqual([...reference.keys()].sort());
    }
  });

  test("PipeSubscriptions agrees with a per-pipe reference over 20,000 random operations", () => {
    for (const seed of [4, 5, 6]) {
      const next = random(seed);
      const subs = new PipeSubscriptions<string>();
      const reference = new Map<string, Set<string>>();
      const pipes = ["p1", "p2", "p3"];
      for (let op = 0; op < 20_000; op++) {
        const topic = randomTopic(next);
        const k = key(topic);
        const pipe = pipes[Math.floor(next() * pipes.length)]!;
        const held = reference.get(k);
        const roll = next();
        if (roll < 0.45) {
          const expected = held === undefined ? SubscribeResult.FIRST : held.has(pipe) ? SubscribeResult.DUPLICATE : SubscribeResult.ADDED;
          expect(subs.add(topic, pipe)).toBe(expected);
          reference.set(k, (held ?? new Set()).add(pipe));
        } else if (roll < 0.8) {
          const expected = held?.has(pipe) !== true ? CancelResult.NOT_FOUND : held.size === 1 ? CancelResult.LAST : CancelResult.REMAINING;
          expect(subs.remove(topic, pipe)).toBe(expected);
          held?.delete(pipe);
          if (held?.size === 0) reference.delete(k);
        } else if (roll < 0.81) {
          const removed: string[] = [];
          subs.removePipe(pipe, (gone, last) => removed.push(`${key(gone)}:${last}`));
          const expected: string[] = [];
          for (const [topicKey, set] of [...reference].sort(([x], [y]) => (x < y ? -1 : 1))) {
            if (!set.delete(pipe)) continue;
            expected.push(`${topicKey}:${set.size === 0}`);
            if (set.size === 0) reference.delete(topicKey);
          }
          expect(removed).toEqual(expected);
        } else {
          const frame = key(randomTopic(next, 8));
          const expected = new Set<string>();
          for (const [topicKey, set] of reference) if (isPrefix(topicKey, frame)) for (const p of set) expected.add(p);
          expect([...subs.match(Uint8Array.from(frame, (c) => c.charCodeAt(0)))].sort()).toEqual([...expected].sort());
        }
        expect(subs.has(topic, pipe)).toBe(reference.get(k)?.has(pipe) === true);
      }
    }
  });
});
