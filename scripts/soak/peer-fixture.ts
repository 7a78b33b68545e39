// A soak peer in a process of its own, so the soak can kill it with SIGKILL mid-traffic:
//
//   bun scripts/soak/peer-fixture.ts '<PeerConfig as JSON>'
//
// Prints `READY {"rep": endpoint}` once its sockets are open, then `STATS <PeerStats JSON>` every
// second. Exits when its stdin closes (the soak ended, or died). Ctrl-C in a terminal reaches the
// whole process group: the peer ignores it and lets the soak stop it, so the summary stays true.
// Imports the soak's peer modules.

import { type PeerConfig, READY, STATS } from "./peer-config.ts";
import { PeerTraffic } from "./peer-traffic.ts";

const REPORT_MS = 1000;

const config = JSON.parse(process.argv[2] ?? "null") as PeerConfig | null;
if (config === null) {
  console.error("usage: peer-fixture.ts '<PeerConfig JSON>'");
  process.exit(2);
}

process.on("SIGINT", () => {});
const traffic = new PeerTraffic(config);
const rep = await traffic.start();
process.stdout.write(`${READY}${JSON.stringify({ rep })}\n`);
const reporter = setInterval(() => process.stdout.write(`${STATS}${JSON.stringify(traffic.stats())}\n`), REPORT_MS);

process.stdin.on("close", async () => {
  clearInterval(reporter);
  await traffic.close();
  process.exit(0);
});
process.stdin.resume();
