// Network namespaces and TUN devices through libc over bun:ffi, for the link forwarder (forwarder.ts).
// No `ip` command and no named namespaces: a namespace is made by unshare(2) on the calling thread,
// kept alive only by the descriptor returned here (and by processes that enter it), so nothing
// outlives the forwarder and its peers. Linux only. Imports only bun:ffi.
//
// Facts this relies on (bun-notes §8): unshare(CLONE_NEWNET) and setns(2) work on Bun's JavaScript
// thread although the process has other threads, and move that thread only; a TUN device is created
// in the namespace its /dev/net/tun descriptor was opened in and stays there, while the descriptor
// keeps working from any namespace.

import { dlopen, FFIType as T, ptr, read } from "bun:ffi";

const CLONE_NEWNET = 0x40000000;
const O_RDWR = 2;
const O_NONBLOCK = 0o4000;
const O_CLOEXEC = 0o2000000;
const AF_INET = 2;
const SOCK_DGRAM = 2;
// <linux/if_tun.h>, <linux/sockios.h>, <net/if.h>, <net/route.h>
const TUNSETIFF = 0x400454ca;
const IFF_TUN = 0x0001;
const IFF_NO_PI = 0x1000;
const SIOCGIFFLAGS = 0x8913;
const SIOCSIFFLAGS = 0x8914;
const SIOCSIFADDR = 0x8916;
const SIOCSIFNETMASK = 0x891c;
const SIOCSIFTXQLEN = 0x8943;
const SIOCADDRT = 0x890b;
const IFF_UP = 0x1;
const IFF_RUNNING = 0x40;
const RTF_UP = 0x1;
const IFREQ_SIZE = 40;
const RTENTRY_SIZE = 120;

const ERRNO_NAMES: Readonly<Record<number, string>> = { 1: "EPERM", 2: "ENOENT", 13: "EACCES", 19: "ENODEV", 22: "EINVAL" };

const { symbols: libc } = dlopen("libc.so.6", {
  unshare: { args: [T.i32], returns: T.i32 },
  setns: { args: [T.i32, T.i32], returns: T.i32 },
  open: { args: [T.ptr, T.i32], returns: T.i32 },
  close: { args: [T.i32], returns: T.i32 },
  socket: { args: [T.i32, T.i32, T.i32], returns: T.i32 },
  ioctl: { args: [T.i32, T.u64, T.ptr], returns: T.i32 },
  __errno_location: { args: [], returns: T.ptr },
});

/** Throws with the call and its errno name when `result` is negative; returns it otherwise. */
function check(result: number, call: string): number {
  if (result >= 0) return result;
  const errno = read.i32(libc.__errno_location()!, 0);
  throw new Error(`${call} failed: ${ERRNO_NAMES[errno] ?? `errno ${errno}`}`);
}

/** A NUL-terminated copy backed by its own ArrayBuffer (bun-notes §7: never ptr() a small view). */
function cString(text: string): Uint8Array {
  const bytes = new Uint8Array(new ArrayBuffer(text.length + 1));
  bytes.set(new TextEncoder().encode(text));
  return bytes;
}

function openPath(path: string, flags: number): number {
  return check(libc.open(ptr(cString(path)), flags | O_CLOEXEC), `open(${path})`);
}

/** struct ifreq: the device name, then a 24-byte union filled by `fill`. */
function ifreq(device: string, fill?: (view: DataView) => void): Uint8Array {
  const bytes = new Uint8Array(new ArrayBuffer(IFREQ_SIZE));
  bytes.set(new TextEncoder().encode(device).subarray(0, 15));
  fill?.(new DataView(bytes.buffer));
  return bytes;
}

/** A struct sockaddr_in for `address` ("10.77.0.1") at `offset`. */
function putSockaddr(view: DataView, offset: number, address: string): void {
  view.setUint16(offset, AF_INET, true);
  address.split(".").forEach((part, i) => view.setUint8(offset + 4 + i, Number(part)));
}

function netmask(prefixLength: number): string {
  const mask = prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
  return [24, 16, 8, 0].map((shift) => (mask >>> shift) & 0xff).join(".");
}

