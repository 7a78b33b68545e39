// `bun run soak -- --minutes N [--out plot.svg]`: mixed ZeroMQ traffic for N minutes with peers
// killed and restarted and sockets churned, while this process samples its own RSS and open
// descriptors. Exits 0 when nothing grew past its limit and no message went missing, 1 when
// something did (the reasons are printed), 2 on bad arguments (common/command-line.ts), 130 when
// stopped by Ctrl-C (common/interrupt.ts; the summary then covers what ran). What it does and why:
// docs/soak.md. Imports common/ and the soak's run.

import { join } from "node:path";
import { parseCommandLine } from "../common/command-line.ts";
import { INTERRUPTED_EXIT, watchInterrupt } from "../common/interrupt.ts";
import { runSoak } from "./soak/run.ts";

const USAGE = `usage: bun run soak -- [--minutes N] [--out FILE.svg]

Mixed traffic (PUSH/PULL, DEALER/ROUTER, DEALER/REP, REQ/REP, PUB/SUB with changing subscriptions)
over tcp, ipc and inproc, with and without CURVE, from peer processes that are killed (SIGKILL) and
restarted, and from sockets opened and closed all run long. This process holds the long-lived
sockets and samples its RSS and open descriptors every few seconds, after a full GC.

Fails (exit 1) when, between the 25 % and the 100 % marks, RSS grows by more than 10 MB or
descriptors by more than 2, or when a message is lost, repeated or reordered where ZeroMQ promises
delivery, or when a pattern's traffic stops. Ctrl-C stops early and prints what ran (exit 130).

  --minutes N   how long to run (fractions allowed, e.g. 0.5); default 1
  --out FILE    where to write the SVG plot of RSS and descriptors over time;
                default bench/results/soak-<date>.svg
  --help        print this and exit
`;

const command = parseCommandLine({ usage: USAGE, options: { minutes: { type: "string" }, out: { type: "string" } } });
// The quarter marks need samples a few seconds apart: below 12 s there is nothing to compare.
const minutes = command.convert("minutes", (text) => {
  const value = Number(text ?? "1");
  if (!(Number.isFinite(value) && value >= 0.2)) throw new Error(`needs a number of at least 0.2, not "${text}"`);
  return value;
});
const stamp = new Date().toISOString().slice(0, 19).replace(/[T:]/g, "-");
const out = command.text("out", join(import.meta.dir, "../bench/results", `soak-${stamp}.svg`));

const interrupt = watchInterrupt("soak: stopping; the summary covers what ran");
const stop = new AbortController();
interrupt.onInterrupt(() => stop.abort());

const { status, lines } = await runSoak({
  seconds: minutes * 60,
  out,
  log: (line) => process.stdout.write(`${line}\n`),
  signal: stop.signal,
});
process.stdout.write(`${lines.join("\n")}\n`);
// Peer processes are gone and every socket is closed; exit now rather than wait for lingering timers.
process.exit(interrupt.requested ? INTERRUPTED_EXIT : status);
