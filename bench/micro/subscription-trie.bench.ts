// Micro-benchmarks of subscription matching (src/routing/subscription-trie.ts) with 100,000
// subscriptions, no sockets: the SUB-side filter and the PUB-side pipe lookup, for hits and misses.
// Run: `bun bench/micro/subscription-trie.bench.ts`.

import { bench, do_not_optimize, group, run } from "mitata";
import { PipeSubscriptions, SubscriptionTrie } from "../../src/routing/subscription-trie.ts";

const COUNT = 100_000;
const PIPES = 100;
const encoder = new TextEncoder();

// Topics shaped like real ones ("market.<n>.") so they share long prefixes, the trie's worst case.
const topics = Array.from({ length: COUNT }, (_, i) => encoder.encode(`market.${i}.`));
const hits = topics.map((topic, i) => encoder.encode(`${new TextDecoder().decode(topic)}quote-${i}`));
const misses = Array.from({ length: 1024 }, (_, i) => encoder.encode(`other.${i}.quote`));
const nearMisses = Array.from({ length: 1024 }, (_, i) => encoder.encode(`market.${COUNT + i}.quote`));

const sub = new SubscriptionTrie();
for (const topic of topics) sub.add(topic);
const pub = new PipeSubscriptions<number>();
for (let i = 0; i < COUNT; i++) pub.add(topics[i]!, i % PIPES);

let next = 0;
const pick = (list: Uint8Array[]): Uint8Array => list[next++ % list.length]!;

group(`SUB filter, ${COUNT} subscriptions`, () => {
  bench("matches: hit", () => do_not_optimize(sub.matches(pick(hits))));
  bench("matches: miss at first byte", () => do_not_optimize(sub.matches(pick(misses))));
  bench("matches: miss after a shared prefix", () => do_not_optimize(sub.matches(pick(nearMisses))));
});

group(`PUB lookup, ${COUNT} subscriptions over ${PIPES} pipes`, () => {
  bench("match: hit", () => do_not_optimize(pub.match(pick(hits)).size));
  bench("match: miss after a shared prefix", () => do_not_optimize(pub.match(pick(nearMisses)).size));
});

group(`building and tearing down ${COUNT} subscriptions`, () => {
  bench("SubscriptionTrie add + remove 100k", () => {
    const trie = new SubscriptionTrie();
    for (const topic of topics) trie.add(topic);
    for (const topic of topics) trie.remove(topic);
    do_not_optimize(trie.size);
  });
});

await run();
