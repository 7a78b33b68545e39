// examples/clone: a client that joins late ends with exactly the server's map of its subtree, built
// from a snapshot and the updates after it; the client following everything matches the whole map.

import { expect, test } from "bun:test";
import { clone } from "../../examples/clone/main.ts";

test("a late joiner's copy of its subtree matches the server's, from a snapshot plus updates", async () => {
  const summary = await clone({ keys: 3, hugzMs: 50 }, () => {});
  expect(summary.server).toEqual(["/config/added=late", "/config/key-1=changed", "/config/key-3=value 3", "/stats/visits=2"]);
  expect(summary.alice).toEqual(summary.server);
  expect(summary.bob).toEqual(["/config/added=late", "/config/key-1=changed", "/config/key-3=value 3"]);
  // key-1..3 came in the snapshot; the change, the deletion and the addition as updates.
  expect(summary.bobSnapshotKeys).toBe(3);
  expect(summary.bobUpdates).toBe(3);
}, 15_000);
