// The `swap` option's faults: a full disk (a 1 MiB tmpfs mounted for one child process), a damaged
// segment file, and the directory checks. The tmpfs needs `unshare -m` and mount(2) (root); where
// they are missing the test is skipped with the reason, except under CI=true, where it fails.

import { expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Pull, Push } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { EventLog } from "../helpers/events.ts";
import { TCP_ANY, endpointOf, withTimeout } from "./support.ts";

const cleanup = useCleanup();
const FIXTURE = join(import.meta.dir, "../fixtures/swap-fixture.ts");
const VICTIM = 3000;

function scratchDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), "bunzmq-swap-faults-"));
  cleanup.add(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

/** Why a private tmpfs cannot be mounted here, or null if it can. */
function mountUnavailable(): string | null {
  if (process.getuid?.() !== 0) return "not root, so no mount(2)";
  const probe = Bun.spawnSync(["unshare", "-m", "true"]);
  return probe.exitCode === 0 ? null : `unshare -m failed: ${probe.stderr.toString().trim()}`;
}

const unavailable = mountUnavailable();
const strict = process.env.CI === "true";
if (unavailable !== null && !strict) console.log(`swap-faults: the full-disk test is skipped: ${unavailable}`);

(unavailable !== null && !strict ? test.skip : test)(
  "a full disk returns the socket to the high-water mark with nothing it accepted lost, and reports ENOSPC",
  async () => {
    expect(unavailable).toBeNull();
    const mountPoint = scratchDirectory();
    const script = `mount -t tmpfs -o size=1m tmpfs "$1" && exec bun "$2" enospc "$1"`;
    const child = Bun.spawn(["unshare", "-m", "sh", "-c", script, "sh", mountPoint, FIXTURE], {
      stdout: "pipe",
      stderr: "pipe",
      env: { ...process.env, BUNZMQ_IO_THREADS: "0" },
    });
    cleanup.add(() => child.kill());
    const exitCode = await withTimeout(child.exited, 30_000, "the full-disk fixture");
    const stderr = await new Response(child.stderr).text();
    expect({ exitCode, stderr: exitCode === 0 ? "" : stderr }).toEqual({ exitCode: 0, stderr: "" });
    const result = JSON.parse(await new Response(child.stdout).text());
    // 1 MiB of 1 KiB messages, plus the write batch that did not fit, kept in memory.
    expect(result.accepted).toBeGreaterThan(800);
    expect(result.errors).toEqual(["ENOSPC"]);
    expect(result.mismatch).toBeNull();
    expect(result.writableAgain).toBe(true);
  },
);

test("a damaged record in a segment file is reported and skipped; every other message arrives in order", async () => {
  const directory = scratchDirectory();
  const pull = cleanup.track(new Pull({ linger: 0 }));
  await pull.bind(TCP_ANY);
  const endpoint = endpointOf(pull);
  pull.unbindSync(endpoint);
  const push = cleanup.track(new Push({ linger: 0, sendHighWaterMark: 10, swap: 2 ** 30, swapDirectory: directory }));
  const events = new EventLog(push);
  push.connect(endpoint);
  const payload = ".".repeat(100);
  const count = 5000;
  for (let i = 0; i < count; i++) expect(push.trySend(String(i).padStart(6, "0") + payload)).toBe(true);
  const [segment] = readdirSync(directory)
    .filter((name) => name.endsWith(".seg"))
    .sort();
  const path = join(directory, segment!);
  const bytes = readFileSync(path);
  // Flip a byte of message 3000's payload: the first chunk of the journal is already loaded, to fill
  // the connecting pipe; this one is still only on disk.
  const at = bytes.indexOf(`${VICTIM}`.padStart(6, "0") + payload);
  expect(at).toBeGreaterThanOrEqual(0);
  bytes[at + 10] = bytes[at + 10]! ^ 0xff;
  writeFileSync(path, bytes);
  await pull.bind(endpoint);
  const got: number[] = [];
  for (let i = 0; i < count - 1; i++)
    got.push(Number((await withTimeout(pull.receive(), 5000, `message ${i}`))[0]!.toString().slice(0, 6)));
  expect(got.includes(VICTIM)).toBe(false);
  expect(got).toEqual(Array.from({ length: count }, (_, i) => i).filter((i) => i !== VICTIM));
  const error = await events.waitFor("spill:error");
  expect(error.error?.code).toBe("EBADMSG");
});

test("an unreadable swapDirectory is refused when set, with the path in the detail", () => {
  const directory = scratchDirectory();
  const push = cleanup.track(new Push({ linger: 0 }));
  const file = join(directory, "not-a-directory");
  writeFileSync(file, "");
  expect(() => (push.swapDirectory = file)).toThrow(expect.objectContaining({ code: "EINVAL", detail: expect.stringContaining(file) }));
});
