// Durable queues: a Push or Dealer with an explicit `swapDirectory` journals every message it
// accepts, deletes a record once its bytes are the kernel's, and a new socket on the directory
// delivers what a killed one left, first (at least once). One live socket per directory.

import { expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readLines } from "../../common/read-lines.ts";
import { Dealer, Pull, Push } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY, endpointOf, syncError, waitFor, withTimeout } from "./support.ts";

const cleanup = useCleanup();
const FIXTURE = join(import.meta.dir, "../fixtures/swap-fixture.ts");
const GiB = 2 ** 30;

function scratchDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), "bunzmq-swap-durable-"));
  cleanup.add(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

const segments = (directory: string): string[] => readdirSync(directory).filter((name) => name.endsWith(".seg"));

test("two sockets on one directory: the second is refused with EBUSY until the first closes", () => {
  const directory = scratchDirectory();
  const first = new Push({ linger: 0, swap: GiB, swapDirectory: directory });
  try {
    const second = cleanup.track(new Dealer({ linger: 0 }));
    const error = syncError(() => (second.swapDirectory = directory), "EBUSY");
    expect(error.detail).toContain(directory);
    first.close();
    second.swapDirectory = directory;
    expect(second.swapDirectory).toBe(directory);
  } finally {
    first.close();
  }
});

test("swapSync takes only its three words, and a Pull has no swap options", () => {
  const dealer = cleanup.track(new Dealer({ linger: 0 }));
  expect(dealer.swapSync).toBe("batch");
  dealer.swapSync = "message";
  syncError(() => (dealer.swapSync = "always" as never), "EINVAL");
  expect(dealer.swapSync).toBe("message");
  const pull = cleanup.track(new Pull({ linger: 0 }));
  expect("swapDirectory" in pull).toBe(false);
});

test("a durable Push delivers every message in order and deletes its journal's records as the kernel takes the bytes", async () => {
  const directory = scratchDirectory();
  const pull = cleanup.track(new Pull({ linger: 0 }));
  await pull.bind(TCP_ANY);
  const push = cleanup.track(new Push({ linger: 0, sendHighWaterMark: 10, swap: GiB, swapDirectory: directory }));
  push.connect(endpointOf(pull));
  const count = 20_000;
  for (let i = 0; i < count; i++) if (!push.trySend(String(i))) await push.send(String(i));
  for (let i = 0; i < count; i++) expect((await withTimeout(pull.receive(), 5000, `message ${i}`))[0]!.toString()).toBe(String(i));
  await waitFor(() => push.spilledBytes === 0, { what: "the journal's records to be deleted" });
  expect(segments(directory).length).toBeLessThanOrEqual(1);
});

test("after SIGKILL, a new socket on the directory delivers every accepted message first (at least once)", async () => {
  const directory = scratchDirectory();
  const pull = cleanup.track(new Pull({ linger: 0, receiveHighWaterMark: 10 }));
  await pull.bind(TCP_ANY);
  const endpoint = endpointOf(pull);
  const child = Bun.spawn(["bun", FIXTURE, "durable", directory, endpoint], {
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, BUNZMQ_IO_THREADS: "0" },
  });
  cleanup.add(() => child.kill("SIGKILL"));
  // The Pull reads nothing meanwhile, so most of what the child accepts waits in its journal.
  let accepted = -1;
  const target = 40_000;
  await withTimeout(
    (async () => {
      for await (const line of readLines(child.stdout)) {
        if (line.startsWith("ACCEPTED ")) accepted = Number(line.slice(9));
        if (accepted >= target) return;
      }
    })(),
    30_000,
    `the child to accept ${target} messages`,
  );
  child.kill("SIGKILL");
  await child.exited;
  expect(segments(directory).length).toBeGreaterThan(0);
  const push = cleanup.track(new Push({ linger: 0, swap: GiB, swapDirectory: directory }));
  push.connect(endpoint);
  const seen = new Set<number>();
  await withTimeout(
    (async () => {
      for (let next = 0; next <= accepted; ) {
        const [frame] = await pull.receive();
        seen.add(Number.parseInt(frame!.toString(), 10));
        while (seen.has(next)) next++;
      }
    })(),
    30_000,
    `every message up to ${accepted}`,
  ).catch((error: Error) => {
    const missing = Array.from({ length: accepted + 1 }, (_, i) => i).filter((i) => !seen.has(i));
    throw new Error(`${error.message}: ${missing.length} missing, first ${missing.slice(0, 5).join(", ")}`);
  });
}, 60_000);
