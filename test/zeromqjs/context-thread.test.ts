// zeromq.js's default context is one context for the whole process: its options read the same in
// every Worker, whichever thread set them. Workers run test/fixtures/default-context-worker-fixture.ts.

import { afterEach, expect, test } from "bun:test";
import { context } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { startWorker } from "../helpers/default-context-worker.ts";

const cleanup = useCleanup();
const saved = { ioThreads: context.ioThreads, blocky: context.blocky, maxSockets: context.maxSockets };
afterEach(() => Object.assign(context, saved));

test("options set on the default context in the main thread are read in a Worker, and the other way round", async () => {
  context.ioThreads = 3;
  context.blocky = false;
  const worker = startWorker(cleanup, { role: "options", write: { maxSockets: 77, ipv6: true } });
  expect(await worker.next("the Worker's view of the default context")).toEqual({
    ioThreads: 3,
    blocky: false,
    maxSockets: saved.maxSockets,
    ipv6: false,
  });
  expect(await worker.ended()).toBe(0);
  expect(context.maxSockets).toBe(77);
  expect(context.ipv6).toBe(true);
  context.ipv6 = false;
});
