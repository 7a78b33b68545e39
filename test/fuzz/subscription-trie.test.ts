// Fuzz target "subscription-trie": src/routing/subscription-trie.ts over its radix trie, both
// tables: SubscriptionTrie (a SUB's topics, reference counted) and PipeSubscriptions (a PUB's
// topics per pipe). Property: any sequence of operations gives, at every step, the answers of a
// reference model that keeps topics as plain strings in a Map and matches by startsWith; topics
// share prefixes (so the radix edges split and merge), spread over more than 16 first bytes (so
// nodes switch to their 256-entry index and back), and the caller's buffer may be scribbled on
// after a subscribe (the trie must have copied it).

import { describe, expect } from "bun:test";
import fc from "fast-check";
import { CancelResult, PipeSubscriptions, SubscribeResult, SubscriptionTrie } from "../../src/routing/subscription-trie.ts";
import { bytes, type ValueOf } from "./arbitraries.ts";
import { fuzz } from "./harness.ts";

const TARGET = "subscription-trie";
/** Each property takes half the target's input count: together they still pass 10^4 in CI. */
const EACH = { share: 0.5 };
const key = (topic: Uint8Array) => Buffer.from(topic).toString("hex");
const PIPES = 4;

/** Topics that collide: a 4-byte alphabet (0x00 and 0xff among it), a 40-byte one (wide nodes), or any bytes. */
const topic = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.constantFrom(0x00, 0x61, 0x62, 0xff), { size: "max", maxLength: 6 }).map((b) => Uint8Array.from(b)) },
  { weight: 2, arbitrary: fc.array(fc.nat({ max: 39 }), { size: "max", minLength: 1, maxLength: 3 }).map((b) => Uint8Array.from(b)) },
  { weight: 1, arbitrary: bytes(40) },
);

const operation = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("add" as const), topic, pipe: fc.nat({ max: PIPES - 1 }), scribble: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("remove" as const), topic, pipe: fc.nat({ max: PIPES - 1 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("match" as const), topic, suffix: bytes(3), pipe: fc.nat({ max: PIPES - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("removePipe" as const), pipe: fc.nat({ max: PIPES - 1 }) }) },
);

const operations = fc.array(operation, { size: "max", maxLength: 16 });
type Operation = ValueOf<typeof operation>;

/** Hands the table a copy, then scribbles on that copy if asked: what the table keeps must be its own. */
function given(topicBytes: Uint8Array, scribble: boolean, use: (topic: Uint8Array) => void): void {
  const buffer = Uint8Array.from(topicBytes);
  use(buffer);
  if (scribble) buffer.fill(0xee);
}

/** The held topics that prefix `frame`, all as hex: whole bytes, so a string prefix is a byte prefix. */
const prefixes = (held: Iterable<string>, frame: string) => [...held].filter((t) => frame.startsWith(t));

describe("fuzz: subscription tries", () => {
  fuzz(
    TARGET,
    "SubscriptionTrie answers as a reference-counted map of topics matched by prefix",
    operations,
    (ops) => {
      const trie = new SubscriptionTrie();
      const model = new Map<string, number>();
      for (const step of ops as Operation[]) {
        if (step.op === "add") {
          const count = model.get(key(step.topic)) ?? 0;
          model.set(key(step.topic), count + 1);
          given(step.topic, step.scribble, (t) => expect(trie.add(t)).toBe(count === 0));
        } else if (step.op === "remove") {
          const count = model.get(key(step.topic)) ?? 0;
          if (count === 1) model.delete(key(step.topic));
          else if (count > 1) model.set(key(step.topic), count - 1);
          // True only when that was the last reference: a CANCEL is due.
          expect(trie.remove(step.topic)).toBe(count === 1);
        } else if (step.op === "match") {
          const frame = Uint8Array.from([...step.topic, ...step.suffix]);
          expect(trie.matches(frame)).toBe(prefixes(model.keys(), key(frame)).length > 0);
        }
        expect(trie.size).toBe(model.size);
      }
      // Every topic held still matches itself, and the list re-sent on reconnect is the model's, "" first.
      for (const held of model.keys()) expect(trie.matches(Buffer.from(held, "hex"))).toBe(true);
      const listed = trie.topics().map(key);
      expect([...listed].sort()).toEqual([...model.keys()].sort());
      if (model.has("")) expect(listed[0]).toBe("");
    },
    EACH,
  );

  fuzz(
    TARGET,
    "PipeSubscriptions answers as a map from topic to its set of pipes, matched by prefix",
    operations,
    (ops) => {
      const table = new PipeSubscriptions<number>();
      const model = new Map<string, Set<number>>();
      for (const step of ops as Operation[]) {
        if (step.op === "add") {
          const pipes = model.get(key(step.topic)) ?? new Set<number>();
          const expected =
            pipes.size === 0 ? SubscribeResult.FIRST : pipes.has(step.pipe) ? SubscribeResult.DUPLICATE : SubscribeResult.ADDED;
          model.set(key(step.topic), pipes.add(step.pipe));
          given(step.topic, step.scribble, (t) => expect(table.add(t, step.pipe)).toBe(expected));
        } else if (step.op === "remove") {
          const pipes = model.get(key(step.topic));
          const expected = !pipes?.has(step.pipe) ? CancelResult.NOT_FOUND : pipes.size === 1 ? CancelResult.LAST : CancelResult.REMAINING;
          pipes?.delete(step.pipe);
          if (pipes?.size === 0) model.delete(key(step.topic));
          expect(table.remove(step.topic, step.pipe)).toBe(expected);
        } else if (step.op === "match") {
          const frame = Uint8Array.from([...step.topic, ...step.suffix]);
          const expected = new Set(prefixes(model.keys(), key(frame)).flatMap((t) => [...model.get(t)!]));
          expect([...table.match(frame)].sort()).toEqual([...expected].sort());
          expect(table.has(step.topic, step.pipe)).toBe(model.get(key(step.topic))?.has(step.pipe) === true);
        } else {
          // A departed pipe: each of its topics reported once, `last` when no other pipe holds it.
          const expected: Array<[string, boolean]> = [];
          for (const [held, pipes] of model) {
            if (!pipes.delete(step.pipe)) continue;
            expected.push([held, pipes.size === 0]);
            if (pipes.size === 0) model.delete(held);
          }
          const reported: Array<[string, boolean]> = [];
          table.removePipe(step.pipe, (t, last) => reported.push([key(t), last]));
          expect(reported.sort()).toEqual(expected.sort());
        }
      }
      for (const [held, pipes] of model)
        expect([...table.match(Buffer.from(held, "hex"))].filter((p) => pipes.has(p)).sort()).toEqual([...pipes].sort());
    },
    EACH,
  );
});
