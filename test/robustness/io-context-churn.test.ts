// Issue 8: 100 create/close cycles of a Context with 2 I/O threads (connecting sockets' engines in
// Workers, messages each way) leave no Worker or descriptor behind: the fixture
// (test/fixtures/io-context-churn-fixture.ts) returns without process.exit(), so a Worker, a ring's
// doorbell or an eventfd stream left alive would hold it, and its descriptor count must settle back.

import { expect, test } from "bun:test";
import { useCleanup } from "../helpers/cleanup.ts";
import { runReportingChild } from "../helpers/reporting-child.ts";

const cleanup = useCleanup();

interface ChurnReport {
  contexts: number;
  messages: number;
  fdsBefore: number;
  fdsAfter: number;
}

test("100 contexts with I/O threads, created and closed, leave no Worker or descriptor; the process exits on its own", async () => {
  const fixture = new URL("../fixtures/io-context-churn-fixture.ts", import.meta.url).pathname;
  const report = await runReportingChild<ChurnReport>(cleanup, fixture, 90_000);
  expect(report).toMatchObject({ contexts: 100, messages: 300 });
  expect(report.fdsAfter).toBe(report.fdsBefore);
}, 120_000);