/** Runs `body` with the calling thread in a brand-new network namespace; returns its descriptor and body's result. */
export function inNewNamespace<T>(body: () => T): { namespaceFd: number; result: T } {
  const home = openPath("/proc/thread-self/ns/net", 0);
  try {
    check(libc.unshare(CLONE_NEWNET), "unshare(CLONE_NEWNET)");
    try {
      const namespaceFd = openPath("/proc/thread-self/ns/net", 0);
      try {
        return { namespaceFd, result: body() };
      } catch (error) {
        libc.close(namespaceFd);
        throw error;
      }
    } finally {
      // Back home whatever happened, so the forwarder's own sockets and children stay in its namespace.
      check(libc.setns(home, CLONE_NEWNET), "setns(home)");
    }
  } finally {
    libc.close(home);
  }
}

/** Creates a TUN device (IP packets, no extra header) in the calling thread's namespace; returns its non-blocking descriptor. */
export function createTun(device: string): number {
  const fd = openPath("/dev/net/tun", O_RDWR | O_NONBLOCK);
  try {
    check(libc.ioctl(fd, TUNSETIFF, ptr(ifreq(device, (v) => v.setUint16(16, IFF_TUN | IFF_NO_PI, true)))), `TUNSETIFF(${device})`);
    return fd;
  } catch (error) {
    libc.close(fd);
    throw error;
  }
}

export interface InterfaceConfig {
  device: string;
  address: string;
  prefixLength: number;
  /** Packets the kernel may queue for the forwarder to read before it drops (the TUN default is 500). */
  txQueueLength: number;
  /** Routes through the device, as "a.b.c.d/len" (e.g. multicast's 224.0.0.0/4). */
  routes: readonly string[];
}

/** Addresses, brings up and routes `device`, and brings up `lo`, in the calling thread's namespace. */
export function configureInterface(config: InterfaceConfig): void {
  const { device } = config;
  const control = check(libc.socket(AF_INET, SOCK_DGRAM | O_CLOEXEC, 0), "socket(AF_INET)");
  const ioctl = (request: number, name: string, bytes: Uint8Array) => check(libc.ioctl(control, request, ptr(bytes)), `${name}(${device})`);
  try {
    ioctl(
      SIOCSIFADDR,
      "SIOCSIFADDR",
      ifreq(device, (v) => putSockaddr(v, 16, config.address)),
    );
    ioctl(
      SIOCSIFNETMASK,
      "SIOCSIFNETMASK",
      ifreq(device, (v) => putSockaddr(v, 16, netmask(config.prefixLength))),
    );
    ioctl(
      SIOCSIFTXQLEN,
      "SIOCSIFTXQLEN",
      ifreq(device, (v) => v.setInt32(16, config.txQueueLength, true)),
    );
    for (const name of [device, "lo"]) {
      const request = ifreq(name);
      check(libc.ioctl(control, SIOCGIFFLAGS, ptr(request)), `SIOCGIFFLAGS(${name})`);
      const view = new DataView(request.buffer);
      view.setUint16(16, view.getUint16(16, true) | IFF_UP | IFF_RUNNING, true);
      check(libc.ioctl(control, SIOCSIFFLAGS, ptr(request)), `SIOCSIFFLAGS(${name})`);
    }
    const deviceName = cString(device);
    for (const route of config.routes) {
      const [destination, length] = route.split("/");
      const entry = new Uint8Array(new ArrayBuffer(RTENTRY_SIZE));
      const view = new DataView(entry.buffer);
      putSockaddr(view, 8, destination!); // rt_dst
      putSockaddr(view, 40, netmask(Number(length))); // rt_genmask
      view.setUint16(56, RTF_UP, true); // rt_flags
      view.setBigUint64(88, BigInt(ptr(deviceName)), true); // rt_dev
      ioctl(SIOCADDRT, `SIOCADDRT ${route}`, entry);
    }
  } finally {
    libc.close(control);
  }
}

export function closeFd(fd: number): void {
  libc.close(fd);
}
