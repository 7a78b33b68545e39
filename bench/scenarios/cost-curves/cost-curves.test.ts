// `bun run bench:curves` at its smallest points (one message size, one connection, one
// subscription, a few hundred messages), so that a change that breaks a fixture, the raw sender or
// the tables fails here rather than in the next person's ten-minute run. Loopback only; takes a
// few seconds. The figures themselves are not checked: on a shared machine they mean nothing.

import { expect, test } from "bun:test";

const MAIN = new URL("./main.ts", import.meta.url).pathname;

test("the cost curves run end to end at their smallest points and print every table", async () => {
  const args = [
    "--quick",
    "--no-save",
    "--sizes",
    "16",
    "--connections",
    "1",
    "--subscriptions",
    "1",
    "--messages",
    "300",
    "--target-ms",
    "20",
  ];
  const child = Bun.spawn([process.execPath, MAIN, ...args], { stdin: "ignore", stdout: "pipe", stderr: "pipe", timeout: 60_000 });
  const [out, err, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  expect({ code, err: code === 0 ? "" : err }).toEqual({ code: 0, err: "" });
  for (const heading of [
    "Throughput (msgs/s",
    "ROUTER memory per connection",
    "Match time",
    "Fan-out rate",
    "load at the start:",
    "load at the end:",
  ]) {
    expect(out).toContain(heading);
  }
  expect(out).toMatch(/^16 B +[\d,.]+ +[\d,.]+ +[\d.]+× /m);
}, 70_000);

test("--help prints the options and starts nothing", async () => {
  const child = Bun.spawn([process.execPath, MAIN, "--help"], { stdout: "pipe", stderr: "pipe", timeout: 10_000 });
  const [out, code] = await Promise.all([new Response(child.stdout).text(), child.exited]);
  expect(code).toBe(0);
  expect(out).toStartWith("usage: bun run bench:curves");
  expect(out).toContain("--subscriptions LIST");
});
