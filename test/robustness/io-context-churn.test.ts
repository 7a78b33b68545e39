// Issue 8: 100 create/close cycles of a Context with 2 I/O threads (connecting sockets' engines in
// Workers, messages each way) leave no Worker or descriptor behind: the fixture
// (test/fixtures/io-context-churn-fixture.ts) returns without process.exit(), so a Worker, a ring's
// doorbell or an eventfd stream left alive would hold it, and its descriptor count must settle back.

import { expect, test } from "bun:test";
import { readLines } from "../../scripts/read-lines.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();

interface ChurnReport {
  contexts: number;
  messages: number;
  fdsBefore: number;
  fdsAfter: number;
}

test("100 contexts with I/O threads, created and closed, leave no Worker or descriptor; the process exits on its own", async () => {
  const fixture = new URL("../fixtures/io-context-churn-fixture.ts", import.meta.url).pathname;
  const child = Bun.spawn(["bun", fixture], { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  cleanup.add(async () => {
    child.kill("SIGKILL");
    await child.exited;
  });
  const stderr = new Response(child.stderr).text();
  const lines = readLines(child.stdout);
  const first = await withTimeout(lines.next(), 90_000, "the churn process's report line");
  expect(first.done).toBe(false);
  const code = await withTimeout(child.exited, 10_000, "the churn process to exit on its own after its report (something keeps it alive)");
  expect(await withTimeout(stderr, 5000, "the churn process's stderr")).toBe("");
  expect(code).toBe(0);
  const report = JSON.parse(first.value as string) as ChurnReport;
  expect(report).toMatchObject({ contexts: 100, messages: 300 });
  expect(report.fdsAfter).toBe(report.fdsBefore);
}, 120_000);
