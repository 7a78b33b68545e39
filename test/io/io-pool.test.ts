// The I/O pool's choice of thread: the least loaded Worker takes each new connection, and a
// socket's `affinity` (ZMQ_AFFINITY, a bit per I/O thread) narrows the choice.

import { expect, test } from "bun:test";
import type { Engine } from "../../src/engine/engine.ts";
import { IoPool } from "../../src/io/io-pool.ts";
import { createPipePair } from "../../src/pipe/pipe-end.ts";
import { Context, Pull, Push } from "../../src/index.ts";
import { parseEndpoint } from "../../src/transport/endpoint.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { pushSpec } from "../helpers/engine-spec.ts";
import { EventLog } from "../helpers/events.ts";

const cleanup = useCleanup();

const host = {
  connected: () => {},
  dialFailed: () => {},
  engineReady: (_engine: Engine) => createPipePair(1000, 1000, { routingId: new Uint8Array(0), address: "" }).peerEnd,
  engineClosed: () => {},
};

test("new connections go to the least loaded of the I/O threads, and affinity narrows the choice", async () => {
  const pull = cleanup.track(new Pull({ linger: 0 }));
  await pull.bind(TCP_ANY);
  const pool = new IoPool({ threads: 3, signaler: "atomics" });
  cleanup.add(() => pool.close());
  const address = parseEndpoint(pull.lastEndpoint!, "connect", false) as never;
  const engines = Array.from({ length: 6 }, () => pool.dial(address, pushSpec(), host));
  expect(pool.loads()).toEqual([2, 2, 2]);
  engines.push(pool.dial(address, pushSpec({ affinity: 0b100 }), host), pool.dial(address, pushSpec({ affinity: 0b100 }), host));
  expect(pool.loads()).toEqual([2, 2, 4]);
  // A mask naming no existing thread (bit 5 of 3) falls back to all of them.
  engines.push(pool.dial(address, pushSpec({ affinity: 0b100000 }), host));
  expect(pool.loads()).toEqual([3, 2, 4]);
  for (const engine of engines) engine!.destroy();
  expect(pool.loads()).toEqual([0, 0, 0]);
});

test("the affinity option is taken by sockets and carried to their connections", async () => {
  const context = new Context({ ioThreads: 2 });
  cleanup.add(() => context.close());
  const pull = cleanup.track(new Pull({ linger: 0 }));
  await pull.bind(TCP_ANY);
  const push = cleanup.track(new Push({ context, linger: 0, affinity: 2 }));
  expect(push.affinity).toBe(2);
  const log = new EventLog(push);
  push.connect(pull.lastEndpoint!);
  await log.waitFor("handshake");
  await push.send("through thread 1");
  expect((await pull.receive()).map(String)).toEqual(["through thread 1"]);
});
