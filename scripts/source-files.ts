// The source-file walk shared by the repo checks (scripts/check-layers.ts, scripts/lint-tests.ts).
// Dev-only; never imported by src/.

import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * Every file below `dir` for which `keep(path)` holds, as paths joined onto `dir`, in sorted
 * order (so reports are stable). Skips node_modules; a missing `dir` yields no files.
 */
export function listFiles(dir: string, keep: (path: string) => boolean, out: string[] = []): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names.sort()) {
    if (name === "node_modules") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) listFiles(path, keep, out);
    else if (keep(path)) out.push(path);
  }
  return out;
}
