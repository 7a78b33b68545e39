// The chaos runner's promises: a check that is interrupted or overruns its bound is torn down (its
// peers killed) and reported truthfully, the rest are "not run"; and the command line's --help and
// argument errors run nothing. Uses loopback or the link, whichever the runner picks.

import { expect, test } from "bun:test";
import type { Check } from "./check.ts";
import { formatSummary } from "./figures.ts";
import type { JsonChild } from "./json-child.ts";
import { CHECKS, runChecks, selectChecks } from "./runner.ts";

const CLI = new URL("../cli.ts", import.meta.url).pathname;

/** A check that starts a server peer, then waits for a report that never comes. */
function hangingCheck(name: string, started: (server: JsonChild) => void, boundSeconds = 60): Check {
  return {
    name,
    title: "waits for ever",
    needsLink: false,
    short: true,
    boundSeconds: { full: boundSeconds, short: boundSeconds },
    async run(context) {
      const { b } = await context.net();
      const server = context.peer(b, "server", { socket: "pull", bind: b.anyTcpEndpoint }, "PULL");
      await server.next("bound", 10_000);
      started(server);
      await server.next("never", 120_000);
    },
  };
}

test("an interrupted check is torn down and reported as interrupted; the checks after it are not run", async () => {
  const interrupt = new AbortController();
  let server: JsonChild | undefined;
  const check = hangingCheck("hang", (s) => {
    server = s;
    interrupt.abort(new Error("interrupted"));
  });
  const results = await runChecks([check, { ...check, name: "after" }], {
    short: true,
    signal: interrupt.signal,
    strict: false,
    out: () => {},
  });
  expect(results.map((r) => r.outcome)).toEqual(["interrupted", "not run"]);
  expect(server!.exited).toBe(true);
  expect(formatSummary(results)).toContain("0 passed, 0 failed, 0 skipped, 1 interrupted, 1 not run");
}, 30_000);

test("a check that overruns its bound fails with the bound named, its peers killed", async () => {
  let server: JsonChild | undefined;
  const [result] = await runChecks([hangingCheck("slow", (s) => (server = s), 1)], {
    short: true,
    signal: new AbortController().signal,
    strict: false,
    out: () => {},
  });
  expect(result!.outcome).toBe("fail");
  expect(result!.failures).toEqual(["did not finish within its bound of 1 s"]);
  expect(server!.exited).toBe(true);
}, 30_000);

test("checks are chosen by name in suite order; the short version is loss, partition, restart and ping-flood", () => {
  expect(selectChecks(["ping-flood,loss"], false).map((c) => c.name)).toEqual(["loss", "ping-flood"]);
  expect(selectChecks([], true).map((c) => c.name)).toEqual(["loss", "partition", "restart", "ping-flood"]);
  expect(selectChecks([], false)).toHaveLength(CHECKS.length);
  expect(() => selectChecks(["nope"], false)).toThrow("unknown check nope");
});

test("bun run chaos --help prints the usage and runs nothing; a bad argument exits 2", async () => {
  const help = Bun.spawnSync([process.execPath, CLI, "--help"]);
  expect(help.exitCode).toBe(0);
  expect(help.stdout.toString()).toContain("usage: bun run chaos");
  expect(help.stdout.toString()).not.toContain("PASS");
  const bad = Bun.spawnSync([process.execPath, CLI, "--only", "nope"]);
  expect(bad.exitCode).toBe(2);
  expect(bad.stderr.toString()).toContain("unknown check nope");
});
