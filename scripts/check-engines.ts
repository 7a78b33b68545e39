// Which Bun versions bunzmq works on, for package.json's `engines.bun`: installs each candidate
// Bun from npm into a temporary folder (`npm install --prefix <dir> bun@<version>`, as
// docs/bun-notes.md §6 describes), runs a chosen part of the test suite under it (the zeromq.js API,
// the API notes, CURVE and the other mechanisms, libzmq interop, I/O threads, and a bundled and
// compiled application), and prints a table of the results per version and the oldest version that
// passed everything. Not part of CI: it downloads about 100 MB per version and takes a minute or
// more each. CHANGELOG.md records the last run.
// Usage: bun scripts/check-engines.ts [--versions 1.2.0,1.3.0] [--tests <path>,...] [--keep] [--help]

import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { parseCommandLine } from "../common/command-line.ts";

const ROOT = resolve(import.meta.dir, "..");
/** 1.2.0 (the first engines.bun claimed), the last 1.2, 1.3.0, two later 1.3s, 1.4.0, 1.4.2 and the Bun CI installs. */
export const DEFAULT_VERSIONS = ["1.2.0", "1.2.23", "1.3.0", "1.3.7", "1.3.14", "1.4.0", "1.4.2", "1.4.5"];
/** The API, security and interop tests, I/O threads, and the bundle test. */
export const DEFAULT_TESTS = ["test/zeromqjs", "test/api", "test/interop", "test/io", "src/mechanism", "test/packaging/bundle.test.ts"];
const INSTALL_TIMEOUT_MS = 5 * 60_000;
const TEST_TIMEOUT_MS = 15 * 60_000;

const USAGE = `usage: bun scripts/check-engines.ts [options]

Installs each candidate Bun from npm into a temporary folder and runs part of the test suite under
it, then prints a table (pass/fail per version) and the oldest version that passed everything.
Not part of CI: about 100 MB of download and a minute or more per version.

Options:
  --versions <list>   comma-separated Bun versions (default ${DEFAULT_VERSIONS.join(",")})
  --tests <list>      comma-separated test files or folders (default ${DEFAULT_TESTS.join(",")})
  --keep              keep each installed Bun (its folder is printed)
  -h, --help          print this and exit

Ctrl-C stops the run in progress and prints the table of the versions finished so far.
`;

export interface Outcome {
  version: string;
  /** "pass": every test passed; "fail": some failed; "crash": a test file's runner died (a signal, a panic); "install": npm could not install it. */
  result: "pass" | "fail" | "crash" | "install";
  passed: number;
  failed: number;
  seconds: number;
  /** Crashed files, failed tests, files that passed only when run again, or what went wrong. */
  notes: string[];
}

/** One test file's run: its counts, failed tests, and whether the runner died. */
interface FileRun {
  passed: number;
  failed: number;
  failures: string[];
  crash: string | null;
}

interface Finished {
  code: number | null;
  signal: string | null;
  output: string;
}

let current: ReturnType<typeof Bun.spawn> | null = null;

async function spawn(
  cmd: string[],
  cwd: string,
  timeoutMs: number,
  env: Record<string, string | undefined> = process.env,
): Promise<Finished> {
  const child = Bun.spawn({ cmd, cwd, env, stdout: "pipe", stderr: "pipe", timeout: timeoutMs });
  current = child;
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  current = null;
  return { code, signal: child.signalCode === null ? null : String(child.signalCode), output: `${stdout}${stderr}` };
}

/** The last " N pass" / " N fail" of bun test's closing block, and the names of failed tests. */
export function readTestOutput(output: string): { passed: number; failed: number; failures: string[]; summary: boolean } {
  const last = (word: string) => [...output.matchAll(new RegExp(`^ (\\d+) ${word}$`, "gm"))].at(-1)?.[1];
  const [pass, fail, errors] = [last("pass"), last("fail"), last("errors?")];
  const failures = [...output.matchAll(/^\(fail\) (.+?)(?: \[[\d.]+m?s\])?$/gm)].map((match) => match[1]!);
  return {
    passed: Number(pass ?? 0),
    failed: Number(fail ?? 0) + Number(errors ?? 0),
    failures: [...new Set(failures)],
    summary: pass !== undefined || fail !== undefined,
  };
}

/** The test files under `paths` (files as given, folders searched), relative to the repository. */
export function testFiles(paths: string[]): string[] {
  const files: string[] = [];
  const walk = (path: string): void => {
    if (!statSync(path).isDirectory()) return void files.push(relative(ROOT, path));
    for (const name of readdirSync(path).sort()) {
      const child = join(path, name);
      if (name !== "node_modules" && (statSync(child).isDirectory() || /\.test\.[cm]?[jt]sx?$/.test(name))) walk(child);
    }
  };
  for (const path of paths) walk(resolve(ROOT, path));
  return files;
}

