// examples/gateway/README.md lists every flag `cluster.ts --help` prints, so the two cannot drift.

import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { withTimeout } from "../helpers/wait.ts";

const README = new URL("../../examples/gateway/README.md", import.meta.url).pathname;
const CLUSTER = new URL("../../examples/gateway/cluster.ts", import.meta.url).pathname;

test("the gateway demo's README names every flag its --help prints", async () => {
  const child = Bun.spawn(["bun", CLUSTER, "--help"], { stdin: "ignore", stdout: "pipe", stderr: "inherit", timeout: 15_000 });
  const help = await withTimeout(new Response(child.stdout).text(), 15_000, "cluster.ts --help");
  expect(await child.exited).toBe(0);
  const flags = new Set(help.match(/--[a-z][a-z-]+/g) ?? []);
  expect(flags.size).toBeGreaterThan(20);
  const readme = readFileSync(README, "utf8");
  expect([...flags].filter((flag) => !readme.includes(`\`${flag}`))).toEqual([]);
});
