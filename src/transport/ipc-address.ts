// ipc:// endpoint rules (zmtp-notes §7.3): file paths, Linux abstract names, and `ipc://*`.
// Imports only core.

import { ZmqError } from "../core/errors.ts";

export interface IpcAddress {
  scheme: "ipc";
  /** What Bun gets as `unix`: the file path, or "\0name" for an abstract socket. */
  path: string;
  /** `ipc://*`: the transport picks a fresh path in a private temporary directory. */
  wildcard: boolean;
}

// sun_path holds 108 bytes including the terminating NUL.
const MAX_PATH_BYTES = 107;
const encoder = new TextEncoder();

export function parseIpc(endpoint: string, rest: string, purpose: "bind" | "connect"): IpcAddress {
  if (rest === "*") {
    if (purpose === "connect") throw invalidIpc(endpoint, "connect needs a real path; ipc://* is for bind");
    return { scheme: "ipc", path: "", wildcard: true };
  }
  if (rest === "") throw invalidIpc(endpoint, "expected a path, e.g. ipc:///tmp/feed.sock, or @name");
  // libzmq maps a leading @ to the abstract namespace: the address is "\0name", sized exactly.
  const path = rest.startsWith("@") ? `\0${rest.slice(1)}` : rest;
  if (path === "\0") throw invalidIpc(endpoint, "an abstract name needs at least one character after @");
  if (encoder.encode(path).length > MAX_PATH_BYTES) {
    throw new ZmqError("ENAMETOOLONG", `IPC path in "${endpoint}" is longer than ${MAX_PATH_BYTES} bytes; use a shorter path`, endpoint);
  }
  return { scheme: "ipc", path, wildcard: false };
}

/** The text libzmq reports as ZMQ_LAST_ENDPOINT: `ipc://path` or `ipc://@name`. */
export function formatIpcEndpoint(path: string): string {
  return path.startsWith("\0") ? `ipc://@${path.slice(1)}` : `ipc://${path}`;
}

function invalidIpc(endpoint: string, why: string): ZmqError {
  return new ZmqError("EINVAL", `Invalid endpoint "${endpoint}": ${why}`, endpoint);
}
