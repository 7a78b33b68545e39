// Moving an accepted connection to another thread (an I/O Worker): the descriptor is duplicated
// through libc over bun:ffi and the original Bun socket closed with terminate(), which closes its
// descriptor without a shutdown, so the connection lives on in the copy; the other thread adopts
// the copy with Bun.connect({ fd }). Bytes Bun read before the handoff travel along. Linux only
// (libc.so.6); elsewhere detaching returns null and the engine stays where the connection was
// accepted. Imports core, bun, bun:ffi and its sibling bun-stream.ts.

import { dlopen, FFIType } from "bun:ffi";
import type { Socket } from "bun";
import type { ByteStream } from "../core/byte-stream.ts";
import { BunStream, streamHandlers } from "./bun-stream.ts";

/** A connection in transit between threads: its duplicated descriptor and any bytes already read. */
export interface DetachedStream {
  fd: number;
  remoteAddress: string;
  early: Uint8Array[];
}

let dup: ((fd: number) => number) | null | undefined;

function libcDup(): ((fd: number) => number) | null {
  if (dup !== undefined) return dup;
  dup = null;
  if (process.platform !== "linux") return null;
  try {
    const { symbols } = dlopen("libc.so.6", { dup: { args: [FFIType.i32], returns: FFIType.i32 } });
    dup = (fd) => symbols.dup(fd);
  } catch {
    dup = null;
  }
  return dup;
}

/**
 * Takes the connection away from `socket`: pauses it so Bun reads nothing more, duplicates its
 * descriptor, and terminates it. Null (and the socket untouched) when that cannot be done.
 */
export function detachSocket(socket: Socket<BunStream>, early: Uint8Array[], remoteAddress: string): DetachedStream | null {
  const duplicate = libcDup();
  const fd = (socket as unknown as { fd?: number }).fd;
  if (duplicate === null || typeof fd !== "number" || fd < 0) return null;
  socket.pause();
  const copy = duplicate(fd);
  if (copy < 0) {
    socket.resume();
    return null;
  }
  // The stream has no handler yet (detach happens before start), so its close callback does nothing.
  socket.terminate();
  return { fd: copy, remoteAddress, early };
}

/** Adopts a detached connection on this thread; its early bytes are delivered first. */
export async function adoptStream(detached: DetachedStream): Promise<ByteStream> {
  const socket = await Bun.connect<BunStream>({ fd: detached.fd, socket: streamHandlers } as unknown as Parameters<typeof Bun.connect<BunStream>>[0]);
  const stream = new BunStream(socket, detached.remoteAddress);
  for (const chunk of detached.early) stream.onData(chunk);
  socket.data = stream;
  return stream;
}
