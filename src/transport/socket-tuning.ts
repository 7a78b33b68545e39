// The kernel socket options libzmq sets on TCP sockets, set here the way libzmq sets them, each only
// when the option asks for it: keep-alive (ZMQ_TCP_KEEPALIVE, _CNT, _IDLE, _INTVL), IP_TOS and
// IPV6_TCLASS (ZMQ_TOS), TCP_USER_TIMEOUT (ZMQ_TCP_MAXRT), SO_BINDTODEVICE (ZMQ_BINDTODEVICE), and
// SO_SNDBUF / SO_RCVBUF (ZMQ_SNDBUF, ZMQ_RCVBUF).
// Imports core and bun:ffi (through libc.ts).
//
// Bun offers no hook between socket(2) and connect(2)/listen(2), so where libzmq tunes a socket
// before it connects, bunzmq tunes it as the connection opens: a dialled connection's SYN leaves
// unmarked and unbound. A listener is tuned right after listen(2), before any connection is accepted
// from it; accepted connections inherit its device and buffer sizes (so the receive buffer still
// sizes the window scale their handshake agrees; a dialled connection's is agreed before its buffer
// sizes are set, so a larger receive buffer cannot widen it there). Bun's own `setKeepAlive(on, delay)` would also
// rewrite the probe count and interval, so keep-alive goes through libc too where it can.

import { ZmqError } from "../core/errors.ts";
import {
  ERRNO_NAMES,
  IPPROTO_IP,
  IPPROTO_IPV6,
  IPPROTO_TCP,
  IPV6_TCLASS,
  IP_TOS,
  SOL_SOCKET,
  SO_BINDTODEVICE,
  SO_KEEPALIVE,
  SO_RCVBUF,
  SO_SNDBUF,
  TCP_KEEPCNT,
  TCP_KEEPIDLE,
  TCP_KEEPINTVL,
  TCP_USER_TIMEOUT,
  type SetSockOpt,
  descriptorOf,
  libcSetSockOpt,
} from "./libc.ts";

/** The four keep-alive options, with libzmq's meaning: -1 leaves the OS default. */
export interface KeepaliveOptions {
  readonly tcpKeepalive: number;
  readonly tcpKeepaliveCount: number;
  readonly tcpKeepaliveIdle: number;
  readonly tcpKeepaliveInterval: number;
}

/**
 * Everything this module sets: keep-alive, type of service, user time-out, device and buffer sizes
 * (0, "" and -1 leave them).
 */
export interface TuningOptions extends KeepaliveOptions {
  readonly typeOfService: number;
  readonly tcpMaxRetransmitTimeout: number;
  readonly interface: string;
  readonly sendBufferSize: number;
  readonly receiveBufferSize: number;
}

/** What a Bun TCP socket offers for this, besides its (untyped) `fd`. */
interface TunableSocket {
  setKeepAlive(enable?: boolean, initialDelay?: number): boolean;
}

const utf8 = new TextEncoder();

/**
 * Tunes a new connection. `dialled` is true for dialled connections (accepted ones inherit the
 * listener's device and buffer sizes). Returns null, or why binding to the device failed: libzmq fails to open such a
 * connection, so the caller drops it. Other failures are ignored, as libzmq ignores them outside
 * debug builds: tuning never costs a working connection.
 */
export function tuneConnection(socket: TunableSocket, options: TuningOptions, dialled: boolean): string | null {
  const fd = descriptorOf(socket);
  const set = fd === null ? null : libcSetSockOpt();
  if (set === null || fd === null) {
    applyKeepaliveWithBun(socket, options);
    return null;
  }
  applyKeepalive(set, fd, options);
  if (options.typeOfService !== 0) setTypeOfService(set, fd, options.typeOfService);
  if (options.tcpMaxRetransmitTimeout > 0) set.int(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, options.tcpMaxRetransmitTimeout);
  if (dialled) setBufferSizes(set, fd, options);
  if (dialled && options.interface !== "") {
    const errno = set.bytes(fd, SOL_SOCKET, SO_BINDTODEVICE, utf8.encode(options.interface));
    if (errno !== 0) return `cannot bind the connection to device "${options.interface}": ${ERRNO_NAMES[errno] ?? `errno ${errno}`}`;
  }
  return null;
}

