// A raw IPv4 socket for one IP protocol (113, PGM, under pgm://), a member of one multicast group:
// the datagram layer under pgm://, as udp-socket.ts is under epgm://.
// Imports core, transport/libc.ts and the types of transport/udp-socket.ts.
//
// Bun cannot open a raw socket, so libc's socket(2), setsockopt(2) and sendto(2) do it through
// bun:ffi, which needs root or CAP_NET_RAW. Bun's own loop still does the waiting: `Bun.file(fd)
// .stream()` polls the descriptor on its epoll, as the eventfd doorbell's does (thread/
// eventfd-doorbell.ts), and each read(2) of a raw socket returns one whole datagram, IP header
// first. The stream may join several reads in one chunk, so the chunk is cut at each IP header's
// total length (docs/pgm.md §5 and §7: the measurements behind this, and the Worker it spared us).

import { ZmqError } from "../core/errors.ts";
import {
  ERRNO_NAMES,
  IPPROTO_IP,
  IP_ADD_MEMBERSHIP,
  IP_MULTICAST_ALL,
  IP_MULTICAST_IF,
  IP_MULTICAST_LOOP,
  IP_MULTICAST_TTL,
  type Libc,
  SOL_SOCKET,
  SO_RCVBUF,
  SO_SNDBUF,
  libc,
} from "./libc.ts";
import type { DatagramHandler, UdpSocketOptions } from "./udp-socket.ts";

const AF_INET = 2;
const SOCK_RAW = 3;
const EPERM = 1;
const EACCES = 13;
const IPV4_HEADER_MIN = 20;

/** `bindAddress` has no meaning here: a raw socket hears every datagram of its protocol for the host. */
export type RawMulticastOptions = Omit<UdpSocketOptions, "bindAddress" | "group"> & {
  /** The group, e.g. "239.192.1.1". */
  group: string;
  protocol: number;
  /** The endpoint as given, for error messages. */
  endpoint: string;
};

function addressBytes(address: string): Uint8Array {
  return Uint8Array.from(address.split(".").map(Number));
}

/** struct sockaddr_in for `address`, port 0 (a raw socket has none). */
function sockaddr(address: string): Uint8Array {
  const bytes = new Uint8Array(16);
  bytes[0] = AF_INET; // sin_family, little-endian u16
  bytes.set(addressBytes(address), 4);
  return bytes;
}

export class RawMulticastSocket {
  readonly #libc: Libc;
  readonly #fd: number;
  readonly #group: Uint8Array;
  readonly #groupAddress: Uint8Array;
  readonly #reader: { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(): Promise<void> };
  /** sockaddr_in per unicast destination (a NAK's source): few, and reused for every repair. */
  readonly #destinations = new Map<string, Uint8Array>();
  #closed = false;

