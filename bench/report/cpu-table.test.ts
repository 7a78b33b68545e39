// The I/O-thread bench's CPU accounting (bench/harness/thread-cpu.ts) and its table (cpu-table.ts):
// CPU burnt on the application thread is counted there and not as the other threads', a child's
// threads are summed, and the table's ceilings follow from the costs.

import { describe, expect, spyOn, test } from "bun:test";
import { startCpuSplit } from "../harness/thread-cpu.ts";
import { medianSplit, printCpuTable } from "./cpu-table.ts";

const linux = process.platform === "linux";

/** Spins until this process has used `ms` of CPU (so a loaded machine cannot shrink it), or 5 s pass. */
function burn(ms: number): void {
  const start = process.cpuUsage();
  const deadline = performance.now() + 5000;
  for (;;) {
    const used = process.cpuUsage(start);
    if (used.user + used.system >= ms * 1000 || performance.now() > deadline) return;
  }
}

describe("startCpuSplit", () => {
  test.skipIf(!linux)("counts this thread's work as the application's, a busy child's as the receiver's", async () => {
    const child = Bun.spawn([process.execPath, "-e", "const end = performance.now() + 300; while (performance.now() < end);"]);
    const split = startCpuSplit(child.pid);
    expect(split).not.toBeNull();
    burn(40);
    const result = split!.stop(1000);
    child.kill();
    await child.exited;
    // At least 40 ms of this process's CPU over 1,000 messages: 40 µs each, most of it this thread's
    // (the compiler and collector threads take some while it spins).
    expect(result.app + result.others).toBeGreaterThan(35);
    expect(result.app).toBeGreaterThan(10);
    expect(result.app).toBeLessThan(1000);
    expect(result.receiver).toBeGreaterThan(0);
    expect(result.appStarved).toBeGreaterThanOrEqual(0);
    expect(result.appStarved).toBeLessThan(1);
  });
});

describe("printCpuTable", () => {
  test("takes each side's median, and prints both ceilings beside the measured rate", () => {
    const split = medianSplit([
      { app: 2, others: 9, receiver: 1, appStarved: 0.5 },
      { app: 4, others: 1, receiver: 3, appStarved: 0.1 },
      { app: 3, others: 2, receiver: 2, appStarved: 0.2 },
    ]);
    expect(split).toEqual({ app: 3, others: 2, receiver: 2, appStarved: 0.2 });
    const lines: string[] = [];
    const log = spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    try {
      printCpuTable([{ name: "busy app", rate: { 1: 150_000 }, cpu: { 1: split } }]);
    } finally {
      log.mockRestore();
    }
    const row = lines.find((line) => line.startsWith("busy app"))!;
    // app bound 1 s ÷ 3 µs = 333.3 k; two-core bound 2 s ÷ 7 µs = 285.7 k; measured 150.0 k; 20 % starved.
    expect(row).toMatch(/333\.3 k\s+285\.7 k\s+150\.0 k\s+20 %$/);
  });
});
