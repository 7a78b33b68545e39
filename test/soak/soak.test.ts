// The soak in CI: `bun run soak -- --minutes 1` must pass (no growth past the limits, no message
// lost, no traffic stopped), and its command line must behave. CI runs test/soak once, with no I/O
// threads; the run takes about 65 s. What the soak does: docs/soak.md.

import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { useCleanup } from "../helpers/cleanup.ts";
import { withTimeout } from "../helpers/wait.ts";

const ROOT = join(import.meta.dir, "../..");
const dir = mkdtempSync(join(tmpdir(), "bunzmq-soak-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cleanup = useCleanup();

interface Ran {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `bun run soak -- ...args` from the repository root, bounded by `timeoutMs`. */
async function soak(args: string[], timeoutMs: number): Promise<Ran> {
  const child = Bun.spawn(["bun", "run", "soak", "--", ...args], { cwd: ROOT, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  cleanup.add(async () => {
    child.kill("SIGKILL");
    await child.exited;
  });
  const [stdout, stderr] = [new Response(child.stdout).text(), new Response(child.stderr).text()];
  const status = await withTimeout(child.exited, timeoutMs, `bun run soak -- ${args.join(" ")} to finish`);
  return { status, stdout: await stdout, stderr: await stderr };
}

describe("bun run soak", () => {
  test("--help prints the usage and exits 0 without running anything", async () => {
    const out = join(dir, "help.svg");
    const ran = await soak(["--help", "--out", out], 15_000);
    expect(ran.status).toBe(0);
    expect(ran.stdout).toContain("--minutes N");
    expect(ran.stdout).not.toContain("peers");
    expect(existsSync(out)).toBe(false);
  });

  test("a bad --minutes is refused with the usage and status 2", async () => {
    const ran = await soak(["--minutes", "soon"], 15_000);
    expect(ran.status).toBe(2);
    expect(ran.stderr).toContain('--minutes: needs a number of at least 0.2, not "soon"');
    expect(ran.stderr).toContain("usage: bun run soak");
  });

  test("a one-minute soak passes: RSS and descriptors flat from the 25 % mark, no message lost, every pattern moving", async () => {
    const out = join(dir, "soak.svg");
    const ran = await soak(["--minutes", "1", "--out", out], 150_000);
    // The summary goes to the log either way: its figures on success, the diagnosis on failure.
    console.log(ran.stdout);
    if (ran.status !== 0) console.error(ran.stderr);
    expect(ran.status).toBe(0);
    expect(ran.stdout).toContain("violations: none");
    expect(ran.stdout).toMatch(/\nPASS\n/);
    // Every pattern carried traffic and every process peer was restarted at least once.
    for (const pattern of ["PUSH→PULL", "DEALER→ROUTER", "DEALER→REP", "REQ→REP", "PUB→SUB"]) {
      expect(ran.stdout).toMatch(new RegExp(`\\n${pattern} .*[1-9][\\d,]*\\n`));
    }
    const restarts =
      ran.stdout
        .match(/\nrestarts +(.*)\n/)?.[1]
        ?.trim()
        .split(/\s+/) ?? [];
    expect(restarts.slice(0, 4).every((n) => Number(n) >= 1)).toBe(true);
    const svg = readFileSync(out, "utf8");
    expect(svg).toStartWith("<?xml");
    expect(svg).toContain("Open descriptors");
  }, 160_000);
});