/**
 * Tunes a listening socket: type of service and device, as libzmq's tcp_open_socket does for a bind.
 * Throws ENODEV (or EINVAL naming the errno) when the device binding fails; the caller closes it.
 */
export function tuneListener(listener: object, options: TuningOptions, endpoint: string): void {
  const { typeOfService, sendBufferSize, receiveBufferSize } = options;
  if (typeOfService === 0 && options.interface === "" && sendBufferSize < 0 && receiveBufferSize < 0) return;
  const fd = descriptorOf(listener);
  const set = fd === null ? null : libcSetSockOpt();
  if (set === null || fd === null) {
    if (options.interface === "") return;
    throw new ZmqError(
      "ENOTSUP",
      `Cannot bind ${endpoint} to device "${options.interface}": SO_BINDTODEVICE needs Linux with glibc`,
      endpoint,
    );
  }
  if (typeOfService !== 0) setTypeOfService(set, fd, typeOfService);
  setBufferSizes(set, fd, options);
  if (options.interface === "") return;
  const errno = set.bytes(fd, SOL_SOCKET, SO_BINDTODEVICE, utf8.encode(options.interface));
  if (errno === 0) return;
  const name = ERRNO_NAMES[errno] ?? `errno ${errno}`;
  const why = errno === 1 ? " (binding to a device needs root or CAP_NET_RAW)" : errno === 19 ? " (no such network device)" : "";
  throw new ZmqError(
    errno === 19 ? "ENODEV" : "EINVAL",
    `Cannot bind ${endpoint} to device "${options.interface}": ${name}${why}`,
    endpoint,
  );
}

// libzmq sets both: IP_TOS for IPv4 traffic and IPV6_TCLASS for IPv6, ignoring the second's
// ENOPROTOOPT on an IPv4 socket.
function setTypeOfService(set: SetSockOpt, fd: number, value: number): void {
  set.int(fd, IPPROTO_IP, IP_TOS, value);
  set.int(fd, IPPROTO_IPV6, IPV6_TCLASS, value);
}

// Where libc cannot be reached (not Linux with glibc) the sizes stay the OS's: Bun has no call for them.
function setBufferSizes(set: SetSockOpt, fd: number, options: TuningOptions): void {
  if (options.sendBufferSize >= 0) set.int(fd, SOL_SOCKET, SO_SNDBUF, options.sendBufferSize);
  if (options.receiveBufferSize >= 0) set.int(fd, SOL_SOCKET, SO_RCVBUF, options.receiveBufferSize);
}

function applyKeepalive(set: SetSockOpt, fd: number, options: KeepaliveOptions): void {
  const { tcpKeepalive, tcpKeepaliveCount, tcpKeepaliveIdle, tcpKeepaliveInterval } = options;
  if (tcpKeepalive === -1) return;
  set.int(fd, SOL_SOCKET, SO_KEEPALIVE, tcpKeepalive);
  if (tcpKeepalive !== 1) return;
  if (tcpKeepaliveCount !== -1) set.int(fd, IPPROTO_TCP, TCP_KEEPCNT, tcpKeepaliveCount);
  if (tcpKeepaliveIdle !== -1) set.int(fd, IPPROTO_TCP, TCP_KEEPIDLE, tcpKeepaliveIdle);
  if (tcpKeepaliveInterval !== -1) set.int(fd, IPPROTO_TCP, TCP_KEEPINTVL, tcpKeepaliveInterval);
}

// Without libc only Bun's own call is left: it sets the idle time but also its own count and interval.
function applyKeepaliveWithBun(socket: TunableSocket, options: KeepaliveOptions): void {
  if (options.tcpKeepalive === -1) return;
  socket.setKeepAlive(options.tcpKeepalive === 1, options.tcpKeepaliveIdle > 0 ? options.tcpKeepaliveIdle * 1000 : 0);
}
