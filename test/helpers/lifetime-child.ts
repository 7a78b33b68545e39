// Runs test/fixtures/process-lifetime-fixture.ts with one scenario and waits, bounded, for the
// child to end on its own: the process-exit tests' harness. A child that does not end is killed
// after the bound and the wait fails, naming the scenario.

import { expect } from "bun:test";
import type { Cleanup } from "./cleanup.ts";
import { withTimeout } from "./wait.ts";

const FIXTURE = new URL("../fixtures/process-lifetime-fixture.ts", import.meta.url).pathname;

export interface ChildOutcome {
  code: number;
  /** stdout, one entry per line. */
  lines: string[];
  stderr: string;
}

/** Spawns the fixture with `scenario`; resolves once it has exited (within 10 s) with what it printed. */
export async function runLifetimeChild(cleanup: Cleanup, scenario: string): Promise<ChildOutcome> {
  const child = Bun.spawn(["bun", FIXTURE, scenario], { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  cleanup.add(async () => {
    child.kill("SIGKILL");
    await child.exited;
  });
  const stdout = new Response(child.stdout).text();
  const stderr = new Response(child.stderr).text();
  const code = await withTimeout(child.exited, 10_000, `the "${scenario}" child to end on its own`);
  return { code, lines: (await stdout).split("\n").filter((line) => line !== ""), stderr: await stderr };
}

/** The child ended by itself, cleanly, after its set-up; `afterReady` lists what it printed next. */
export function expectCleanEnd(outcome: ChildOutcome, afterReady: string[]): void {
  expect(outcome.stderr).toBe("");
  expect(outcome.lines).toEqual(["ready", ...afterReady]);
  expect(outcome.code).toBe(0);
}
