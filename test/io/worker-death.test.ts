// Issue 8: a Worker that dies is reported, and its connections are never silently lost: each one's
// session hears it closed with kind "lost" (a connecting session then redials). Driven at the pool
// level with a Worker script that exits on its own (test/fixtures/dying-io-worker-fixture.ts).

import { expect, test } from "bun:test";
import type { Engine, EngineFailure } from "../../src/engine/engine.ts";
import { IoPool } from "../../src/io/io-pool.ts";
import { createPipePair } from "../../src/pipe/pipe-end.ts";
import { Pull } from "../../src/index.ts";
import { parseEndpoint } from "../../src/transport/endpoint.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { pushSpec } from "../helpers/engine-spec.ts";
import { withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();

test("a Worker that dies closes its connections as lost, after their handshake was reported", async () => {
  const pull = cleanup.track(new Pull({ linger: 0 }));
  await pull.bind(TCP_ANY);
  const pool = new IoPool({
    threads: 1,
    signaler: "atomics",
    workerUrl: new URL("../fixtures/dying-io-worker-fixture.ts", import.meta.url).href,
  });
  cleanup.add(() => pool.close());
  const events: string[] = [];
  let ready!: () => void;
  const readyNow = new Promise<void>((resolve) => (ready = resolve));
  const closed = new Promise<EngineFailure | null>((resolve) => {
    const engine = pool.dial(parseEndpoint(pull.lastEndpoint!, "connect", false) as never, pushSpec(), {
      connected: () => events.push("connected"),
      dialFailed: () => events.push("dial failed"),
      engineReady: (_engine: Engine) => {
        events.push("ready");
        ready();
        return createPipePair(1000, 1000, { routingId: new Uint8Array(0), address: "" }).peerEnd;
      },
      engineClosed: (_engine: Engine, failure: EngineFailure | null) => {
        events.push("closed");
        resolve(failure);
      },
    });
    engine!.start();
  });
  await withTimeout(readyNow, 5000, "the connection's handshake in the Worker");
  const failure = await withTimeout(closed, 5000, "the dead Worker's connection to be reported closed");
  expect(events).toEqual(["connected", "ready", "closed"]);
  expect(failure).toMatchObject({ stage: "traffic", kind: "lost", code: "EPIPE" });
});
