// udp:// multicast between bunzmq and libzmq 4.3.5 (draft API): two bunzmq Dishes and one libzmq
// DISH bound to one group and port on one host all receive what a bunzmq Radio and a libzmq RADIO
// send to the group. The sockets run in a child in a network namespace of the test's own
// (`unshare -n`, lo up with multicast on), so no other traffic and no real interface is involved.
// Needs root's `unshare -n`, `ip` and the DRAFT build: skipped with the reason where one is missing,
// failing instead under CI=true, which provides them.

import { expect, test } from "bun:test";
import { useCleanup } from "../helpers/cleanup.ts";
import { DRAFT_LIBZMQ } from "../helpers/libzmq-draft.ts";
import { withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();
const FIXTURE = new URL("./udp-multicast-fixture.ts", import.meta.url).pathname;
const SETUP = "ip link set lo up && ip link set lo multicast on";

/** Why the namespace or the peer is unavailable here, or null. */
function unavailableReason(): string | null {
  if (DRAFT_LIBZMQ === null) return "the DRAFT libzmq build is not beside the repository (shared/peers/libzmq-4.3.5-draft)";
  if (process.platform !== "linux") return `network namespaces are Linux-only (this is ${process.platform})`;
  const probe = Bun.spawnSync(["unshare", "-n", "sh", "-c", SETUP]);
  return probe.exitCode === 0 ? null : `unshare -n with ip link failed: ${probe.stderr.toString().trim() || `exit ${probe.exitCode}`}`;
}

const unavailable = unavailableReason();
const strict = process.env.CI === "true";
if (unavailable !== null && !strict) console.log(`udp-multicast: skipped: ${unavailable}`);

(unavailable !== null && !strict ? test.skip : test)(
  "two bunzmq Dishes and a libzmq DISH on one group and port all hear a bunzmq Radio and a libzmq RADIO",
  async () => {
    expect(unavailable).toBeNull();
    const child = Bun.spawn(["unshare", "-n", "sh", "-c", `${SETUP} && exec "$0" "$1" "$2"`, process.execPath, FIXTURE, DRAFT_LIBZMQ!], {
      stdout: "pipe",
      stderr: "pipe",
      env: { ...process.env, BUNZMQ_IO_THREADS: "0" },
    });
    cleanup.add(() => child.kill());
    const exitCode = await withTimeout(child.exited, 20_000, "the multicast fixture");
    const [stdout, stderr] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text()]);
    expect({ exitCode, stderr: exitCode === 0 ? "" : stderr }).toEqual({ exitCode: 0, stderr: "" });
    const result = JSON.parse(stdout.trim().split("\n").at(-1)!);
    const both = ["bunzmq", "libzmq"];
    expect(result).toEqual({
      endpoint: expect.stringContaining(";239.192.77."),
      heard: { "bunzmq dish 1": both, "bunzmq dish 2": both, "libzmq dish": both },
    });
  },
  30_000,
);
