// The kernel's view of this process's TCP sockets, for tests of options that reach the kernel: every
// descriptor in /proc/self/fd that is an IPv4/IPv6 socket, with its local and peer ports
// (getsockname/getpeername), and getsockopt(2) to read an option back. libc over bun:ffi; Linux only.

import { dlopen, FFIType, ptr } from "bun:ffi";
import { readdirSync } from "node:fs";

export const linux = process.platform === "linux";

export const SOL_SOCKET = 1;
export const SO_BINDTODEVICE = 25;
export const IPPROTO_IP = 0;
export const IP_TOS = 1;
export const IPPROTO_TCP = 6;
export const TCP_USER_TIMEOUT = 18;

const AF_INET = 2;
const AF_INET6 = 10;

export interface OpenTcpSocket {
  fd: number;
  localPort: number;
  /** null for a listener (no peer). */
  peerPort: number | null;
}

let libc: ReturnType<typeof load> | null = null;

function load() {
  return dlopen("libc.so.6", {
    getsockopt: { args: [FFIType.i32, FFIType.i32, FFIType.i32, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
    getsockname: { args: [FFIType.i32, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
    getpeername: { args: [FFIType.i32, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
  }).symbols;
}

function symbols(): ReturnType<typeof load> {
  return (libc ??= load());
}

/** The port of an AF_INET/AF_INET6 address read by `call`, or null (not such a socket, or no peer). */
function portOf(fd: number, call: "getsockname" | "getpeername"): number | null {
  const address = new Uint8Array(128);
  const length = new Uint32Array([address.length]);
  if (symbols()[call](fd, ptr(address), ptr(length)) !== 0) return null;
  const family = address[0]! | (address[1]! << 8);
  if (family !== AF_INET && family !== AF_INET6) return null;
  return (address[2]! << 8) | address[3]!;
}

export function openTcpSockets(): OpenTcpSocket[] {
  const found: OpenTcpSocket[] = [];
  for (const entry of readdirSync("/proc/self/fd")) {
    const fd = Number(entry);
    const localPort = portOf(fd, "getsockname");
    if (localPort === null) continue;
    found.push({ fd, localPort, peerPort: portOf(fd, "getpeername") });
  }
  return found;
}

/** getsockopt(2) with an int value; null when it fails. */
export function intOption(fd: number, level: number, name: number): number | null {
  const value = new Int32Array(1);
  const length = new Uint32Array([4]);
  return symbols().getsockopt(fd, level, name, ptr(value), ptr(length)) === 0 ? value[0]! : null;
}

/** SO_BINDTODEVICE read back: the device name, "" when unbound, null when it fails. */
export function boundDevice(fd: number): string | null {
  const value = new Uint8Array(32);
  const length = new Uint32Array([value.length]);
  if (symbols().getsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ptr(value), ptr(length)) !== 0) return null;
  const text = new TextDecoder().decode(value.subarray(0, length[0]!));
  return text.replace(/\0+$/, "");
}

/** The listener, the accepted side and the dialled side of one TCP port, by descriptor. */
export function socketsOfPort(port: number): { listener: number[]; accepted: number[]; dialled: number[] } {
  const sockets = openTcpSockets();
  return {
    listener: sockets.filter((s) => s.localPort === port && s.peerPort === null).map((s) => s.fd),
    accepted: sockets.filter((s) => s.localPort === port && s.peerPort !== null).map((s) => s.fd),
    dialled: sockets.filter((s) => s.peerPort === port).map((s) => s.fd),
  };
}
