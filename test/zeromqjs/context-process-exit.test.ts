// zeromq.js's context process-exit contract: open sockets never keep a process alive, pending
// operations and lingering closes do, and a process whose open sockets still have messages queued at
// exit waits within linger, warning on stderr (zeromq.js's exact text) once that takes half a second.
// Each scenario runs in its own child process (test/fixtures/process-lifetime-fixture.ts).

import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { useCleanup } from "../helpers/cleanup.ts";
import { expectCleanEnd, runLifetimeChild } from "../helpers/lifetime-child.ts";

const cleanup = useCleanup();
// A child's bun start-up plus, for the warnings, a linger of 0.7 s; each wait inside is bounded.
setDefaultTimeout(15_000);

const WARNING =
  /^\(node:\d+\) WARNING: Waiting for queued ZeroMQ messages to be delivered\.( Set 'context\.blocky = false' to change this behaviour\.)?\n$/;

describe("a process ends on its own", () => {
  test("with sockets of the default context closed", async () => {
    expectCleanEnd(await runLifetimeChild(cleanup, "closed-sockets"), []);
  });

  test("with sockets of the default context left open", async () => {
    expectCleanEnd(await runLifetimeChild(cleanup, "unclosed-sockets"), []);
  });

  test("with sockets of its own context left open", async () => {
    expectCleanEnd(await runLifetimeChild(cleanup, "unclosed-sockets-custom-context"), []);
  });

  test("with idle bound and connected sockets over tcp, ipc and inproc, heartbeats and a peer being redialled", async () => {
    expectCleanEnd(await runLifetimeChild(cleanup, "idle-connections"), []);
  });

  test("with the same idle connections run by an I/O thread", async () => {
    expectCleanEnd(await runLifetimeChild(cleanup, "idle-connections-io-threads"), []);
  });

  test("after `await context.close()` of a context whose I/O thread ran those connections", async () => {
    expectCleanEnd(await runLifetimeChild(cleanup, "closed-io-threads-context"), []);
  });

  test("when a socket closed with linger 0 had a message queued for an absent peer", async () => {
    expectCleanEnd(await runLifetimeChild(cleanup, "closed-with-linger-0"), []);
  });
});

describe("a process is kept alive", () => {
  test("by a pending receive, until the socket closes", async () => {
    expectCleanEnd(await runLifetimeChild(cleanup, "pending-receive"), ["held"]);
  });

  test("by a close that lingers on a queued message, until the linger expires", async () => {
    expectCleanEnd(await runLifetimeChild(cleanup, "lingering-close"), ["held"]);
  });
});

describe("at exit, sockets left open with messages queued", () => {
  test("delay the exit within linger and print zeromq.js's warning with the blocky hint", async () => {
    const outcome = await runLifetimeChild(cleanup, "exit-with-queue-blocky");
    expect(outcome.stderr).toMatch(WARNING);
    expect(outcome.stderr).toContain("Set 'context.blocky = false' to change this behaviour.");
    expect(outcome.lines).toEqual(["ready"]);
    expect(outcome.code).toBe(0);
  });

  test("print the warning without the hint when the context is not blocky", async () => {
    const outcome = await runLifetimeChild(cleanup, "exit-with-queue-not-blocky");
    expect(outcome.stderr).toMatch(WARNING);
    expect(outcome.stderr).not.toContain("blocky");
    expect(outcome.code).toBe(0);
  });

  test("print nothing when the linger ends before half a second", async () => {
    expectCleanEnd(await runLifetimeChild(cleanup, "exit-with-queue-short-linger"), []);
  });
});
