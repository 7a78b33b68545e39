// Ctrl-C (SIGINT) stops the long-running commands cleanly (common/interrupt.ts; issue 15): the demo
// and a bench are started as package.json starts them, interrupted once they are under way, and must
// exit 130 well before their planned end, with a summary that tells the truth: the demo's lists no
// event after the interrupt, the bench's says what was measured and that nothing was saved.
// SIGINT goes to the command's own process, as a signal sent by a supervisor would; the command
// stops the processes it started itself (it awaits their exit before it exits). Signal handling
// does not depend on I/O threads (test/gateway/cluster-processes.test.ts stops the roles under them),
// so these run once, in CI's run without them.

import { describe, expect, test } from "bun:test";
import type { Subprocess } from "bun";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readLines } from "../../common/read-lines.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { withTimeout } from "../helpers/wait.ts";

const ROOT = join(import.meta.dir, "../..");
const SCRIPTS: Record<string, string> = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts;
const cleanup = useCleanup();
const THREADED_RUN = Number(process.env.BUNZMQ_IO_THREADS ?? 0) > 0;
if (THREADED_RUN) console.log("skipped: Ctrl-C of the demo and a bench (run once, without I/O threads)");

interface Started {
  process: Subprocess<"ignore", "pipe", "pipe">;
  /** Every line of stdout and stderr so far, in arrival order per stream. */
  lines: string[];
  /** Resolves with the first line (of either stream) matching `pattern`. */
  waitForLine(pattern: RegExp, ms: number): Promise<string>;
}

/** Starts package.json's `script` (a `bun <file>` command) with `args`, under this Bun. */
function start(script: string, args: string[]): Started {
  const [runner, file] = SCRIPTS[script]!.split(" ");
  expect(runner).toBe("bun");
  const child = Bun.spawn([process.execPath, file!, ...args], { cwd: ROOT, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  cleanup.add(async () => {
    child.kill("SIGKILL");
    await child.exited;
  });
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  const read = async (stream: ReadableStream<Uint8Array>) => {
    for await (const line of readLines(stream)) {
      lines.push(line);
      for (const waiter of waiters.filter((w) => w.pattern.test(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  };
  void read(child.stdout);
  void read(child.stderr);
  return {
    process: child,
    lines,
    waitForLine(pattern, ms) {
      const seen = lines.find((line) => pattern.test(line));
      const found = seen !== undefined ? Promise.resolve(seen) : new Promise<string>((resolve) => waiters.push({ pattern, resolve }));
      return withTimeout(found, ms, `a line matching ${pattern} (have: ${lines.slice(-5).join(" | ")})`);
    },
  };
}

/** Sends SIGINT and waits (bounded) for the exit; returns the exit code and how long the stop took. */
async function interrupt(started: Started, boundMs: number): Promise<{ code: number | null; ms: number }> {
  const at = performance.now();
  started.process.kill("SIGINT");
  const code = await withTimeout(started.process.exited, boundMs, "the command to stop after SIGINT");
  return { code, ms: performance.now() - at };
}

describe.skipIf(THREADED_RUN)("Ctrl-C", () => {
  test("the demo stops on Ctrl-C: exit 130, its summary ends at the interrupt with nothing scheduled after it", async () => {
    const demo = start("demo", ["--duration", "60", "--players", "20", "--rate", "10", "--work-us", "0"]);
    // The live view's first line (one a second once the players run): the demo is under way.
    await demo.waitForLine(/^\s*\d+\/60 s\s+actions/, 30_000);
    const { code, ms } = await interrupt(demo, 20_000);
    await demo.waitForLine(/answered per server/, 5_000);
    expect(code).toBe(130);
    expect(ms).toBeLessThan(20_000);
    const summary = demo.lines.slice(demo.lines.findIndex((line) => line.startsWith("Summary (")));
    expect(summary[0]).toMatch(/^Summary \(20 players, interrupted after \d+\.\d of 60 s, at-least-once\)$/);
    const events = summary.slice(1).filter((line) => /^\s+\d+\.\d s {2}/.test(line));
    expect(events.at(-1)).toContain("interrupted (Ctrl-C): no further steps");
    // Scheduled at 15, 30 and 45 s of 60: none may have happened, or be reported.
    expect(summary.join("\n")).not.toMatch(/server 4 joined|asked to stop|killed hard/);
    expect(summary.join("\n")).toMatch(/actions sent \d+, answered \d+, lost \d+, duplicates seen by players 0/);
  }, 60_000);

  test("a bench stops on Ctrl-C: exit 130, it says what it measured and saves nothing", async () => {
    const bench = start("bench:gateway", ["--players", "20", "--servers", "1", "--warmup", "0", "--seconds", "60"]);
    await bench.waitForLine(/measuring 60 s/, 30_000);
    const { code, ms } = await interrupt(bench, 20_000);
    await bench.waitForLine(/Nothing was saved/, 5_000);
    expect(code).toBe(130);
    expect(ms).toBeLessThan(20_000);
    const output = bench.lines.join("\n");
    expect(output).toMatch(/gateway interrupted \(Ctrl-C\) after \d+\.\d s/);
    expect(output).toMatch(/game gateway path — (no one-second window was measured|20 players)/);
  }, 60_000);
});
