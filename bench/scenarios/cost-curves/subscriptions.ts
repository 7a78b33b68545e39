// The subscriptions curve: one SUB subscribed to n topics (n = 1 … 1,000,000) of an XPUB with no
// drop, over tcp, bunzmq and libzmq, from fresh processes at every point
// (bench/fixtures/subscription-cost-fixture.ts). Per point:
//   subscribe time  from the first subscribe() to the publisher holding all n (the XPUB receives
//                   each), so the whole path: SUB, wire, XPUB, its subscription trie
//   memory          the publisher process's RSS growth over that, per subscription
//   match time      ns per published message whose topic matches no subscription but shares all
//                   but its last digits with them (the trie walks deep, nothing leaves the process)
//   fan-out rate    messages per second reaching the SUB when each matches the last subscription

import { Child, COLLECTED_WITHIN_MS } from "../../harness/child.ts";

import { type CostCurve, seriesMaker, withRawRate } from "../../report/cost-curves.ts";
import type { CurveSettings } from "./timing.ts";

const FIXTURE = new URL("../../fixtures/subscription-cost-fixture.ts", import.meta.url);
const ANSWER_MS = 150_000;
const SIZE = 16;
const IMPLS = ["bunzmq", "libzmq"] as const;
type Impl = (typeof IMPLS)[number];

export interface SubscriptionPoint {
  subscriptions: number;
  impl: Impl;
  subscribeMs: number;
  bytesPerSubscription: number;
  matchNs: number;
  fanoutPerSecond: number;
}

/** Waits until a bunzmq fixture has collected its garbage (libzmq has none to wait for). */
const settle = (impl: Impl) => (impl === "bunzmq" ? Bun.sleep(COLLECTED_WITHIN_MS) : Promise.resolve());

async function ask(child: Child, line: string, expect: string): Promise<string> {
  const reply = await child.askWithin(line, ANSWER_MS);
  if (!reply.startsWith(expect)) throw new Error(`${child.name}: ${reply}`);
  return reply.split(" ")[1] ?? "";
}

async function measurePoint(impl: Impl, subscriptions: number, messages: number): Promise<SubscriptionPoint> {
  const publisher = await Child.spawn(`${impl} publisher`, FIXTURE, ["publisher", impl]);
  let subscriber: Child | null = null;
  try {
    subscriber = await Child.spawn(`${impl} subscriber`, FIXTURE, ["subscriber", impl, publisher.endpoint]);
    const sub = subscriber;
    await ask(publisher, "AWAIT 1", "SUBSCRIBED"); // the warm-up topic: connected
    await settle(impl);
    const before = publisher.rssBytes();
    let start = performance.now();
    await Promise.all([ask(sub, `SUBSCRIBE ${subscriptions}`, "OK"), ask(publisher, `AWAIT ${subscriptions}`, "SUBSCRIBED")]);
    const subscribeMs = performance.now() - start;
    await settle(impl);
    const bytesPerSubscription = (publisher.rssBytes() - before) / subscriptions;
    await ask(publisher, `MISS ${messages} ${SIZE}`, "MISSED"); // warm-up: the first batch also pays for the JIT
    const matchNs = Number(await ask(publisher, `MISS ${messages} ${SIZE}`, "MISSED"));
    start = performance.now();
    await Promise.all([ask(sub, `RECEIVE ${messages}`, "RECEIVED"), ask(publisher, `HIT ${messages} ${SIZE}`, "SENT")]);
    const fanoutPerSecond = messages / ((performance.now() - start) / 1000);
    return { subscriptions, impl, subscribeMs, bytesPerSubscription, matchNs, fanoutPerSecond };
  } finally {
    await subscriber?.stop();
    await publisher.stop();
  }
}

/** Every count, bunzmq then libzmq at each; `points` gets each as it finishes. */
export async function measureSubscriptions(
  counts: number[],
  messages: number,
  settings: CurveSettings,
  points: SubscriptionPoint[],
): Promise<void> {
  for (const subscriptions of counts) {
    for (const impl of IMPLS) {
      settings.check();
      let point: Awaited<ReturnType<typeof measurePoint>>;
      try {
        point = await measurePoint(impl, subscriptions, messages);
      } catch (error) {
        settings.fail(`${impl} at ${subscriptions} subscriptions: ${(error as Error).message}`);
        continue;
      }
      points.push(point);
      settings.progress(
        `  ${impl} ${subscriptions} subscriptions: ${point.subscribeMs.toFixed(0)} ms to subscribe, ` +
          `${point.bytesPerSubscription.toFixed(0)} B each, match ${point.matchNs.toFixed(0)} ns, ${Math.round(point.fanoutPerSecond)} msgs/s`,
      );
    }
  }
}

/** The curve's series; `raw16` is the raw limit's one-way rate at 16 B (messages per second). */
export function subscriptionCurve(points: SubscriptionPoint[], raw16: number | undefined): CostCurve {
  const series = seriesMaker(points, (p) => p.subscriptions);
  const rate = series("Fan-out rate, 16 B matching one subscription", "msgs/s", true, true, (p) => p.fanoutPerSecond);
  return {
    name: "subscriptions",
    title: "Subscriptions: one SUB with n topics of an XPUB (no drop) over tcp",
    xTitle: "subscriptions",
    xBytes: false,
    series: [
      series("Subscribe time, all n (until the publisher has them)", "ms", false, true, (p) => p.subscribeMs),
      series("Publisher memory per subscription", "B", false, true, (p) => p.bytesPerSubscription),
      series("Match time, a message that matches nothing", "ns", false, false, (p) => p.matchNs),
      withRawRate(rate, raw16),
    ],
    notes: ["Fresh processes per point; topics are 8 bytes (t0000000 …); memory is the publisher process's RSS growth per subscription."],
  };
}
