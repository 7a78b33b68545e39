// examples/pipeline: every task is done once, and the ventilator's wait for its workers spreads them
// evenly (round robin among connected workers).

import { expect, test } from "bun:test";
import { pipeline } from "../../examples/pipeline/main.ts";

test("every task reaches the sink once, dealt evenly among the workers", async () => {
  const lines: string[] = [];
  const summary = await pipeline({ workers: 3, tasks: 12, maxWorkMs: 2 }, (line) => lines.push(line));
  expect(summary.perWorker).toEqual({ "worker-1": 4, "worker-2": 4, "worker-3": 4 });
  expect(summary.totalWorkMs).toBeGreaterThanOrEqual(12);
  expect(lines[0]).toBe("ventilator: 3 workers connected; sending 12 tasks");
});
