// One live socket per durable swap directory: a lock file holding the owner's pid, taken when
// `swapDirectory` is set and removed on close. A lock whose process is gone (a SIGKILL) is taken
// over: that is how a restarted program recovers its journal. Imports core; node:fs for the file.

import { readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ZmqError } from "../core/errors.ts";

const LOCK_FILE = "bunzmq-swap.lock";

/** Directories this process holds: a second socket here is refused like one in another process. */
const held = new Set<string>();

/** Takes `directory` for this process's socket; throws EBUSY if a live socket holds it. Returns the release. */
export function lockSwapDirectory(directory: string): () => void {
  const path = join(directory, LOCK_FILE);
  const owner = held.has(directory) ? process.pid : livingOwner(path);
  if (owner !== null) {
    const who = owner === process.pid ? "another socket of this process" : `process ${owner}`;
    throw new ZmqError(
      "EBUSY",
      `swapDirectory ${directory} is in use by ${who} (${path}); close that socket or use another directory`,
      undefined,
      {
        message: "Device or resource busy",
      },
    );
  }
  writeFileSync(path, `${process.pid}\n`);
  held.add(directory);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    held.delete(directory);
    try {
      if (livingOwner(path) === process.pid) unlinkSync(path);
    } catch {
      // Already gone: nothing to release.
    }
  };
}

/** The pid in the lock file if that process still runs, else null (no file, or a stale one). */
function livingOwner(path: string): number | null {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(path, "utf8"), 10);
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  if (pid === process.pid) return held.size > 0 ? pid : null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as { code?: string }).code === "EPERM" ? pid : null;
  }
}
