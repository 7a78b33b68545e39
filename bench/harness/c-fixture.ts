// Builds a C bench fixture (bench/fixtures/*.c) against the system's libzmq (Debian's libzmq5) on
// first use, so a baseline row can be libzmq driven the way a C program drives it. The binary is
// cached under the system's temporary directory, named by a hash of its source, so a changed
// source is built again. Needs a C compiler (`cc`) and libzmq.so.5 on the linker's path; no libzmq
// header, since the fixtures declare the few functions they call. Returns why it cannot build
// instead of throwing, so a bench can print the reason and fall back.

import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";

export type CFixture = { path: string; error: null } | { path: null; error: string };

export function buildCFixture(source: URL): CFixture {
  const text = readFileSync(source);
  const name = basename(source.pathname, ".c");
  const directory = join(tmpdir(), "bunzmq-bench");
  const path = join(directory, `${name}-${Bun.hash(text).toString(16)}`);
  if (existsSync(path)) return { path, error: null };
  if (Bun.which("cc") === null) return { path: null, error: "no C compiler (cc) on PATH; apt-get install gcc" };
  mkdirSync(directory, { recursive: true });
  // Built under a name of this process's own, then renamed: two benches starting at once both build.
  const building = `${path}.${process.pid}`;
  const built = Bun.spawnSync(["cc", "-O2", "-o", building, source.pathname, "-l:libzmq.so.5"], { stderr: "pipe" });
  if (built.exitCode !== 0) {
    const why = built.stderr.toString().trim().split("\n").slice(-2).join(" ");
    return { path: null, error: `cc could not build ${name}.c against libzmq.so.5 (apt-get install libzmq5): ${why}` };
  }
  renameSync(building, path);
  return { path, error: null };
}
