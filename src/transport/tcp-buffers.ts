// SO_SNDBUF and SO_RCVBUF on each new TCP connection, as libzmq applies ZMQ_SNDBUF and ZMQ_RCVBUF
// (only when set; -1 leaves the OS default). Imports its sibling for setsockopt(2) over bun:ffi.
// libzmq sets them before listen() or connect(); Bun hands over the descriptor only once the
// connection is open, so here they are set then: the sizes apply, but a receive buffer larger than
// the default cannot widen the window scale already agreed in the TCP handshake.

import { libcSetSockOpt } from "./tcp-keepalive.ts";

/** The two options, with libzmq's meaning: bytes, or -1 for the OS default. Linux doubles what it is given. */
export interface BufferSizeOptions {
  readonly sendBufferSize: number;
  readonly receiveBufferSize: number;
}

// Linux values from <sys/socket.h>.
const SOL_SOCKET = 1;
const SO_SNDBUF = 7;
const SO_RCVBUF = 8;

/**
 * Applies the sizes to a new connection. Where libc cannot be reached (not Linux with glibc) they
 * are left alone, since Bun has no call for them; failures are ignored, as libzmq ignores them.
 */
export function applyBufferSizes(socket: object, options: BufferSizeOptions): void {
  const { sendBufferSize, receiveBufferSize } = options;
  if (sendBufferSize < 0 && receiveBufferSize < 0) return;
  const fd = (socket as { fd?: unknown }).fd;
  const set = typeof fd === "number" && fd >= 0 ? libcSetSockOpt() : null;
  if (set === null) return;
  if (sendBufferSize >= 0) set(fd as number, SOL_SOCKET, SO_SNDBUF, sendBufferSize);
  if (receiveBufferSize >= 0) set(fd as number, SOL_SOCKET, SO_RCVBUF, receiveBufferSize);
}
