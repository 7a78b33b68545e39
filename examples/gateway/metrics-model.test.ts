// The gateway's metrics model alone (no sockets): the per-second window's share and queue depth,
// and that reading the model changes nothing.

import { expect, test } from "bun:test";
import { GatewayMetrics, type ServerState } from "./metrics-model.ts";

function model(
  servers: ServerState[] = [
    { id: 1, connected: true, leaving: false },
    { id: 2, connected: true, leaving: false },
  ],
) {
  return new GatewayMetrics({ players: () => 3, backlog: () => 0, awaitingAnswer: () => 0, spillBytes: () => 0, servers: () => servers });
}

test("a window's share splits the answers, and its queue depth is Little's law: summed latency ÷ window", () => {
  const metrics = model();
  const start = performance.now();
  metrics.sample(start);
  for (let i = 0; i < 300; i++) metrics.actionAnswered(1, 10);
  for (let i = 0; i < 100; i++) metrics.actionAnswered(2, 50);
  metrics.sample(start + 2000);
  const [one, two] = metrics.servers();
  expect(one!.share).toBeCloseTo(0.75, 9);
  expect(two!.share).toBeCloseTo(0.25, 9);
  expect(one!.perSecond).toBeCloseTo(150, 9);
  // 300 answers of 10 ms in 2 s: 1.5 actions in the system on average; 100 of 50 ms: 2.5.
  expect(one!.queueDepth).toBeCloseTo(1.5, 9);
  expect(two!.queueDepth).toBeCloseTo(2.5, 9);
  expect(metrics.snapshot().answeredPerSecond).toBeCloseTo(200, 6);
});

test("reading the model twice gives the same figures; the next window starts empty", () => {
  const metrics = model();
  const start = performance.now();
  metrics.sample(start);
  metrics.actionReceived();
  metrics.actionAnswered(1, 4);
  metrics.sample(start + 1000);
  expect(metrics.snapshot()).toEqual(metrics.snapshot());
  expect(metrics.snapshot().p50).toBe(4);
  metrics.sample(start + 2000);
  const quiet = metrics.snapshot();
  expect(quiet.servers.map((s) => [s.share, s.queueDepth, s.answered])).toEqual([
    [0, 0, 1],
    [0, 0, 0],
  ]);
  expect(quiet.spillBytes).toBe(0);
  expect(metrics.received.total).toBe(1);
});
