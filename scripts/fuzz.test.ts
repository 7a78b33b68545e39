// Tests for scripts/fuzz.ts, the long-run fuzz command: its arguments, its refusals, a short run end
// to end, and that every fuzz test file belongs to a target it can name (a file without one would
// never get a long run). `--help` and an unknown option are checked for every script by
// test/commands/help.test.ts.
import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { parseCommandLine } from "../common/command-line.ts";
import { DEFAULT_RUNS, OPTIONS, USAGE, fuzzRunOf, targetsIn } from "./fuzz.ts";

const FUZZ_DIR = join(import.meta.dir, "..", "test", "fuzz");
const SCRIPT = join(import.meta.dir, "fuzz.ts");
const targets = targetsIn();

/** The run `argv` asks for, read as the script reads it (only for arguments it accepts: a refusal exits). */
function parsed(argv: string[]) {
  const printed: string[] = [];
  const run = fuzzRunOf(parseCommandLine({ usage: USAGE, options: OPTIONS, argv }), targets, (text: string) => printed.push(text));
  return { run, printed };
}

/** The script run as a process, for what ends it. */
function spawned(args: string[]) {
  const result = Bun.spawnSync(["bun", SCRIPT, ...args]);
  return { code: result.exitCode, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

describe("bun run fuzz", () => {
  test("every test file in test/fuzz declares the target it fuzzes", () => {
    const files = readdirSync(FUZZ_DIR).filter((name) => name.endsWith(".test.ts"));
    const named = [...targets.values()].flat().map((file) => file.split("/").pop());
    expect(named.sort()).toEqual(files.sort());
    expect([...targets.keys()]).toEqual(
      expect.arrayContaining([
        "decoder",
        "greeting",
        "command-codecs",
        "mechanism-null",
        "mechanism-plain",
        "mechanism-curve",
        "subscription-trie",
        "engine",
      ]),
    );
  });

  test("with no options it runs every target's files with the default input count and a random seed", () => {
    const { run } = parsed([]);
    expect(run!.runs).toBe(DEFAULT_RUNS);
    expect(Number.isInteger(run!.seed)).toBe(true);
    expect(run!.files.sort()).toEqual([...targets.values()].flat().sort());
  });

  test("--runs, --seed and a list of targets choose the run", () => {
    const { run } = parsed(["--runs", "1000000", "--seed=-7", "--target", "decoder,engine"]);
    expect(run).toEqual({ runs: 1_000_000, seed: -7, files: [...targets.get("decoder")!, ...targets.get("engine")!] });
  });

  test("--list prints each target with its files and runs nothing", () => {
    const { run, printed } = parsed(["--list"]);
    expect(run).toBeNull();
    expect(printed.length).toBe(targets.size);
    expect(printed.find((line) => line.startsWith("engine "))).toContain("test/fuzz/engine.test.ts");
  });

  test("an unknown target or a bad number is refused with exit 2, naming the problem, before anything runs", () => {
    const cases: Array<[string[], string]> = [
      [["--target", "decoder,nope"], "--target: unknown target nope; the targets are"],
      [["--runs", "1e6"], "--runs: 1e6: expected an integer"],
      [["--runs", "0"], "--runs: 0: expected an integer from 1"],
      [["--seed", "2147483648"], "--seed: 2147483648: expected an integer"],
    ];
    for (const [args, problem] of cases) {
      const { code, stdout, stderr } = spawned(args);
      expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
      expect(stderr).toContain(problem);
      expect(stderr).toContain("usage: bun run fuzz");
    }
  });

  test("a short run passes its settings to the suite and sums the inputs per target", () => {
    const { code, stdout } = spawned(["--target", "greeting", "--runs", "40", "--seed", "3"]);
    expect(code).toBe(0);
    expect(stdout).toContain("bun run fuzz: 40 inputs per target, seed 3");
    // Three greeting properties, each taking half of the 40, and nothing else run.
    expect(stdout).toMatch(/^greeting +60 inputs /m);
    expect(stdout).toContain("bun run fuzz: 60 inputs passed in total, seed 3; bun test exited 0");
  }, 30_000);
});
