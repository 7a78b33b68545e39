// SubscriptionTrie (SUB side, reference counted) and PipeSubscriptions (PUB side, per-pipe sets):
// byte-prefix matching on the first frame, libzmq's bookkeeping (zmtp-notes §0 item 7, §4.1).

import { describe, expect, test } from "bun:test";
import { CancelResult, PipeSubscriptions, SubscribeResult, SubscriptionTrie } from "./subscription-trie.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const b = (text: string): Uint8Array => encoder.encode(text);

describe("SubscriptionTrie prefix matching", () => {
  test("a topic matches every frame it is a byte prefix of, and nothing else", () => {
    const trie = new SubscriptionTrie();
    trie.add(b("ab"));
    expect(trie.matches(b("ab"))).toBe(true);
    expect(trie.matches(b("abc"))).toBe(true);
    expect(trie.matches(b("a"))).toBe(false);
    expect(trie.matches(b("b"))).toBe(false);
    expect(trie.matches(new Uint8Array(0))).toBe(false);
  });

  test("the empty topic matches everything, including an empty frame", () => {
    const trie = new SubscriptionTrie();
    trie.add(new Uint8Array(0));
    expect(trie.matches(new Uint8Array(0))).toBe(true);
    expect(trie.matches(b("anything"))).toBe(true);
  });

  test("an empty trie matches nothing", () => {
    expect(new SubscriptionTrie().matches(b("x"))).toBe(false);
  });

  test("matching is binary: bytes 0x00 and 0xff are ordinary topic bytes", () => {
    const trie = new SubscriptionTrie();
    trie.add(Uint8Array.of(0, 255));
    expect(trie.matches(Uint8Array.of(0, 255, 7))).toBe(true);
    expect(trie.matches(Uint8Array.of(0, 254))).toBe(false);
  });
});

describe("SubscriptionTrie reference counts", () => {
  test("add reports only the first reference, remove only the last", () => {
    const trie = new SubscriptionTrie();
    expect(trie.add(b("a"))).toBe(true);
    expect(trie.add(b("a"))).toBe(false);
    expect(trie.remove(b("a"))).toBe(false);
    expect(trie.matches(b("a"))).toBe(true);
    expect(trie.remove(b("a"))).toBe(true);
    expect(trie.matches(b("a"))).toBe(false);
    expect(trie.size).toBe(0);
  });

  test("removing an unknown topic, or a prefix of a held one, changes nothing", () => {
    const trie = new SubscriptionTrie();
    trie.add(b("abc"));
    expect(trie.remove(b("ab"))).toBe(false);
    expect(trie.remove(b("zzz"))).toBe(false);
    expect(trie.matches(b("abcd"))).toBe(true);
    expect(trie.size).toBe(1);
  });

  test("removing a longer topic keeps its held prefix, and vice versa", () => {
    const trie = new SubscriptionTrie();
    trie.add(b("a"));
    trie.add(b("abc"));
    trie.remove(b("abc"));
    expect(trie.topics().map((t) => decoder.decode(t))).toEqual(["a"]);
    trie.add(b("abc"));
    trie.remove(b("a"));
    expect(trie.matches(b("ab"))).toBe(false);
    expect(trie.matches(b("abcx"))).toBe(true);
  });

  test("topics lists each held topic once, the empty topic first, then in byte order", () => {
    const trie = new SubscriptionTrie();
    for (const topic of ["b", "abc", "", "a", "abc"]) trie.add(b(topic));
    expect(trie.topics().map((t) => decoder.decode(t))).toEqual(["", "a", "abc", "b"]);
  });
});

