// Issue 4: a process that opens and closes 1,000 sockets and connections (tcp, ipc, inproc; messages
// exchanged, some left queued; contexts closed whole; reconnect timers pending at close) exits on its
// own, with every descriptor it opened closed again and no ipc://* socket file left behind. The churn
// runs in test/fixtures/socket-churn-fixture.ts, which returns without process.exit(): anything left
// alive (a timer, a listener, a Bun socket) would hold it, so the exit must follow its report promptly.

import { expect, test } from "bun:test";
import { useCleanup } from "../helpers/cleanup.ts";
import { runReportingChild } from "../helpers/reporting-child.ts";

const cleanup = useCleanup();

interface ChurnReport {
  sockets: number;
  fdsBefore: number;
  fdsAfter: number;
  ipcBound: number;
  ipcLeft: number;
}

test("a process that opens and closes 1,000 sockets exits on its own with no descriptor left open", async () => {
  const fixture = new URL("../fixtures/socket-churn-fixture.ts", import.meta.url).pathname;
  const report = await runReportingChild<ChurnReport>(cleanup, fixture, 60_000);
  expect(report.sockets).toBeGreaterThanOrEqual(1000);
  expect(report.fdsAfter).toBe(report.fdsBefore);
  expect(report.ipcBound).toBeGreaterThan(100);
  expect(report.ipcLeft).toBe(0);
}, 90_000);
