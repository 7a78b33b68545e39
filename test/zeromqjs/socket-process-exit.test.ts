// zeromq.js's socket process-exit contract: a send that completed, or an event stream that ended
// with its socket, leaves nothing behind; a send blocked for want of a peer and a pending read of
// events keep the process alive. Each scenario runs in its own child process
// (test/fixtures/process-lifetime-fixture.ts); "held" there means the process stayed up on the
// socket's account after everything else had run.

import { describe, setDefaultTimeout, test } from "bun:test";
import { useCleanup } from "../helpers/cleanup.ts";
import { expectCleanEnd, runLifetimeChild } from "../helpers/lifetime-child.ts";

const cleanup = useCleanup();
// Each test starts a bun child process; every wait inside is bounded.
setDefaultTimeout(15_000);

describe("a process ends on its own", () => {
  test("after a Publisher sent with no subscriber (the message is dropped)", async () => {
    expectCleanEnd(await runLifetimeChild(cleanup, "publisher-sends-to-nobody"), []);
  });

  test("when the socket whose events it reads is closed", async () => {
    expectCleanEnd(await runLifetimeChild(cleanup, "events-read-until-close"), []);
  });

  test("when the socket it iterates messages of is closed", async () => {
    expectCleanEnd(await runLifetimeChild(cleanup, "subscriber-iterating-until-close"), []);
  });
});

describe("a process is kept alive", () => {
  test("by a send blocked for want of a peer, until the socket closes", async () => {
    expectCleanEnd(await runLifetimeChild(cleanup, "pending-send"), ["held"]);
  });

  test("by a pending read of events, until the socket closes", async () => {
    expectCleanEnd(await runLifetimeChild(cleanup, "pending-events"), ["held"]);
  });
});
