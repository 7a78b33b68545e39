// Reliable state sharing with the Clone pattern (RFC 12/CHP): a server holds a key-value map, clients
// get a snapshot and then every update, and any client may update the map. The run:
//   1. alice joins, following the whole map, and sets a few keys under /config/ and /stats/;
//   2. bob joins late, following only /config/: his snapshot brings what alice set there;
//   3. alice changes, deletes and adds keys; bob receives exactly the /config/ updates;
//   4. both copies are compared with the server's map.
// Joining late loses nothing, which is what plain PUB/SUB cannot promise: the snapshot covers the
// past, the subscription (made first) the future, and sequence numbers the overlap (client.ts).
//
//   bun examples/clone/main.ts [--keys 3] [--hugz-ms 100]

import { type Print, parseFlags, runAsCommand, wholeNumber } from "../cli.ts";
import { CloneClient } from "./client.ts";
import { CloneServer } from "./server.ts";

export const USAGE = `usage: bun examples/clone/main.ts [options]

A clone server and two clients; the second joins late and follows one subtree.

  --keys N      keys alice sets under /config/ before bob joins (default 3)
  --hugz-ms N   the server's heartbeat (HUGZ) interval when idle (default 100)
  -h, --help    print this and exit`;

export interface CloneOptions {
  keys: number;
  hugzMs: number;
}

export interface CloneSummary {
  /** Each map as key=value lines, sorted. */
  server: string[];
  alice: string[];
  bob: string[];
  /** What bob got from his snapshot, and as updates afterwards. */
  bobSnapshotKeys: number;
  bobUpdates: number;
}

const lines = (map: Map<string, string>, subtree = ""): string[] =>
  [...map]
    .filter(([key]) => key.startsWith(subtree))
    .map(([key, value]) => `${key}=${value}`)
    .sort();

export async function clone({ keys, hugzMs }: CloneOptions, print: Print): Promise<CloneSummary> {
  const server = new CloneServer(hugzMs, print);
  const endpoints = await server.start();
  const alice = new CloneClient("alice", "", hugzMs, print);
  const bob = new CloneClient("bob", "/config/", hugzMs, print);
  try {
    await alice.connect(endpoints);
    for (let i = 1; i <= keys; i++) await alice.set(`/config/key-${i}`, `value ${i}`);
    await alice.set("/stats/visits", "1");
    await bob.connect(endpoints);
    await alice.set("/config/key-1", "changed");
    if (keys >= 2) await alice.set("/config/key-2", ""); // an empty value deletes the key
    await alice.set("/stats/visits", "2"); // outside bob's subtree: he never sees it
    const last = await alice.set("/config/added", "late");
    await bob.reach(last);
    await alice.reach(last);
    const summary = {
      server: lines(new Map([...server.map].map(([key, entry]) => [key, new TextDecoder().decode(entry.value)]))),
      alice: lines(alice.map),
      bob: lines(bob.map),
      bobSnapshotKeys: bob.snapshotKeys,
      bobUpdates: bob.updatesApplied,
    };
    print(`server: ${summary.server.join(", ")}`);
    print(`alice:  ${summary.alice.join(", ")}`);
    print(`bob:    ${summary.bob.join(", ")} (${bob.snapshotKeys} from the snapshot, then ${bob.updatesApplied} updates)`);
    return summary;
  } finally {
    await Promise.all([alice.close(), bob.close()]);
    await server.close();
  }
}

export async function main(argv: string[], print: Print): Promise<number> {
  const flags = parseFlags(argv, USAGE, { keys: { type: "string", default: "3" }, "hugz-ms": { type: "string", default: "100" } }, print);
  if (flags === null) return 0;
  const summary = await clone({ keys: wholeNumber("keys", flags.keys), hugzMs: wholeNumber("hugz-ms", flags["hugz-ms"], 10) }, print);
  const bobMatches = summary.bob.join() === summary.server.filter((line) => line.startsWith("/config/")).join();
  const aliceMatches = summary.alice.join() === summary.server.join();
  print(bobMatches && aliceMatches ? "main: both copies match the server's map" : "main: a copy differs from the server's map");
  return bobMatches && aliceMatches ? 0 : 1;
}

if (import.meta.main) await runAsCommand(main, USAGE);
