// Tests for scripts/fuzz.ts, the long-run fuzz command: its arguments, its help, and that every fuzz
// test file belongs to a target it can name (a file without one would never get a long run).
import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_RUNS, USAGE, parseRun, targetsIn } from "./fuzz.ts";

const FUZZ_DIR = join(import.meta.dir, "..", "test", "fuzz");
const targets = targetsIn();

function parsed(args: string[]) {
  const printed: string[] = [];
  return { run: parseRun(args, targets, (text) => printed.push(text)), printed };
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

  test("--runs, --seed and repeated --target choose the run", () => {
    const { run } = parsed(["--runs", "1000000", "--seed=-7", "--target", "decoder", "--target", "engine"]);
    expect(run).toEqual({ runs: 1_000_000, seed: -7, files: [...targets.get("decoder")!, ...targets.get("engine")!] });
  });

  test("an unknown target, a bad number or an unknown option is refused, naming the problem", () => {
    expect(() => parsed(["--target", "nope"])).toThrow("unknown target nope; the targets are");
    expect(() => parsed(["--runs", "1e6"])).toThrow("--runs 1e6: expected an integer");
    expect(() => parsed(["--runs", "0"])).toThrow("--runs 0: expected an integer from 1");
    expect(() => parsed(["--seed", "2147483648"])).toThrow("--seed 2147483648");
    expect(() => parsed(["--fast"])).toThrow();
  });

  test("--help prints the usage and runs nothing; --list prints each target with its files", () => {
    expect(parsed(["--help"])).toEqual({ run: null, printed: [USAGE] });
    const { run, printed } = parsed(["--list"]);
    expect(run).toBeNull();
    expect(printed.length).toBe(targets.size);
    expect(printed.find((line) => line.startsWith("engine "))).toContain("test/fuzz/engine.test.ts");
  });

  test("a short run passes its settings to the suite and sums the inputs per target", () => {
    const result = Bun.spawnSync(["bun", join(import.meta.dir, "fuzz.ts"), "--target", "greeting", "--runs", "40", "--seed", "3"]);
    const out = result.stdout.toString();
    expect(result.exitCode).toBe(0);
    expect(out).toContain("bun run fuzz: 40 inputs per target, seed 3");
    // Three greeting properties, each taking half of the 40, and nothing else run.
    expect(out).toMatch(/^greeting +60 inputs /m);
    expect(out).toContain("bun run fuzz: 60 inputs passed in total, seed 3; bun test exited 0");
  }, 30_000);

  test("`bun scripts/fuzz.ts --help` exits 0 with the usage on stdout", () => {
    const result = Bun.spawnSync(["bun", join(import.meta.dir, "fuzz.ts"), "--help"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.toString()).toStartWith("Usage: bun run fuzz -- [--runs N]");
  });
});
