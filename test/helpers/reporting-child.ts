// Runs a fixture that prints one JSON report line and must then exit on its own (nothing it left
// behind may keep it alive): the churn tests' shared harness. Bounded at every step.

import { expect } from "bun:test";
import { readLines } from "../../common/read-lines.ts";
import type { Cleanup } from "./cleanup.ts";
import { withTimeout } from "./wait.ts";

/** Spawns `bun <fixture>`, waits for its report, then for its own exit with status 0 and no stderr. */
export async function runReportingChild<Report>(cleanup: Cleanup, fixture: string, reportTimeoutMs: number): Promise<Report> {
  const child = Bun.spawn(["bun", fixture], { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  cleanup.add(async () => {
    child.kill("SIGKILL");
    await child.exited;
  });
  const stderr = new Response(child.stderr).text();
  const lines = readLines(child.stdout);
  const first = await withTimeout(lines.next(), reportTimeoutMs, `the report line of ${fixture}`);
  expect(first.done).toBe(false);
  // Everything is closed by now; a leftover timer or handle would keep the process alive far longer.
  const code = await withTimeout(child.exited, 10_000, `${fixture} to exit on its own after its report (something keeps it alive)`);
  expect(await withTimeout(stderr, 5000, `the stderr of ${fixture}`)).toBe("");
  expect(code).toBe(0);
  return JSON.parse(first.value as string) as Report;
}
