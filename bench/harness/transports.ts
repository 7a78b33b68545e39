// The transports the push-pull and REQ/REP latency benches compare on: the --transports option,
// where a child process binds for each, fresh inproc names, and the address each table names.
// tcp, ipc and ws run between processes; inproc cannot, so its rows run inside one process. ws is
// asked for by name (not in the default set): its libzmq rows need the 4.3.5 DRAFT build, the only
// libzmq with WebSockets, which libzmqLibraryFor() picks by the endpoint.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DRAFT_LIBZMQ_ENV, draftLibzmqPath } from "../../peers/libzmq/index.ts";

export type Transport = "tcp" | "ipc" | "inproc" | "ws";

/** The default set; `--transports` also takes ws. */
export const TRANSPORTS: readonly Transport[] = ["tcp", "ipc", "inproc"];
const ACCEPTED: readonly Transport[] = [...TRANSPORTS, "ws"];

/** Parses `--transports tcp,ipc` (order kept, duplicates dropped); throws on an unknown name. */
export function parseTransports(text: string | undefined): Transport[] {
  if (text === undefined) return [...TRANSPORTS];
  const chosen = [
    ...new Set(
      text
        .split(",")
        .map((t) => t.trim())
        .filter((t) => t !== ""),
    ),
  ];
  for (const t of chosen) {
    if (!ACCEPTED.includes(t as Transport)) throw new Error(`unknown transport "${t}" in --transports (expected ${ACCEPTED.join(",")})`);
  }
  if (chosen.length === 0) throw new Error("--transports names no transport");
  return chosen as Transport[];
}

let ipcDirectory: string | null = null;
let ipcCount = 0;

/**
 * Where a child process binds for `transport`: any port on loopback, or a fresh socket file in a
 * directory of this process. Not `ipc://*`: libzmq 4.3 then creates its directory under the
 * working directory when $TMPDIR is unset, and a child stopped by a signal (a libzmq REP blocked
 * in zmq_msg_recv) leaves it behind; this directory goes with removeIpcDirectory() in any case.
 */
export function bindEndpoint(transport: "tcp" | "ipc" | "ws"): string {
  if (transport === "tcp") return "tcp://127.0.0.1:*";
  if (transport === "ws") return "ws://127.0.0.1:*/bench";
  ipcDirectory ??= mkdtempSync(join(tmpdir(), "bunzmq-bench-"));
  return `ipc://${join(ipcDirectory, `${++ipcCount}.sock`)}`;
}

/** Removes the ipc socket directory, once every child that bound in it is gone. */
export function removeIpcDirectory(): void {
  if (ipcDirectory !== null) rmSync(ipcDirectory, { recursive: true, force: true });
  ipcDirectory = null;
}

/** A fresh inproc endpoint name; names are scoped to a context, so one per pair keeps pairs apart. */
let inprocCount = 0;
export function inprocEndpoint(purpose: string): string {
  return `inproc://bench-${purpose}-${++inprocCount}`;
}

/** The transport's address as the table headings name it; each bench adds its own process layout. */
export function transportLabel(transport: Transport): string {
  if (transport === "tcp") return "tcp://127.0.0.1";
  if (transport === "ws") return "ws://127.0.0.1 (ZWS 2.0; libzmq rows: the 4.3.5 DRAFT build)";
  return transport === "ipc" ? "ipc:// (a Unix socket under the temp dir)" : "inproc://";
}

/**
 * The libzmq build a libzmq socket for `endpoint` needs: Debian's (undefined) but for ws:// and wss://,
 * which only the DRAFT build has; throws, saying where it is looked for, when that is missing.
 */
export function libzmqLibraryFor(endpoint: string): string | undefined {
  if (!/^wss?:\/\//.test(endpoint)) return undefined;
  const draft = draftLibzmqPath();
  if (draft === null)
    throw new Error(`ws:// needs libzmq's DRAFT build (shared/peers/libzmq-4.3.5-draft beside the repository, or $${DRAFT_LIBZMQ_ENV})`);
  return draft;
}
