// Moving an accepted connection to another thread (an I/O Worker): the descriptor is duplicated
// through libc over bun:ffi and the original Bun socket closed with terminate(), which closes its
// descriptor without a shutdown, so the connection lives on in the copy; the other thread adopts
// the copy with Bun.connect({ fd }) (adoptStream in bun-stream.ts, which calls this file, never the
// reverse). Bytes Bun read before the handoff travel along. Linux only (libc.so.6); elsewhere
// detaching returns null and the engine stays where the connection was accepted. Imports only bun
// and libc.ts.

import type { Socket } from "bun";
import { descriptorOf, libc } from "./libc.ts";

/** A connection in transit between threads: its duplicated descriptor and any bytes already read. */
export interface DetachedStream {
  fd: number;
  remoteAddress: string;
  early: Uint8Array[];
}

/**
 * Takes the connection away from `socket`: pauses it so Bun reads nothing more, duplicates its
 * descriptor, and terminates it. Null (and the socket untouched) when that cannot be done.
 */
export function detachSocket(socket: Socket<unknown>, early: Uint8Array[], remoteAddress: string): DetachedStream | null {
  const lib = libc();
  const fd = descriptorOf(socket);
  if (lib === null || fd === null) return null;
  socket.pause();
  const copy = lib.dup(fd);
  if (copy < 0) {
    socket.resume();
    return null;
  }
  // The stream has no handler yet (detach happens before start), so its close callback does nothing.
  socket.terminate();
  return { fd: copy, remoteAddress, early };
}
