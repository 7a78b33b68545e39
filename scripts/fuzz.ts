// Long fuzz runs: the suite in test/fuzz with many more inputs than CI gives it, a fresh seed, and
// every failure's shrunk input written to the target's corpus (test/fuzz/corpus/<target>.json),
// which CI then replays. It starts `bun test` on the fuzz files, as .ci/run starts the suite, and
// passes its settings in the BUNZMQ_FUZZ_* variables test/fuzz/harness.ts reads; a target is the
// `TARGET` a test file there declares. Imports only common/command-line.ts of the repository.
// Usage: bun run fuzz -- [--runs N] [--target NAME[,NAME...]] [--seed S]   (--help for more)

import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { type CommandLine, parseCommandLine } from "../common/command-line.ts";

const REPO_ROOT = join(import.meta.dir, "..");
const FUZZ_DIR = join(REPO_ROOT, "test", "fuzz");
/** Inputs per target when --runs is not given: a few minutes on a 2-core machine. */
export const DEFAULT_RUNS = 100_000;

export const USAGE = `usage: bun run fuzz -- [--runs N] [--target NAME[,NAME...]] [--seed S] [--list]

Runs the fuzz suite (test/fuzz) through bun test with N inputs per target instead of CI's 10^4,
and writes the shrunk input of every failure to test/fuzz/corpus/<target>.json, where CI replays it.

Options:
  --runs N       inputs per target (default ${DEFAULT_RUNS}): each of a target's properties runs
                 its share of N, and the shares add up to N or more (test/fuzz/README.md)
  --target LIST  fuzz only these targets, comma-separated (default: every target)
  --seed S       fast-check's seed, an integer (default: a random one, printed; a negative one
                 as --seed=-7)
  --list         print the targets and their test files, then exit
  --help         print this text, then exit

Example: bun run fuzz -- --runs 1000000 --target decoder,engine`;

export const OPTIONS = {
  runs: { type: "string" },
  target: { type: "string" },
  seed: { type: "string" },
  list: { type: "boolean" },
} as const;

export interface FuzzRun {
  runs: number;
  seed: number;
  /** Test files to run, relative to the repository. */
  files: string[];
}

/** Each target and its test files: a test file names its target in `const TARGET = "..."`. */
export function targetsIn(dir: string = FUZZ_DIR): Map<string, string[]> {
  const targets = new Map<string, string[]>();
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith(".test.ts")) continue;
    const target = /^const TARGET = "([^"]+)";$/m.exec(readFileSync(join(dir, name), "utf8"))?.[1];
    if (target === undefined) continue;
    targets.set(target, [...(targets.get(target) ?? []), relative(REPO_ROOT, join(dir, name))]);
  }
  return targets;
}

/**
 * The run `command` asks for: null once --list has been served. A bad value or an unknown target
 * ends the process through `command.fail` (the problem and the usage on stderr, exit 2).
 */
export function fuzzRunOf(
  command: CommandLine<typeof OPTIONS>,
  targets: Map<string, string[]>,
  print: (text: string) => void,
): FuzzRun | null {
  if (command.flag("list")) {
    for (const [target, files] of targets) print(`${target.padEnd(20)} ${files.join(" ")}`);
    return null;
  }
  const runs = command.convert("runs", (text) => integer(text, DEFAULT_RUNS, 1, Number.MAX_SAFE_INTEGER));
  const seed = command.convert("seed", (text) => integer(text, Math.floor(Math.random() * 2 ** 31), -(2 ** 31), 2 ** 31 - 1));
  const chosen = command.text("target")?.split(",") ?? [...targets.keys()];
  const unknown = chosen.filter((target) => !targets.has(target));
  if (unknown.length > 0) command.fail(`--target: unknown target ${unknown.join(", ")}; the targets are ${[...targets.keys()].join(", ")}`);
  return { runs, seed, files: chosen.flatMap((target) => targets.get(target)!) };
}

function integer(text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || value < min || value > max) throw new Error(`${text}: expected an integer from ${min} to ${max}`);
  return value;
}

/** One property's line from the harness: `fuzz <target> > <property>: N inputs, seed S, T ms`. */
const REPORT_LINE = /^fuzz (\S+) > .*: (\d+) inputs, seed -?\d+, (\d+) ms$/;

/** Runs `run`, passing the output through, and prints the inputs and time per target at the end. */
async function fuzz(run: FuzzRun): Promise<number> {
  console.log(`bun run fuzz: ${run.runs} inputs per target, seed ${run.seed} (BUNZMQ_FUZZ_SEED=${run.seed} replays it)`);
  const child = Bun.spawn(["bun", "test", ...run.files.map((file) => `./${file}`)], {
    cwd: REPO_ROOT,
    env: { ...process.env, BUNZMQ_FUZZ_RUNS: String(run.runs), BUNZMQ_FUZZ_SEED: String(run.seed), BUNZMQ_FUZZ_RECORD: "1" },
    stdout: "pipe",
    stderr: "inherit",
  });
  const totals = new Map<string, { inputs: number; ms: number }>();
  let recorded = false;
  let pending = "";
  const decoder = new TextDecoder();
  for await (const chunk of child.stdout) {
    const text = pending + decoder.decode(chunk, { stream: true });
    process.stdout.write(text.slice(0, text.lastIndexOf("\n") + 1));
    const lines = text.split("\n");
    pending = lines.pop()!;
    recorded ||= lines.some((line) => line.includes("counterexample written to"));
    for (const match of lines.map((line) => REPORT_LINE.exec(line))) {
      if (match === null) continue;
      const total = totals.get(match[1]!) ?? { inputs: 0, ms: 0 };
      totals.set(match[1]!, { inputs: total.inputs + Number(match[2]), ms: total.ms + Number(match[3]) });
    }
  }
  process.stdout.write(pending);
  const status = await child.exited;
  // The corpus is JSON under the formatter's rules: lay a new entry out as `bun run format:check` wants it.
  if (recorded)
    Bun.spawnSync(["bunx", "biome", "format", "--write", "test/fuzz/corpus"], { cwd: REPO_ROOT, stdout: "inherit", stderr: "inherit" });
  let inputs = 0;
  for (const [target, total] of totals) {
    console.log(`${target.padEnd(20)} ${String(total.inputs).padStart(10)} inputs ${(total.ms / 1000).toFixed(1).padStart(8)} s`);
    inputs += total.inputs;
  }
  console.log(`bun run fuzz: ${inputs} inputs passed in total, seed ${run.seed}; bun test exited ${status}`);
  return status;
}

if (import.meta.main) {
  const run = fuzzRunOf(parseCommandLine({ usage: USAGE, options: OPTIONS }), targetsIn(), (text) => console.log(text));
  if (run !== null) process.exitCode = await fuzz(run);
}
