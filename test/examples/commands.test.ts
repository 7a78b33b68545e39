// Each example is one command: `bun examples/<name>/main.ts` runs it and ends by itself with exit 0
// (each process bounded by a time-out), `--help` prints the usage and runs nothing, and a bad flag is
// a usage error, which the command turns into exit 2.

import { describe, expect, test } from "bun:test";
import { join, resolve } from "node:path";
import { UsageError } from "../../examples/cli.ts";
import { main as clone } from "../../examples/clone/main.ts";
import { main as helloWorld } from "../../examples/hello-world/main.ts";
import { main as loadBalancing } from "../../examples/load-balancing/main.ts";
import { main as majordomo } from "../../examples/majordomo/main.ts";
import { main as paranoidPirate } from "../../examples/paranoid-pirate/main.ts";
import { main as pipeline } from "../../examples/pipeline/main.ts";
import { main as weather } from "../../examples/weather/main.ts";

const ROOT = resolve(import.meta.dir, "../..");

/** Each example with arguments that keep its run short. */
const EXAMPLES: ReadonlyArray<[string, string[]]> = [
  ["hello-world", ["--requests", "2"]],
  ["weather", ["--updates", "3"]],
  ["pipeline", ["--tasks", "6", "--max-work-ms", "2"]],
  ["load-balancing", ["--requests", "2"]],
  ["paranoid-pirate", ["--requests", "4", "--restart-after", "3"]],
  ["majordomo", ["--echoes", "2"]],
  ["clone", []],
];

const MAINS = [
  ["hello-world", helloWorld],
  ["weather", weather],
  ["pipeline", pipeline],
  ["load-balancing", loadBalancing],
  ["paranoid-pirate", paranoidPirate],
  ["majordomo", majordomo],
  ["clone", clone],
] as const;

async function run(name: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = Bun.spawn([process.execPath, join(ROOT, "examples", name, "main.ts"), ...args], {
    stdout: "pipe",
    stderr: "pipe",
    timeout: 20_000,
  });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
}

describe("the example commands", () => {
  test("each runs, prints what happened and ends by itself with exit 0", async () => {
    // Two at a time, one per core: more would measure the machine's load more than the examples.
    const outcomes: Array<Awaited<ReturnType<typeof run>>> = [];
    for (let i = 0; i < EXAMPLES.length; i += 2) {
      outcomes.push(...(await Promise.all(EXAMPLES.slice(i, i + 2).map(([name, args]) => run(name, args)))));
    }
    for (const [i, outcome] of outcomes.entries()) {
      expect({ example: EXAMPLES[i]![0], code: outcome.code, stderr: outcome.stderr }).toEqual({
        example: EXAMPLES[i]![0],
        code: 0,
        stderr: "",
      });
      expect(outcome.stdout.split("\n").length).toBeGreaterThan(3);
    }
  }, 30_000);

  test("--help prints the usage and runs nothing; an unknown flag is a usage error", async () => {
    for (const [name, main] of MAINS) {
      const lines: string[] = [];
      expect(await main(["--help"], (line) => lines.push(line))).toBe(0);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toStartWith(`usage: bun examples/${name}/main.ts`);
      await expect(main(["--no-such-flag"], () => {})).rejects.toBeInstanceOf(UsageError);
    }
  });

  test("as a command, --help exits 0 and a usage error exits 2 with the usage on stderr", async () => {
    const [help, wrong] = await Promise.all([run("majordomo", ["--help"]), run("majordomo", ["--echoes", "0"])]);
    expect({ code: help.code, stderr: help.stderr }).toEqual({ code: 0, stderr: "" });
    expect(help.stdout).toStartWith("usage: bun examples/majordomo/main.ts");
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toStartWith("--echoes needs a whole number of at least 1, got 0\n\nusage:");
  }, 30_000);
});
