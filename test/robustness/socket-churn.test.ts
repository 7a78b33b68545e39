// Issue 4: a process that opens and closes 1,000 sockets and connections (tcp, ipc, inproc; messages
// exchanged, some left queued; contexts closed whole; reconnect timers pending at close) exits on its
// own, with every descriptor it opened closed again. The churn runs in test/fixtures/
// socket-churn-fixture.ts, which returns without process.exit(): anything left alive would hold it.

import { expect, test } from "bun:test";
import { useCleanup } from "../helpers/cleanup.ts";
import { withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();

test("a process that opens and closes 1,000 sockets exits on its own with no descriptor left open", async () => {
  const fixture = new URL("../fixtures/socket-churn-fixture.ts", import.meta.url).pathname;
  const child = Bun.spawn(["bun", fixture], { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  cleanup.add(async () => {
    child.kill("SIGKILL");
    await child.exited;
  });
  const code = await withTimeout(child.exited, 60_000, "the churn process to exit on its own (something keeps it alive)");
  const [stdout, stderr] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text()]);
  expect(stderr).toBe("");
  expect(code).toBe(0);
  const report = JSON.parse(stdout) as { sockets: number; fdsBefore: number; fdsAfter: number };
  expect(report.sockets).toBeGreaterThanOrEqual(1000);
  expect(report.fdsAfter).toBe(report.fdsBefore);
}, 90_000);
