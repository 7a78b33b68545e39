// ZMQ_CONFLATE: a connection keeps only its newest message, in each direction.

import { expect, test } from "bun:test";
import { Pull, Push } from "../../src/index.ts";
import { strings, useSockets, withTimeout } from "./support.ts";

const sockets = useSockets();

test("a conflating PUSH keeps only the newest message for a peer that is not up yet", async () => {
  const endpoint = await sockets.unusedEndpoint();
  const push = sockets.open(Push, { conflate: true });
  push.connect(endpoint);
  for (let i = 1; i <= 100; i++) expect(push.trySend([`m${i}`, "tail"])).toBe(true);
  const pull = sockets.open(Pull);
  await pull.bind(endpoint);
  expect(strings(await withTimeout(pull.receive(), 5000, "the newest message"))).toEqual(["m100", "tail"]);
  await push.send("sentinel");
  expect(strings(await withTimeout(pull.receive(), 5000, "the sentinel"))).toEqual(["sentinel"]);
});

test("conflate is write-only as in zeromq.js, ignores the high-water mark, and refuses non-booleans with a TypeError", async () => {
  const push = sockets.open(Push, { conflate: true, sendHighWaterMark: 1 });
  expect(push.conflate).toBeUndefined();
  push.connect(await sockets.unusedEndpoint());
  expect(push.trySend("a")).toBe(true);
  expect(push.trySend("b")).toBe(true);
  expect(() => {
    push.conflate = "yes" as unknown as boolean;
  }).toThrow(new TypeError("Option value must be a boolean"));
});
