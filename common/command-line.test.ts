// The command-line reader every script uses: values, lists and numbers read through parseArgs, and a
// bad value refused with the usage and exit code 2 (test/commands/help.test.ts runs every script's
// `--help` and an unknown option).

import { expect, test } from "bun:test";
import { parseCommandLine } from "./command-line.ts";

const USAGE = "usage: try [options]\n  --sizes LIST\n  --count N\n  --quick";
const OPTIONS = { sizes: { type: "string" }, count: { type: "string" }, quick: { type: "boolean" }, name: { type: "string" } } as const;

test("flags, texts, numbers and lists come back as given, or as the fallback when absent", () => {
  const cli = parseCommandLine({ usage: USAGE, options: OPTIONS, argv: ["--sizes", "16,256", "--quick", "--count=7"] });
  expect(cli.flag("quick")).toBe(true);
  expect(cli.numbers("sizes", "1")).toEqual([16, 256]);
  expect(cli.number("count", 3)).toBe(7);
  expect(cli.text("name")).toBeUndefined();
  expect(cli.text("name", "x")).toBe("x");
  expect(cli.argv).toEqual(["--sizes", "16,256", "--quick", "--count=7"]);
  const bare = parseCommandLine({ usage: USAGE, options: OPTIONS, argv: [] });
  expect(bare.flag("quick")).toBe(false);
  expect(bare.number("count")).toBeUndefined();
  expect(bare.numbers("sizes", "64,4096")).toEqual([64, 4096]);
});

test("positionals are refused unless the command takes them", () => {
  const cli = parseCommandLine({ usage: USAGE, options: {}, positionals: true, argv: ["a.json", "b.json"] });
  expect(cli.positionals).toEqual(["a.json", "b.json"]);
});

test("a bad number, a stray word and a failing conversion exit 2 with the problem and the usage on stderr", async () => {
  const module = new URL("./command-line.ts", import.meta.url).pathname;
  const cases: Array<[string, string]> = [
    [
      `parseCommandLine({ usage: "usage: t", options: { count: { type: "string" } }, argv: ["--count", "ten"] }).number("count")`,
      'needs a number >= 0, not "ten"',
    ],
    [`parseCommandLine({ usage: "usage: t", options: {}, argv: ["stray"] })`, "stray"],
    [
      `parseCommandLine({ usage: "usage: t", options: { x: { type: "string" } }, argv: [] }).convert("x", () => { throw new Error("no x") })`,
      "--x: no x",
    ],
  ];
  for (const [call, problem] of cases) {
    const child = Bun.spawn(
      [process.execPath, "-e", `import { parseCommandLine } from ${JSON.stringify(module)}; ${call}; console.log("went on")`],
      {
        stdout: "pipe",
        stderr: "pipe",
        timeout: 10_000,
      },
    );
    const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(problem);
    expect(stderr).toContain("usage: t");
  }
}, 30_000);