describe("SubscriptionTrie with 100,000 subscriptions", () => {
  test("holds, matches and releases 100,000 distinct topics", () => {
    const trie = new SubscriptionTrie();
    const topics = Array.from({ length: 100_000 }, (_, i) => b(`topic.${i}.`));
    for (const topic of topics) trie.add(topic);
    expect(trie.size).toBe(100_000);
    expect(trie.matches(b("topic.99999.payload"))).toBe(true);
    expect(trie.matches(b("topic.100000.payload"))).toBe(false);
    expect(trie.matches(b("topic.5"))).toBe(false);
    const started = performance.now();
    let hits = 0;
    for (let i = 0; i < 100_000; i++) if (trie.matches(topics[i]!)) hits++;
    // Generous bound: a linear scan over 100k topics per match would take minutes here.
    expect(performance.now() - started).toBeLessThan(2000);
    expect(hits).toBe(100_000);
    for (const topic of topics) expect(trie.remove(topic)).toBe(true);
    expect(trie.size).toBe(0);
    expect(trie.topics()).toEqual([]);
  });
});

describe("PipeSubscriptions per-pipe sets", () => {
  test("the first pipe on a topic is FIRST, another is ADDED, a repeat is DUPLICATE", () => {
    const subs = new PipeSubscriptions<string>();
    expect(subs.add(b("a"), "p1")).toBe(SubscribeResult.FIRST);
    expect(subs.add(b("a"), "p2")).toBe(SubscribeResult.ADDED);
    expect(subs.add(b("a"), "p1")).toBe(SubscribeResult.DUPLICATE);
  });

  test("a duplicate SUBSCRIBE on one pipe needs one CANCEL (libzmq, not the RFC's non-idempotence)", () => {
    const subs = new PipeSubscriptions<string>();
    subs.add(b("a"), "p1");
    subs.add(b("a"), "p1");
    expect(subs.remove(b("a"), "p1")).toBe(CancelResult.LAST);
    expect([...subs.match(b("abc"))]).toEqual([]);
    expect(subs.remove(b("a"), "p1")).toBe(CancelResult.NOT_FOUND);
  });

  test("cancels report REMAINING while other pipes hold the topic", () => {
    const subs = new PipeSubscriptions<string>();
    subs.add(b("a"), "p1");
    subs.add(b("a"), "p2");
    expect(subs.remove(b("a"), "p1")).toBe(CancelResult.REMAINING);
    expect([...subs.match(b("a"))]).toEqual(["p2"]);
    expect(subs.remove(b("a"), "p2")).toBe(CancelResult.LAST);
  });

  test("match returns each pipe once even when several of its topics prefix the frame", () => {
    const subs = new PipeSubscriptions<string>();
    subs.add(new Uint8Array(0), "p1");
    subs.add(b("a"), "p1");
    subs.add(b("ab"), "p2");
    subs.add(b("b"), "p3");
    expect([...subs.match(b("abc"))].sort()).toEqual(["p1", "p2"]);
    expect([...subs.match(b("b"))].sort()).toEqual(["p1", "p3"]);
  });

  test("removePipe forgets a pipe's topics and says which had no other subscriber", () => {
    const subs = new PipeSubscriptions<string>();
    subs.add(b("a"), "p1");
    subs.add(b("b"), "p1");
    subs.add(b("b"), "p2");
    const removed: Array<[string, boolean]> = [];
    subs.removePipe("p1", (topic, last) => removed.push([decoder.decode(topic), last]));
    expect(removed).toEqual([
      ["a", true],
      ["b", false],
    ]);
    expect([...subs.match(b("a"))]).toEqual([]);
    expect([...subs.match(b("b"))]).toEqual(["p2"]);
  });

  test("matches among 100,000 single-pipe topics find exactly the subscribed pipe", () => {
    const subs = new PipeSubscriptions<number>();
    for (let i = 0; i < 100_000; i++) subs.add(b(`t${i}/`), i);
    expect([...subs.match(b("t4242/x"))]).toEqual([4242]);
    expect([...subs.match(b("t4242"))]).toEqual([]);
    subs.add(b("t"), -1);
    expect([...subs.match(b("t7/"))].sort((x, y) => x - y)).toEqual([-1, 7]);
  });
});
