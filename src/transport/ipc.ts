// IPC transport on Bun.listen / Bun.connect with `unix`: the same ZMTP over a Unix stream socket.
// Imports only core and Bun (plus node:fs/os for socket files).

import type { Socket, UnixSocketListener } from "bun";
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ByteStream } from "../core/byte-stream.ts";
import { ZmqError } from "../core/errors.ts";
import { BunStream, streamHandlers } from "./bun-stream.ts";
import { type IpcAddress, formatIpcEndpoint } from "./ipc-address.ts";
import type { Listener } from "./tcp.ts";

/**
 * Binds synchronously. A socket file nobody listens on (left by a process that died) is unlinked
 * first, as libzmq does; one a live listener owns gives EADDRINUSE. `ipc://*` binds `socket` in a
 * fresh private directory under the OS temp dir, removed again on close.
 */
export function listenIpc(address: IpcAddress, endpoint: string, onStream: (stream: ByteStream) => void): Listener {
  let path = address.path;
  let privateDir: string | null = null;
  if (address.wildcard) {
    privateDir = mkdtempSync(join(tmpdir(), "bunzmq-"));
    path = join(privateDir, "socket");
  } else if (!path.startsWith("\0") && existsSync(path)) {
    if (isListening(path)) throw inUse(endpoint);
    unlinkSync(path);
  }
  const bound = formatIpcEndpoint(path);
  let server: UnixSocketListener<BunStream>;
  try {
    server = Bun.listen<BunStream>({
      unix: path,
      socket: {
        ...streamHandlers,
        open(socket: Socket<BunStream>) {
          const stream = new BunStream(socket, bound);
          socket.data = stream;
          onStream(stream);
        },
      },
    });
  } catch (error) {
    if (privateDir !== null) rmSync(privateDir, { recursive: true, force: true });
    const text = String((error as Error).message ?? error);
    if (/in use/i.test(text) || (error as { code?: string }).code === "EADDRINUSE") throw inUse(endpoint);
    throw new ZmqError("EINVAL", `Cannot bind ${endpoint}: ${text}`, endpoint, { cause: error });
  }
  // A bound socket waiting for peers does not keep the process alive (see bun-stream.ts).
  server.unref();
  return {
    endpoint: bound,
    // Bun's stop() unlinks the socket file itself.
    close: () => {
      server.stop(false);
      if (privateDir !== null) rmSync(privateDir, { recursive: true, force: true });
    },
  };
}

/** Connects; rejects with ENOENT/ECONNREFUSED (retried by the session) or ETIMEDOUT. */
export function connectIpc(address: IpcAddress, timeoutMs: number): Promise<ByteStream> {
  const remote = formatIpcEndpoint(address.path);
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (action: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      action();
    };
    const timer =
      timeoutMs > 0
        ? setTimeout(
            () => settle(() => reject(new ZmqError("ETIMEDOUT", `connect to ${remote} timed out after ${timeoutMs} ms`))),
            timeoutMs,
          )
        : undefined;
    timer?.unref?.();
    Bun.connect<BunStream>({
      unix: address.path,
      socket: {
        ...streamHandlers,
        open(socket: Socket<BunStream>) {
          socket.data = new BunStream(socket, remote);
          if (settled) return void socket.terminate();
          settle(() => resolve(socket.data));
        },
        connectError(_socket: Socket<BunStream>, error: Error) {
          settle(() => reject(error));
        },
      },
    }).catch((error: unknown) => settle(() => reject(error)));
  });
}

// /proc/net/unix lists bound Unix sockets; flag 0x10000 (__SO_ACCEPTCON) marks a listener. Reading it
// keeps bind synchronous, as zeromq.js's bindSync needs, where probing with a connect could not.
function isListening(path: string): boolean {
  let table: string;
  try {
    table = readFileSync("/proc/net/unix", "utf8");
  } catch {
    return false;
  }
  for (const line of table.split("\n")) {
    const fields = line.trim().split(/\s+/);
    if (fields.length >= 8 && fields[7] === path && (parseInt(fields[3]!, 16) & 0x10000) !== 0) return true;
  }
  return false;
}

function inUse(endpoint: string): ZmqError {
  return new ZmqError("EADDRINUSE", `a live socket listens on ${endpoint}; pick another path`, endpoint);
}
