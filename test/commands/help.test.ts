// Every package.json script that runs a program of this repository answers `--help` with its usage
// and exit code 0 without doing anything, and refuses an unknown option with its usage and exit code
// 2 (common/command-line.ts; issue 15). The scripts are read from package.json, so one added later
// is covered as soon as it exists; a script that runs neither a file of the repository nor a tool in
// OTHER_TOOLS fails the classification test until it is listed.
//
// "Without doing anything": the program's whole stdout is the usage (a program that started prints
// its own heading first), its stderr is empty, it ends within the bound, and bench/results/ (where
// benches write) is unchanged. Each script's command is run as package.json spells it, without
// `bun run` around it (half the processes); an alias (`bun run <other script>`) is checked through
// the script it names. Argument parsing does not depend on I/O threads, so the runs are made once,
// in CI's run without them (as test/packaging does).

import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { withTimeout } from "../helpers/wait.ts";

const ROOT = join(import.meta.dir, "../..");
const SCRIPTS: Record<string, string> = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts;
const RESULTS = join(ROOT, "bench/results");
/** Generous for a program that only parses its arguments, on a loaded two-core machine. */
const BOUND_MS = 15_000;
const THREADED_RUN = Number(process.env.BUNZMQ_IO_THREADS ?? 0) > 0;

/**
 * The exceptions: scripts that run someone else's program, whose `--help` is that program's own
 * (and whose option handling is not ours to test).
 */
const OTHER_TOOLS: Record<string, string> = {
  test: "bun test: Bun's test runner",
  typecheck: "tsc: the TypeScript compiler",
  format: "biome format: the formatter",
  "format:check": "biome ci: the formatter's check",
};

/**
 * The program a script runs, as argv: `bun <file>` or `bash <file>` with a file of the repository,
 * or that of the script a `bun run <another script>` alias names; null for anything else.
 */
function programOf(name: string, seen: string[] = []): string[] | null {
  const words = (SCRIPTS[name] ?? "").trim().split(/\s+/);
  const [runner, first, second] = words;
  if (runner === "bun" && first === "run" && second !== undefined && !seen.includes(second)) return programOf(second, [...seen, name]);
  if ((runner === "bun" || runner === "bash") && first !== undefined && existsSync(join(ROOT, first))) return words;
  return null;
}

const OURS = Object.keys(SCRIPTS).filter((name) => !(name in OTHER_TOOLS) && programOf(name) !== null);
/** Each program once: an alias shares its target's runs. */
const PROGRAMS = new Map(OURS.map((name) => [name, programOf(name)!.join(" ")]));

const results = () => (existsSync(RESULTS) ? readdirSync(RESULTS).sort() : []);

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

async function run(program: string, arg: string): Promise<Outcome> {
  const started = performance.now();
  const [runner, ...rest] = program.split(" ");
  // This Bun, whatever `bun` on PATH is.
  const argv = [runner === "bun" ? process.execPath : runner!, ...rest, arg];
  const child = Bun.spawn(argv, { cwd: ROOT, stdin: "ignore", stdout: "pipe", stderr: "pipe", timeout: BOUND_MS });
  const [stdout, stderr, code] = await withTimeout(
    Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]),
    BOUND_MS + 5_000,
    argv.join(" "),
  );
  return { code, stdout, stderr, ms: performance.now() - started };
}

/**
 * Every run starts when this file loads, four at a time (each is mostly Bun starting up, so running
 * them side by side takes a third of the time); each test awaits its own.
 */
const LANES = 4;
const queue: Array<() => void> = [];
let running = 0;
function pooled(program: string, arg: string): Promise<Outcome> {
  return new Promise<void>((resolve) => {
    queue.push(resolve);
    pump();
  }).then(() => run(program, arg).finally(() => (running--, pump())));
}
function pump(): void {
  while (running < LANES && queue.length > 0) {
    running++;
    queue.shift()!();
  }
}
const resultsBefore = results();
const outcomes = new Map(
  [...new Set(THREADED_RUN ? [] : PROGRAMS.values())].flatMap((program) =>
    ["--help", "--no-such-option"].map((arg) => [`${program} ${arg}`, pooled(program, arg)] as const),
  ),
);

test("every package.json script runs a program of ours or a tool listed as an exception", () => {
  const unclassified = Object.keys(SCRIPTS).filter((name) => !OURS.includes(name) && !(name in OTHER_TOOLS));
  expect(unclassified).toEqual([]);
  for (const name of Object.keys(OTHER_TOOLS)) expect(SCRIPTS).toHaveProperty(name);
  expect(OURS).toContain("bench");
  expect(OURS).toContain("demo");
});

if (THREADED_RUN) console.log("skipped: --help and unknown options of every script (run once, without I/O threads)");
describe.skipIf(THREADED_RUN).each(OURS)("bun run %s", (name) => {
  test("--help prints the usage on stdout, exits 0 and runs nothing", async () => {
    const { code, stdout, stderr, ms } = await outcomes.get(`${PROGRAMS.get(name)} --help`)!;
    expect(code).toBe(0);
    expect(stdout).toStartWith("usage: ");
    expect(stderr).toBe("");
    expect(ms).toBeLessThan(BOUND_MS);
    expect(results()).toEqual(resultsBefore);
  }, 60_000);

  test("an unknown option prints the problem and the usage on stderr and exits 2", async () => {
    const { code, stdout, stderr } = await outcomes.get(`${PROGRAMS.get(name)} --no-such-option`)!;
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("--no-such-option");
    expect(stderr).toContain("usage: ");
  }, 60_000);
});
