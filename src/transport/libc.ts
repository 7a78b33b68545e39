// The transports' one way into libc over bun:ffi: setsockopt(2) for the socket options Bun's API
// does not offer (keep-alive details, IP_TOS, TCP_USER_TIMEOUT, SO_BINDTODEVICE), dup(2) for
// handing a connection to another thread (handoff.ts), and socket(2), sendto(2) and close(2) for the
// raw IP socket under pgm:// (raw-multicast.ts), which Bun cannot open. Imports nothing but bun:ffi. libc is opened on
// first use, so a program that needs neither never loads it; where it cannot be opened (not Linux
// with glibc) `libc()` returns null and callers fall back or skip.

import { dlopen, FFIType, ptr, read } from "bun:ffi";

/** Each call returns 0 on success or the errno of the failure. */
export interface SetSockOpt {
  int(fd: number, level: number, name: number, value: number): number;
  bytes(fd: number, level: number, name: number, value: Uint8Array): number;
}

// Linux values from <sys/socket.h>, <netinet/in.h> and <netinet/tcp.h>.
export const SOL_SOCKET = 1;
export const SO_SNDBUF = 7;
export const SO_RCVBUF = 8;
export const SO_KEEPALIVE = 9;
export const SO_BINDTODEVICE = 25;
export const IPPROTO_IP = 0;
export const IP_TOS = 1;
export const IPPROTO_IPV6 = 41;
export const IPV6_TCLASS = 67;
export const IPPROTO_TCP = 6;
export const TCP_KEEPIDLE = 4;
export const TCP_KEEPINTVL = 5;
export const TCP_KEEPCNT = 6;
export const TCP_USER_TIMEOUT = 18;
export const IP_MULTICAST_IF = 32;
export const IP_MULTICAST_TTL = 33;
export const IP_MULTICAST_LOOP = 34;
export const IP_ADD_MEMBERSHIP = 35;
export const IP_MULTICAST_ALL = 49;

/** errno names of the failures callers report. */
export const ERRNO_NAMES: Readonly<Record<number, string>> = { 1: "EPERM", 19: "ENODEV", 22: "EINVAL", 92: "ENOPROTOOPT" };

/** What the transports call in libc. */
export interface Libc {
  setSockOpt: SetSockOpt;
  /** dup(2): a new descriptor for the same open socket, or -1. */
  dup(fd: number): number;
  /** socket(2), non-blocking and close-on-exec: the descriptor, or minus the errno. */
  socket(domain: number, type: number, protocol: number): number;
  /** sendto(2) with `to` a struct sockaddr: bytes sent, or minus the errno. */
  sendTo(fd: number, bytes: Uint8Array, to: Uint8Array): number;
  close(fd: number): void;
}

const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;

let loaded: Libc | null | undefined;

export function libc(): Libc | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  if (process.platform !== "linux") return null;
  try {
    const { symbols } = dlopen("libc.so.6", {
      setsockopt: { args: [FFIType.i32, FFIType.i32, FFIType.i32, FFIType.ptr, FFIType.u32], returns: FFIType.i32 },
      dup: { args: [FFIType.i32], returns: FFIType.i32 },
      socket: { args: [FFIType.i32, FFIType.i32, FFIType.i32], returns: FFIType.i32 },
      sendto: { args: [FFIType.i32, FFIType.ptr, FFIType.u64, FFIType.i32, FFIType.ptr, FFIType.u32], returns: FFIType.i64 },
      close: { args: [FFIType.i32], returns: FFIType.i32 },
      __errno_location: { args: [], returns: FFIType.ptr },
    });
    const errno = (): number => read.i32(symbols.__errno_location()!, 0);
    const value = new Int32Array(1);
    const pointer = ptr(value);
    loaded = {
      setSockOpt: {
        int(fd, level, name, v) {
          value[0] = v;
          return symbols.setsockopt(fd, level, name, pointer, 4) === 0 ? 0 : errno();
        },
        bytes(fd, level, name, v) {
          // ptr() refuses an empty view; SO_BINDTODEVICE with length 0 is the documented way to unbind.
          const data = v.length === 0 ? new Uint8Array(1) : v;
          return symbols.setsockopt(fd, level, name, ptr(data), v.length) === 0 ? 0 : errno();
        },
      },
      dup: (fd) => symbols.dup(fd),
      socket(domain, type, protocol) {
        const fd = symbols.socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
        return fd >= 0 ? fd : -errno();
      },
      sendTo(fd, bytes, to) {
        const sent = Number(symbols.sendto(fd, ptr(bytes), bytes.length, 0, ptr(to), to.length));
        return sent >= 0 ? sent : -errno();
      },
      close: (fd) => void symbols.close(fd),
    };
  } catch {
    // musl or an unusual layout: callers fall back to what Bun offers, or leave the OS default.
  }
  return loaded;
}

/** setsockopt(2), or null where libc cannot be opened. */
export function libcSetSockOpt(): SetSockOpt | null {
  return libc()?.setSockOpt ?? null;
}

/** The descriptor of a Bun socket or listener; `fd` exists on both but is not in Bun's types. */
export function descriptorOf(handle: object): number | null {
  const fd = (handle as { fd?: unknown }).fd;
  return typeof fd === "number" && fd >= 0 ? fd : null;
}
