// A role of examples/gateway/cluster.ts (`--role gateway` or `--role server`) in a process of its
// own, for the gateway tests that run the cluster as a deployment does: started, awaited until it
// prints READY (within 15 s), its STATS lines kept as they come, and killed by the test's cleanup.

import type { Subprocess } from "bun";
import { readLines } from "../../common/read-lines.ts";
import type { Cleanup } from "../helpers/cleanup.ts";
import { withTimeout } from "../helpers/wait.ts";

const CLUSTER = new URL("../../examples/gateway/cluster.ts", import.meta.url).pathname;

export interface ClusterRole {
  process: Subprocess<"ignore", "pipe", "inherit">;
  /** What the READY line reported (the gateway's `ws` and `results` endpoints, …). */
  ready: Record<string, string>;
  /** The latest STATS record, or null before the first. */
  stats: Record<string, unknown> | null;
}

export async function spawnClusterRole(cleanup: Cleanup, args: string[]): Promise<ClusterRole> {
  const process = Bun.spawn(["bun", CLUSTER, ...args], { stdin: "ignore", stdout: "pipe", stderr: "inherit" });
  cleanup.add(async () => {
    process.kill("SIGKILL");
    await process.exited;
  });
  const lines = readLines(process.stdout);
  const first = await withTimeout(lines.next(), 15_000, `READY from ${args.join(" ")}`);
  const line = first.value as string | undefined;
  if (line === undefined || !line.startsWith("READY ")) throw new Error(`expected READY from ${args.join(" ")}, got ${String(line)}`);
  const role: ClusterRole = { process, ready: JSON.parse(line.slice(6)), stats: null };
  void (async () => {
    for await (const next of lines) if (next.startsWith("STATS ")) role.stats = JSON.parse(next.slice(6));
  })();
  return role;
}
