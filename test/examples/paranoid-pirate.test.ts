// examples/paranoid-pirate: a worker that crashes holding a request, and a queue that restarts, cost
// the client retries but no answer.

import { expect, test } from "bun:test";
import { paranoidPirate } from "../../examples/paranoid-pirate/main.ts";

test("every request is answered despite a crashed worker and a restarted queue", async () => {
  const lines: string[] = [];
  const summary = await paranoidPirate({ requests: 6, restartAfter: 4, heartbeatMs: 50, tries: 6 }, (line) => lines.push(line));
  expect(summary.replies).toEqual([1, 2, 3, 4, 5, 6].map((i) => expect.stringMatching(new RegExp(`^request ${i} \\(by worker-\\d\\)$`))));
  // worker-1 crashed on its first request: the queue forgot it, and the try went unanswered and was
  // sent again.
  expect(lines.some((line) => /^worker-1: crashing with "request \d" unanswered$/.test(line))).toBe(true);
  expect(summary.expired.some((name) => name.startsWith("worker-1#"))).toBe(true);
  expect(summary.retries).toBeGreaterThanOrEqual(1);
  // The restarted queue knew nobody: the surviving worker noticed the silence and said READY again.
  expect(summary.reconnects).toBeGreaterThanOrEqual(1);
  expect(lines.some((line) => /^queue: worker-2#[2-9] is ready$/.test(line))).toBe(true);
}, 15_000);
