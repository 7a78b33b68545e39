// The pieces of scripts/check-engines.ts that need no Bun download: reading bun test's output,
// finding the test files, choosing the oldest passing version, the table. The whole script is run
// by hand (CHANGELOG.md "Compatibility").

import { expect, test } from "bun:test";
import { type Outcome, oldestPassing, readTestOutput, table, testFiles } from "./check-engines.ts";

test("reads bun test's closing counts (the last ones) and the names of failed tests", () => {
  const output = [
    "(pass) a > works [1.20ms]",
    "(fail) a > breaks [5001.00ms]",
    "(fail) b > breaks too",
    " 3 pass",
    " 0 fail",
    "noise",
    " 7 pass",
    " 2 fail",
    " 1 error",
  ].join("\n");
  expect(readTestOutput(output)).toEqual({ passed: 7, failed: 3, failures: ["a > breaks", "b > breaks too"], summary: true });
  expect(readTestOutput("panic: Segmentation fault at address 0x0").summary).toBe(false);
});

test("finds test files under folders, and keeps a file given by name", () => {
  const files = testFiles(["src/mechanism/curve", "test/packaging/bundle.test.ts"]);
  expect(files).toContain("src/mechanism/curve/curve.test.ts");
  expect(files.at(-1)).toBe("test/packaging/bundle.test.ts");
  expect(files.every((file) => /\.test\.ts$/.test(file))).toBe(true);
});

const outcome = (version: string, result: Outcome["result"]): Outcome => ({ version, result, passed: 1, failed: 0, seconds: 1, notes: [] });

test("the oldest passing version is the oldest from which every later one passed", () => {
  expect(oldestPassing([outcome("1.4.5", "pass"), outcome("1.3.0", "crash"), outcome("1.4.0", "pass"), outcome("1.3.14", "fail")])).toBe(
    "1.4.0",
  );
  // A pass below a failure does not count: engines would claim a range with a hole in it.
  expect(oldestPassing([outcome("1.2.0", "pass"), outcome("1.3.0", "fail"), outcome("1.4.0", "pass")])).toBe("1.4.0");
  expect(oldestPassing([outcome("1.4.0", "pass"), outcome("1.4.5", "fail")])).toBeNull();
});

test("the table has one row per version, with | in notes escaped", () => {
  const rows = table([{ ...outcome("1.4.0", "fail"), notes: ["failed: a | b"] }]).split("\n");
  expect(rows).toHaveLength(3);
  expect(rows[2]).toBe("| 1.4.0 | fail | 1 | 0 | 1 | failed: a \\| b |");
});