  /**
   * Opens, configures and joins at once: a process that may not open a raw socket gets EPERM here,
   * thrown. `onError` hears a later failure of the descriptor, after which the socket is closed.
   */
  constructor(options: RawMulticastOptions, onDatagram: DatagramHandler, onError: (error: ZmqError) => void) {
    const { endpoint } = options;
    const c = libc();
    if (c === null)
      throw new ZmqError(
        "EPROTONOSUPPORT",
        `${endpoint}: pgm:// needs Linux with glibc (raw sockets through bun:ffi); use epgm://`,
        endpoint,
      );
    this.#libc = c;
    const fd = c.socket(AF_INET, SOCK_RAW, options.protocol);
    if (fd === -EPERM || fd === -EACCES) {
      throw new ZmqError(
        "EPERM",
        `${endpoint} needs a raw IP socket, which only root or a process with CAP_NET_RAW may open; ` +
          `run with that capability, or use epgm:// (PGM over UDP, which needs none)`,
        endpoint,
      );
    }
    if (fd < 0) throw new ZmqError("ENODEV", `Cannot open a raw socket for ${endpoint}: ${errnoName(-fd)}`, endpoint);
    this.#fd = fd;
    this.#group = addressBytes(options.group);
    this.#groupAddress = sockaddr(options.group);
    const iface = addressBytes(options.interfaceAddress);
    const failure = this.#configure(options, iface);
    if (failure !== null) {
      c.close(fd);
      throw new ZmqError("ENODEV", `Cannot join ${options.group} on ${options.interfaceAddress} for ${endpoint}: ${failure}`, endpoint);
    }
    // Bun polls its own duplicate of the descriptor; the open stream keeps the process alive, as an
    // open tcp:// connection does, until close() cancels it.
    this.#reader = Bun.file(fd).stream().getReader();
    void this.#read(onDatagram).catch((error: Error) => {
      if (this.#closed) return;
      this.close();
      onError(new ZmqError("ENODEV", `Raw socket for ${endpoint} failed: ${error.message}`, endpoint));
    });
  }

  /** Each option in turn; the name of the first that failed, or null. */
  #configure(options: RawMulticastOptions, iface: Uint8Array): string | null {
    const set = this.#libc.setSockOpt;
    const steps: Array<[string, () => number]> = [
      // Only the groups this socket joined, not every group some socket of the host joined.
      ["IP_MULTICAST_ALL", () => set.int(this.#fd, IPPROTO_IP, IP_MULTICAST_ALL, 0)],
      ["IP_ADD_MEMBERSHIP", () => set.bytes(this.#fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, Uint8Array.of(...this.#group, ...iface))],
      ["IP_MULTICAST_IF", () => (options.interfaceAddress === "0.0.0.0" ? 0 : set.bytes(this.#fd, IPPROTO_IP, IP_MULTICAST_IF, iface))],
      ["IP_MULTICAST_TTL", () => set.int(this.#fd, IPPROTO_IP, IP_MULTICAST_TTL, options.hops)],
      ["IP_MULTICAST_LOOP", () => set.int(this.#fd, IPPROTO_IP, IP_MULTICAST_LOOP, options.loop ? 1 : 0)],
      ["SO_SNDBUF", () => (options.sendBufferSize > 0 ? set.int(this.#fd, SOL_SOCKET, SO_SNDBUF, options.sendBufferSize) : 0)],
      ["SO_RCVBUF", () => (options.receiveBufferSize > 0 ? set.int(this.#fd, SOL_SOCKET, SO_RCVBUF, options.receiveBufferSize) : 0)],
    ];
    for (const [name, step] of steps) {
      const errno = step();
      if (errno !== 0) return `${name}: ${errnoName(errno)}`;
    }
    return null;
  }

  async #read(onDatagram: DatagramHandler): Promise<void> {
    for (;;) {
      const { done, value } = await this.#reader.read();
      if (done || this.#closed) return;
      splitDatagrams(value!, this.#group, (payload, from) => {
        if (!this.#closed) onDatagram(payload, { address: from, port: 0 });
      });
    }
  }

  /** Sends to the group, or to one host. A full buffer or no route drops the datagram, as on UDP; PGM repairs it. */
  send(bytes: Uint8Array, to: "group" | { address: string }): void {
    if (this.#closed) return;
    let destination = this.#groupAddress;
    if (to !== "group") {
      destination = this.#destinations.get(to.address) ?? sockaddr(to.address);
      if (this.#destinations.size < 256) this.#destinations.set(to.address, destination);
    }
    this.#libc.sendTo(this.#fd, bytes, destination);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    // Cancelling settles the pending read and closes Bun's duplicate; then our own descriptor.
    void this.#reader.cancel().catch(() => {});
    this.#libc.close(this.#fd);
  }
}

function errnoName(errno: number): string {
  return ERRNO_NAMES[errno] ?? `errno ${errno}`;
}

/**
 * Cuts a chunk of raw-socket reads into its IPv4 datagrams and hands on the payload (after the
 * header, by its IHL) and source of each sent to `group` or to a unicast address; what is for
 * another group is dropped. A datagram cut short, or bytes that are not IPv4, end the chunk: nothing
 * after them can be trusted to start a header.
 */
export function splitDatagrams(chunk: Uint8Array, group: Uint8Array, each: (payload: Uint8Array, from: string) => void): void {
  let at = 0;
  while (at + IPV4_HEADER_MIN <= chunk.length) {
    const headerLength = (chunk[at]! & 0x0f) * 4;
    const total = (chunk[at + 2]! << 8) | chunk[at + 3]!;
    if (chunk[at]! >> 4 !== 4 || headerLength < IPV4_HEADER_MIN || total < headerLength || at + total > chunk.length) return;
    const destination = chunk[at + 16]!;
    const forGroup = chunk[at + 17] === group[1] && chunk[at + 18] === group[2] && chunk[at + 19] === group[3] && destination === group[0];
    // A multicast destination other than the group is another group's traffic; unicast is for us.
    if (destination < 224 || destination > 239 || forGroup) {
      each(chunk.subarray(at + headerLength, at + total), `${chunk[at + 12]}.${chunk[at + 13]}.${chunk[at + 14]}.${chunk[at + 15]}`);
    }
    at += total;
  }
}
