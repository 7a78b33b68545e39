// zeromq.js (the npm package `zeromq` v6) as a third implementation in the benches: it is a Node
// addon that cannot load under Bun, so its rows run in Node child processes (bench/fixtures/zeromqjs/*.mjs).
// This module finds Node, installs bench/fixtures/zeromqjs/ (its own private package, never a dependency of
// bunzmq) on first use, and checks that `require("zeromq")` works. If anything is missing, the
// bench prints one line saying why and runs without those rows.

import { existsSync } from "node:fs";
import { join } from "node:path";

export const ZEROMQJS_DIR = join(import.meta.dir, "../fixtures/zeromqjs");
/** `npm ci` downloads ~2 MB (prebuilt binaries included); give up rather than hang the bench. */
const INSTALL_TIMEOUT_MS = 180_000;
/** Loading the addon takes well under a second; anything longer is a broken install. */
const CHECK_TIMEOUT_MS = 20_000;

/** Node's version, the zeromq package's, and the libzmq it bundles (`zeromq.version`). */
export interface ZeromqjsVersions {
  node: string;
  zeromq: string;
  libzmq: string;
}

/** What a run records: the versions used, or why the zeromq.js rows were skipped. */
export type ZeromqjsStatus = ZeromqjsVersions | { skipped: string };

/** A usable zeromq.js: the Node binary its fixtures run under, and the versions. */
export interface Zeromqjs {
  node: string;
  versions: ZeromqjsVersions;
}

// Prints the versions as JSON, or fails if the addon does not load. Run with cwd = ZEROMQJS_DIR so
// that `require` resolves bench/fixtures/zeromqjs/node_modules.
const CHECK_SCRIPT = `
const zmq = require("zeromq");
const pkg = JSON.parse(require("node:fs").readFileSync("node_modules/zeromq/package.json", "utf8"));
console.log(JSON.stringify({ node: process.version, zeromq: pkg.version, libzmq: zmq.version }));
`;

/** Runs `cmd` in ZEROMQJS_DIR, killed after `timeoutMs`; its output is kept for the error message. */
async function run(cmd: string[], timeoutMs: number): Promise<{ ok: boolean; output: string }> {
  const proc = Bun.spawn(cmd, { cwd: ZEROMQJS_DIR, stdin: "ignore", stdout: "pipe", stderr: "pipe", timeout: timeoutMs });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (proc.signalCode) return { ok: false, output: `${cmd.slice(0, 2).join(" ")} killed (${proc.signalCode}) after ${timeoutMs / 1000} s` };
  return { ok: code === 0, output: code === 0 ? stdout : `${cmd.slice(0, 2).join(" ")} exited ${code}: ${lastLine(stderr || stdout)}` };
}

const lastLine = (text: string) =>
  text
    .trim()
    .split("\n")
    .filter((l) => l.trim() !== "")
    .pop() ?? "(no output)";

async function versionsOf(node: string): Promise<ZeromqjsVersions | string> {
  const check = await run([node, "-e", CHECK_SCRIPT], CHECK_TIMEOUT_MS);
  if (!check.ok) return `require("zeromq") failed under Node: ${check.output}`;
  try {
    return JSON.parse(lastLine(check.output)) as ZeromqjsVersions;
  } catch {
    return `unexpected version check output "${lastLine(check.output)}"`;
  }
}

/** `npm ci` from the committed lock file, so every machine benches the same zeromq.js. */
async function install(): Promise<string | null> {
  const npm = Bun.which("npm");
  if (!npm) return "npm not found on PATH (needed to install bench/fixtures/zeromqjs/)";
  process.stderr.write("zeromq.js: installing bench/fixtures/zeromqjs/ (npm ci) ...\n");
  const result = await run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], INSTALL_TIMEOUT_MS);
  return result.ok ? null : `npm ci in bench/fixtures/zeromqjs/ failed: ${result.output}`;
}

/** Why zeromq.js cannot run here, or what to run it with. */
async function locate(): Promise<Zeromqjs | string> {
  const node = Bun.which("node");
  if (!node) return "Node not found on PATH";
  let installed = false;
  if (!existsSync(join(ZEROMQJS_DIR, "node_modules", "zeromq", "package.json"))) {
    const failure = await install();
    if (failure) return failure;
    installed = true;
  }
  let versions = await versionsOf(node);
  // A stale or half-written node_modules (an interrupted install) gets one clean reinstall.
  if (typeof versions === "string" && !installed) {
    const failure = await install();
    if (failure) return `${versions}; reinstalling: ${failure}`;
    versions = await versionsOf(node);
  }
  return typeof versions === "string" ? versions : { node, versions };
}

/**
 * Makes zeromq.js ready unless `--no-zeromqjs` is in `argv`. Returns null (after printing the one
 * line that says why) when its rows must be skipped; `status` is what the run's record keeps.
 */
export async function prepareZeromqjs(argv: string[]): Promise<{ zeromqjs: Zeromqjs | null; status: ZeromqjsStatus }> {
  const found = argv.includes("--no-zeromqjs") ? "--no-zeromqjs" : await locate();
  if (typeof found === "string") {
    console.log(`zeromq.js rows skipped: ${found}`);
    return { zeromqjs: null, status: { skipped: found } };
  }
  return { zeromqjs: found, status: found.versions };
}

/** The versions as the benches' header lines print them. */
export function zeromqjsLabel(versions: ZeromqjsVersions): string {
  return `zeromq.js ${versions.zeromq} (libzmq ${versions.libzmq}) on Node ${versions.node.replace(/^v/, "")}`;
}
