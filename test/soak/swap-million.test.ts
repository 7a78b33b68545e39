// 1,000,000 small messages through the `swap` option in a process of its own (its RSS is the
// measure): all spilled while no peer is there, then received in order, with the process's RSS
// growing by less than the high-water mark's worth of messages plus 64 MiB. In the soak suite,
// which CI runs once: the child fixes its own I/O threads at 0, so the repeat runs would add nothing.

import { expect, test } from "bun:test";
import { join } from "node:path";
import { useCleanup } from "../helpers/cleanup.ts";
import { withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();
const FIXTURE = join(import.meta.dir, "../fixtures/swap-fixture.ts");
const COUNT = 1_000_000;
/** The fixture's high-water marks (1000) times its largest message's bytes in memory, generously. */
const HIGH_WATER_MARKS_WORTH = 2 * 1000 * 256;

test("a million spilled messages come back in order with RSS under the high-water mark's worth plus 64 MiB", async () => {
  const child = Bun.spawn(["bun", FIXTURE, "million", String(COUNT)], {
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, BUNZMQ_IO_THREADS: "0" },
  });
  cleanup.add(() => child.kill());
  const exitCode = await withTimeout(child.exited, 60_000, "the million-message fixture");
  const stderr = await new Response(child.stderr).text();
  expect({ exitCode, stderr: exitCode === 0 ? "" : stderr }).toEqual({ exitCode: 0, stderr: "" });
  const result = JSON.parse(await new Response(child.stdout).text());
  console.log(
    `swap-million: spilled ${COUNT} messages (${(result.spilledBytes / 2 ** 20).toFixed(1)} MiB on disk) in ${Math.round(result.spillMs)} ms, ` +
      `received in ${Math.round(result.receiveMs)} ms, RSS +${((result.peak - result.baseline) / 2 ** 20).toFixed(1)} MiB`,
  );
  expect(result.mismatch).toBeNull();
  expect(result.spilledBytes).toBeGreaterThan(COUNT * 16);
  expect(result.left).toBe(0);
  expect(result.peak - result.baseline).toBeLessThan(HIGH_WATER_MARKS_WORTH + 64 * 2 ** 20);
}, 90_000);
