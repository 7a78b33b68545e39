// 1,000,000 small messages through the `swap` option of a PUSH in a process of its own (its RSS
// is the measure): all spilled while no peer is there, then received in order by this process's
// PULL, with the PUSH's process growing by less than the high-water mark's worth of messages plus
// 64 MiB. In the soak suite, which CI runs once: the child fixes its own I/O threads at 0, so the
// repeat runs would add nothing.

import { expect, test } from "bun:test";
import { join } from "node:path";
import { readLines } from "../../common/read-lines.ts";
import { Pull } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();
const FIXTURE = join(import.meta.dir, "../fixtures/swap-fixture.ts");
const COUNT = 1_000_000;
/** The fixture's high-water marks (1000) times its largest message's bytes in memory, generously. */
const HIGH_WATER_MARKS_WORTH = 2 * 1000 * 256;

test("a million spilled messages come back in order with RSS under the high-water mark's worth plus 64 MiB", async () => {
  const pull = cleanup.track(new Pull({ linger: 0, receiveHighWaterMark: 1000 }));
  await pull.bind(TCP_ANY);
  const endpoint = pull.lastEndpoint!;
  pull.unbindSync(endpoint);
  const child = Bun.spawn(["bun", FIXTURE, "million", String(COUNT), endpoint], {
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, BUNZMQ_IO_THREADS: "0" },
  });
  cleanup.add(() => child.kill());
  const lines = readLines(child.stdout);
  const spilled = await withTimeout(lines.next(), 60_000, "the fixture's SPILLED line");
  expect(String(spilled.value)).toStartWith("SPILLED ");
  const started = performance.now();
  await pull.bind(endpoint);
  await withTimeout(
    (async () => {
      for (let i = 0; i < COUNT; i++) {
        const [frame] = await pull.receive();
        if (frame!.toString() !== String(i)) expect(frame!.toString()).toBe(String(i));
      }
    })(),
    60_000,
    `${COUNT} messages in order`,
  );
  const receiveMs = performance.now() - started;
  child.stdin.write("received\n");
  await child.stdin.end();
  const report = await withTimeout(lines.next(), 10_000, "the fixture's report");
  const exitCode = await withTimeout(child.exited, 10_000, "the fixture's exit");
  const stderr = await new Response(child.stderr).text();
  expect({ exitCode, stderr: exitCode === 0 ? "" : stderr }).toEqual({ exitCode: 0, stderr: "" });
  const result = JSON.parse(String(report.value));
  console.log(
    `swap-million: spilled ${COUNT} messages (${(result.spilledBytes / 2 ** 20).toFixed(1)} MiB on disk) in ${Math.round(result.spillMs)} ms, ` +
      `received in ${Math.round(receiveMs)} ms, the PUSH's RSS +${((result.peak - result.baseline) / 2 ** 20).toFixed(1)} MiB ` +
      `(+${((result.spillPeak - result.baseline) / 2 ** 20).toFixed(1)} MiB while spilling)`,
  );
  expect(result.spilledBytes).toBeGreaterThan(COUNT * 16);
  expect(result.left).toBe(0);
  expect(result.peak - result.baseline).toBeLessThan(HIGH_WATER_MARKS_WORTH + 64 * 2 ** 20);
}, 120_000);
