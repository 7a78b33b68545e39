// The control channel of the zeromq.js fixtures (Node, plain ESM): stdin lines in, stdout lines
// out, the same protocol as the Bun fixtures next to bench/child.ts. Control traffic only; the
// measured sockets never carry any of it. Imports nothing from zeromq, so it loads without it.

import { writeSync } from "node:fs";

/** Writes one answer line at once (synchronously): the bench may be timing until it arrives. */
export function say(line) {
  writeSync(1, `${line}\n`);
}

export function die(fixture, message) {
  process.stderr.write(`${fixture}: ${message}\n`);
  process.exit(1);
}

/**
 * Calls `onLine` for each stdin line and `onEnd` once at EOF. Also calls `onEnd` when the parent
 * pid changes: a bench killed with SIGKILL cannot close our stdin in every case, and a fixture
 * must never outlive it.
 */
export function onStdinLines(onLine, onEnd) {
  let pending = "";
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    onEnd();
  };
  process.stdin.on("data", (chunk) => {
    pending += chunk.toString("latin1");
    let newline;
    while ((newline = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      onLine(line);
    }
  });
  process.stdin.on("end", end);
  process.stdin.on("close", end);
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && end(), 1000).unref();
}

/**
 * Stdin lines as a queue for fixtures that handle one request at a time: `next()` resolves with
 * the next line; at EOF `onEnd` runs instead (it should close the sockets and exit).
 */
export function lineQueue(onEnd) {
  const lines = [];
  let wake = null;
  onStdinLines(
    (line) => {
      lines.push(line);
      wake?.();
    },
    onEnd,
  );
  return {
    async next() {
      while (lines.length === 0) await new Promise((resolve) => (wake = resolve));
      wake = null;
      return lines.shift();
    },
  };
}

/** A message body of `size` bytes, the same pattern as the Bun side's (bench/pairs.ts bodyFor). */
export function body(size) {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + 7) & 0xff;
  return b;
}

/** Nearest-rank percentile of an ascending array (as bench/child.ts percentile). */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}