async function runFile(bun: string, file: string): Promise<FileRun> {
  // The suite's own I/O-thread settings stay out: each run is the default, engines on the main
  // thread. The bundle test packs the package with this script's Bun, as its publisher would.
  const env = { ...process.env, BUNZMQ_IO_THREADS: undefined, BUNZMQ_IO_SIGNALER: undefined, BUNZMQ_PACK_BUN: process.execPath };
  const run = await spawn([bun, "test", file], ROOT, TEST_TIMEOUT_MS, env);
  const read = readTestOutput(run.output);
  const crashed = !read.summary || run.signal !== null || /panic\(|Segmentation fault/.test(run.output);
  return { passed: read.passed, failed: read.failed, failures: read.failures, crash: crashed ? crashNote(run) : null };
}

/**
 * Each test file runs on its own, so a runner that dies takes only that file's results with it. A
 * file that fails is run once more: one that passes then is noted as flaky, not counted as failed
 * (on a loaded machine a few timing- and GC-bound tests are).
 */
async function check(version: string, tests: string[], keep: boolean): Promise<Outcome> {
  const started = performance.now();
  const seconds = () => Math.round((performance.now() - started) / 1000);
  const dir = mkdtempSync(join(tmpdir(), `bunzmq-bun-${version}-`));
  try {
    const install = await spawn(
      ["npm", "install", "--prefix", dir, "--no-audit", "--no-fund", "--loglevel=error", `bun@${version}`],
      dir,
      INSTALL_TIMEOUT_MS,
    );
    const bun = join(dir, "node_modules/.bin/bun");
    const reported = install.code === 0 ? (await spawn([bun, "--version"], dir, 30_000)).output.trim() : "";
    if (reported !== version) {
      const why =
        install.code === 0 ? `bun --version said ${JSON.stringify(reported)}` : install.output.trim().split("\n").slice(-3).join(" ");
      return { version, result: "install", passed: 0, failed: 0, seconds: seconds(), notes: [why] };
    }
    const [crashed, failed, flaky]: string[][] = [[], [], []];
    let [passedCount, failedCount] = [0, 0];
    for (const file of testFiles(tests)) {
      let run = await runFile(bun, file);
      if (run.crash !== null || run.failed > 0) {
        const again = await runFile(bun, file);
        if (again.crash === null && again.failed === 0) flaky.push(file);
        run = again;
      }
      passedCount += run.passed;
      failedCount += run.failed;
      if (run.crash !== null) crashed.push(`${file} (${run.crash})`);
      failed.push(...run.failures.map((name) => `${file}: ${name}`));
    }
    const result = crashed.length > 0 ? "crash" : failed.length > 0 ? "fail" : "pass";
    const notes = [
      ...crashed.map((what) => `crashed: ${what}`),
      ...failed.slice(0, 6).map((what) => `failed: ${what}`),
      ...(failed.length > 6 ? [`and ${failed.length - 6} more failed`] : []),
      ...flaky.map((file) => `passed when run again: ${file}`),
    ];
    return { version, result, passed: passedCount, failed: failedCount, seconds: seconds(), notes };
  } finally {
    if (keep) console.error(`check-engines: Bun ${version} kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

function crashNote(run: Finished): string {
  const line = run.output.split("\n").find((text) => /panic|Segmentation fault|oh no: Bun has crashed/i.test(text));
  return `${run.signal === null ? `exit ${run.code}` : run.signal}${line === undefined ? ", no closing summary" : `: ${line.trim()}`}`;
}

/** The table CHANGELOG.md quotes: one row per version. */
export function table(outcomes: Outcome[]): string {
  const rows = outcomes.map(
    (o) => `| ${o.version} | ${o.result} | ${o.passed} | ${o.failed} | ${o.seconds} | ${o.notes.join("; ").replaceAll("|", "\\|")} |`,
  );
  return ["| Bun | result | passed | failed | seconds | notes (first failures) |", "|---|---|---|---|---|---|", ...rows].join("\n");
}

/** The oldest version from which every later candidate passed too; null when the newest failed. */
export function oldestPassing(outcomes: Outcome[]): string | null {
  const sorted = [...outcomes].sort((a, b) => Bun.semver.order(a.version, b.version));
  let oldest: string | null = null;
  for (const outcome of sorted.reverse()) {
    if (outcome.result !== "pass") break;
    oldest = outcome.version;
  }
  return oldest;
}

async function main(): Promise<number> {
  const command = parseCommandLine({
    usage: USAGE,
    options: { versions: { type: "string" }, tests: { type: "string" }, keep: { type: "boolean" } },
  });
  const list = (name: "versions" | "tests", fallback: string[]) =>
    command
      .text(name, fallback.join(","))
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item !== "");
  const versions = list("versions", DEFAULT_VERSIONS);
  const tests = list("tests", DEFAULT_TESTS);
  const outcomes: Outcome[] = [];
  let interrupted = false;
  process.on("SIGINT", () => {
    interrupted = true;
    current?.kill("SIGKILL");
  });
  for (const version of versions) {
    if (interrupted) break;
    console.error(`check-engines: Bun ${version}: installing and running ${tests.join(" ")}`);
    const outcome = await check(version, tests, command.flag("keep"));
    // A run cut short by Ctrl-C is left out: its figures would not be a result.
    if (interrupted) break;
    outcomes.push(outcome);
    console.error(
      `check-engines: Bun ${version}: ${outcome.result} (${outcome.passed} passed, ${outcome.failed} failed, ${outcome.seconds} s)`,
    );
  }
  console.log(table(outcomes));
  const oldest = oldestPassing(outcomes);
  console.log(
    `\nOldest passing (every later candidate passing too): ${oldest ?? "none"}${interrupted ? " (interrupted: not every version ran)" : ""}`,
  );
  return interrupted ? 130 : 0;
}

if (import.meta.main) process.exitCode = await main();
