// TCP keep-alive as libzmq applies it (ZMQ_TCP_KEEPALIVE, _CNT, _IDLE, _INTVL) to every new connection.
// Imports nothing but Bun. Bun's own `setKeepAlive(on, delay)` also rewrites the probe count and
// interval to its own choice (10 and 1 s), so on Linux the options go through setsockopt(2) from libc
// over bun:ffi, each only when set, which leaves the OS defaults alone exactly where libzmq does.
// libc is opened on first use: a socket that never sets these options never loads it. tcp-buffers.ts
// sets the buffer sizes through the same setsockopt.

import { dlopen, FFIType, ptr } from "bun:ffi";

/** The four options, with libzmq's meaning: -1 leaves the OS default. */
export interface KeepaliveOptions {
  readonly tcpKeepalive: number;
  readonly tcpKeepaliveCount: number;
  readonly tcpKeepaliveIdle: number;
  readonly tcpKeepaliveInterval: number;
}

/** What a Bun TCP socket offers for this; `fd` exists on Bun's sockets but is not in its types. */
interface TunableSocket {
  setKeepAlive(enable?: boolean, initialDelay?: number): boolean;
}

// Linux values from <sys/socket.h> and <netinet/tcp.h>.
const SOL_SOCKET = 1;
const SO_KEEPALIVE = 9;
const IPPROTO_TCP = 6;
const TCP_KEEPIDLE = 4;
const TCP_KEEPINTVL = 5;
const TCP_KEEPCNT = 6;

type SetSockOpt = (fd: number, level: number, name: number, value: number) => boolean;

let setsockopt: SetSockOpt | null | undefined;

/** setsockopt(2) with an int value, or null where libc cannot be opened (not Linux with glibc). */
export function libcSetSockOpt(): SetSockOpt | null {
  if (setsockopt !== undefined) return setsockopt;
  setsockopt = null;
  if (process.platform !== "linux") return null;
  try {
    const libc = dlopen("libc.so.6", {
      setsockopt: { args: [FFIType.i32, FFIType.i32, FFIType.i32, FFIType.ptr, FFIType.u32], returns: FFIType.i32 },
    });
    const value = new Int32Array(1);
    const pointer = ptr(value);
    setsockopt = (fd, level, name, v) => {
      value[0] = v;
      return libc.symbols.setsockopt(fd, level, name, pointer, 4) === 0;
    };
  } catch {
    // musl or an unusual layout: fall back to Bun's setKeepAlive below.
  }
  return setsockopt;
}

/**
 * Applies the options to a new connection. Failures are ignored, as libzmq ignores them after
 * asserting in debug builds: keep-alive tuning never costs a working connection.
 */
export function applyKeepalive(socket: TunableSocket, options: KeepaliveOptions): void {
  const { tcpKeepalive, tcpKeepaliveCount, tcpKeepaliveIdle, tcpKeepaliveInterval } = options;
  if (tcpKeepalive === -1) return;
  const fd = (socket as { fd?: unknown }).fd;
  const set = typeof fd === "number" && fd >= 0 ? libcSetSockOpt() : null;
  if (set === null) {
    socket.setKeepAlive(tcpKeepalive === 1, tcpKeepaliveIdle > 0 ? tcpKeepaliveIdle * 1000 : 0);
    return;
  }
  const handle = fd as number;
  set(handle, SOL_SOCKET, SO_KEEPALIVE, tcpKeepalive);
  if (tcpKeepalive !== 1) return;
  if (tcpKeepaliveCount !== -1) set(handle, IPPROTO_TCP, TCP_KEEPCNT, tcpKeepaliveCount);
  if (tcpKeepaliveIdle !== -1) set(handle, IPPROTO_TCP, TCP_KEEPIDLE, tcpKeepaliveIdle);
  if (tcpKeepaliveInterval !== -1) set(handle, IPPROTO_TCP, TCP_KEEPINTVL, tcpKeepaliveInterval);
}
