// examples/load-balancing: every client's requests are answered, in order, and only workers that
// said READY get requests.

import { expect, test } from "bun:test";
import { loadBalancing } from "../../examples/load-balancing/main.ts";

test("the broker answers every client request through a free worker", async () => {
  const lines: string[] = [];
  const summary = await loadBalancing({ clients: 3, workers: 2, requests: 4 }, (line) => lines.push(line));
  for (const client of ["client-1", "client-2", "client-3"]) {
    expect(summary.replies[client]!.map((reply) => reply.replace(/ done by worker-\d$/, ""))).toEqual(
      [1, 2, 3, 4].map((i) => `${client} request ${i}`),
    );
  }
  expect(Object.keys(summary.routed).sort()).toEqual(["worker-1", "worker-2"]);
  expect(Object.values(summary.routed).reduce((sum, count) => sum + count, 0)).toBe(12);
  expect(lines.filter((line) => line.endsWith("is ready"))).toHaveLength(2);
});
