// `bun run soak -- --minutes N [--out plot.svg]`: mixed ZeroMQ traffic for N minutes with peers
// killed and restarted and sockets churned, while this process samples its own RSS and open
// descriptors. Exits 0 when nothing grew past its limit and no message went missing, 1 when
// something did (the reasons are printed), 2 on bad arguments, 130 when stopped by Ctrl-C (the
// summary then covers what ran). What it does and why: docs/soak.md. Imports the soak's run.

import { join } from "node:path";
import { parseArgs } from "node:util";
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

function fail(message: string): never {
  process.stderr.write(`soak: ${message}\n\n${USAGE}`);
  process.exit(2);
}

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: { minutes: { type: "string", default: "1" }, out: { type: "string" }, help: { type: "boolean", default: false } },
    strict: true,
    allowPositionals: false,
  });
}
try {
  parsed = parse();
} catch (error) {
  fail((error as Error).message);
}
if (parsed.values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const minutes = Number(parsed.values.minutes);
// The quarter marks need samples a few seconds apart: below 12 s there is nothing to compare.
if (!Number.isFinite(minutes) || minutes < 0.2) fail(`--minutes must be a number of at least 0.2, not "${parsed.values.minutes}"`);
const stamp = new Date().toISOString().slice(0, 19).replace(/[T:]/g, "-");
const out = parsed.values.out ?? join(import.meta.dir, "../bench/results", `soak-${stamp}.svg`);

const stop = new AbortController();
let interruptedAt = 0;
process.on("SIGINT", () => {
  // `bun run` forwards the terminal's SIGINT, which the whole process group also receives: a
  // second one within a second is the same Ctrl-C. A later one means: quit now, no summary.
  if (stop.signal.aborted) {
    if (performance.now() - interruptedAt > 1000) process.exit(130);
    return;
  }
  interruptedAt = performance.now();
  process.stderr.write("\nsoak: stopping (Ctrl-C again to quit at once)\n");
  stop.abort();
});

const { status, lines } = await runSoak({
  seconds: minutes * 60,
  out,
  log: (line) => process.stdout.write(`${line}\n`),
  signal: stop.signal,
});
process.stdout.write(`${lines.join("\n")}\n`);
// Peer processes are gone and every socket is closed; exit now rather than wait for lingering timers.
process.exit(status);
