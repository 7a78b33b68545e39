// Issue 4: a process that opens and closes 1,000 sockets and connections (tcp, ipc, inproc; messages
// exchanged, some left queued; contexts closed whole; reconnect timers pending at close) exits on its
// own, with every descriptor it opened closed again and no ipc://* socket file left behind. The churn
// runs in test/fixtures/socket-churn-fixture.ts, which returns without process.exit(): anything left
// alive (a timer, a listener, a Bun socket) would hold it, so the exit must follow its report promptly.

import { expect, test } from "bun:test";
import { readLines } from "../../scripts/read-lines.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { withTimeout } from "../helpers/wait.ts";

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
  const child = Bun.spawn(["bun", fixture], { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  cleanup.add(async () => {
    child.kill("SIGKILL");
    await child.exited;
  });
  const stderr = new Response(child.stderr).text();
  const lines = readLines(child.stdout);
  const first = await withTimeout(lines.next(), 60_000, "the churn process's report line");
  expect(first.done).toBe(false);
  // Everything is closed by now; a leftover timer (a reconnect is scheduled a minute ahead) or handle
  // would keep the process alive far longer than this.
  const code = await withTimeout(child.exited, 10_000, "the churn process to exit on its own after its report (something keeps it alive)");
  expect(await withTimeout(stderr, 5000, "the churn process's stderr")).toBe("");
  expect(code).toBe(0);
  const report = JSON.parse(first.value as string) as ChurnReport;
  expect(report.sockets).toBeGreaterThanOrEqual(1000);
  expect(report.fdsAfter).toBe(report.fdsBefore);
  expect(report.ipcBound).toBeGreaterThan(100);
  expect(report.ipcLeft).toBe(0);
}, 90_000);
