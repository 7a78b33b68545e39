// Issue 15: an I/O Worker whose script does not load (a bundle that lacks it, a broken build) is
// never a silent hang. Bun reports it only through the Worker's error event; the pool turns that
// into one process warning, fails each waiting connection with EMTHREAD (so the monitor shows
// handshake:error:other and the session redials) and declines later connections, whose engines then
// run on the application thread (the session's fallback when the pool returns null).

import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
const empty = mkdtempSync(join(tmpdir(), "bunzmq-no-worker-"));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

const BROKEN_SCRIPTS: Array<[string, () => string]> = [
  ["a script that is not there", () => join(empty, "io-worker.ts")],
  ["a script that does not parse", () => URL.createObjectURL(new Blob(["export const = ;"], { type: "text/javascript" }))],
];

for (const [name, scriptUrl] of BROKEN_SCRIPTS) {
  test(`${name}: the waiting dial fails with EMTHREAD, one warning says why, later connections stay here`, async () => {
    const pull = cleanup.track(new Pull({ linger: 0 }));
    await pull.bind(TCP_ANY);
    const pool = new IoPool({ threads: 2, signaler: "atomics", workerUrl: scriptUrl() });
    cleanup.add(() => pool.close());
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    cleanup.add(() => process.off("warning", onWarning));

    const address = parseEndpoint(pull.lastEndpoint!, "connect", false) as never;
    const events: string[] = [];
    const closed = new Promise<EngineFailure | null>((resolve) => {
      const engine = pool.dial(address, pushSpec(), {
        connected: () => events.push("connected"),
        dialFailed: () => events.push("dial failed"),
        engineReady: (_engine: Engine) => {
          events.push("ready");
          return createPipePair(1000, 1000, { routingId: new Uint8Array(0), address: "" }).peerEnd;
        },
        engineClosed: (_engine: Engine, failure: EngineFailure | null) => {
          events.push("closed");
          resolve(failure);
        },
      });
      expect(engine).not.toBeNull();
      engine!.start();
    });
    const failure = await withTimeout(closed, 10_000, "the connection of a Worker that never loaded to be reported");
    expect(events).toEqual(["closed"]);
    // "lost": the session redials; EMTHREAD reaches the monitor as handshake:error:other's code.
    expect(failure).toMatchObject({ stage: "handshake", kind: "lost", code: "EMTHREAD" });
    expect(failure!.message).toContain("did not load");
    expect(failure!.message).toContain("ioThreads to 0");

    expect(warnings.map((warning) => (warning as Error & { code?: string }).code)).toEqual(["BUNZMQ_IO_THREADS_UNAVAILABLE"]);
    expect(warnings[0]!.message).toContain("application thread");
    // The redial (and every later connection) is declined, so its engine runs on this thread.
    expect(
      pool.dial(address, pushSpec(), { connected() {}, dialFailed() {}, engineReady: () => null as never, engineClosed() {} }),
    ).toBeNull();
    expect(pool.loads()).toEqual([0, 0]);
  });
}
