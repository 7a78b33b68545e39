// The `swap` option against libzmq 4.3 as the peer: a bunzmq PUSH whose libzmq PULL reads only
// after the sender has finished spills to disk, and the PULL still gets every message, in order.

import { expect, test } from "bun:test";
import { ZMQ } from "../../peers/libzmq/index.ts";
import { Push } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { EventLog } from "../helpers/events.ts";
import { collectFrom } from "../helpers/payload.ts";

const cleanup = useCleanup();

test("a libzmq PULL that reads late gets every message a spilling bunzmq PUSH accepted, in order", async () => {
  const pull = cleanup.libzmq().socket(ZMQ.PULL);
  pull.setInt(ZMQ.RCVHWM, 10);
  pull.bind(TCP_ANY);
  const push = cleanup.track(new Push({ linger: 0, sendHighWaterMark: 10, swap: 2 ** 30 }));
  const events = new EventLog(push);
  push.connect(pull.lastEndpoint);
  // 20 MB: more than the kernel's buffers, libzmq's queue and ours hold, so most of it goes to disk.
  const count = 20_000;
  const padding = ".".repeat(1000);
  for (let i = 0; i < count; i++) expect(push.trySend(["n", String(i) + padding])).toBe(true);
  expect(push.spilledBytes).toBeGreaterThan(0);
  const [received] = await collectFrom([pull], count, 30_000);
  expect(received!.length).toBe(count);
  for (let i = 0; i < count; i++) if (received![i]![1] !== String(i) + padding) expect(received![i]![1]!.slice(0, 8)).toBe(String(i));
  expect(events.count("spill:start")).toBeGreaterThan(0);
  await events.waitFor("spill:stop");
}, 40_000);
