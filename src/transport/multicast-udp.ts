// A UDP socket that is a member of one IPv4 multicast group and shares its port with every other
// member on the host (SO_REUSEADDR and SO_REUSEPORT, as OpenPGM sets them): the datagram layer under epgm://, and meant
// for any other datagram transport over multicast (a later udp:// with RADIO/DISH reuses it as is).
// Imports only node:dgram and core.
//
// Bun 1.4.5's own Bun.udpSocket cannot set SO_REUSEADDR or join a group; node:dgram with
// `reuseAddr` and `reusePort` can (docs/pgm.md). Each member bound to the port receives every
// datagram sent to the group; a unicast datagram to the port reaches only one of them, the one bound
// most specifically (else one SO_REUSEPORT picks): see `bindAddress`.

import dgram from "node:dgram";
import { ZmqError } from "../core/errors.ts";

export interface MulticastUdpOptions {
  /** The group, e.g. "239.192.1.1". */
  group: string;
  port: number;
  /** This host's address on the interface to join and send on; "0.0.0.0" lets the kernel choose. */
  interfaceAddress: string;
  /**
   * The local address to bind: "0.0.0.0" to hear the group, or the interface address to hear only
   * unicast, but all of it: the kernel gives a unicast datagram to the socket bound most
   * specifically, so a sender bound to its address gets every NAK even when receivers on the host
   * share the port.
   */
  bindAddress: string;
  /** IP_MULTICAST_TTL (ZMQ_MULTICAST_HOPS). */
  hops: number;
  /** IP_MULTICAST_LOOP: whether members on this host hear what it sends (ZMQ_MULTICAST_LOOP). */
  loop: boolean;
  /** SO_SNDBUF / SO_RCVBUF in bytes; 0 or less keeps the kernel's default. */
  sendBufferSize: number;
  receiveBufferSize: number;
}

/** A send's own error (a full buffer, no route) loses that datagram only, as UDP may; PGM repairs it. */
const ignore = (): void => {};

export type DatagramHandler = (datagram: Uint8Array, from: { address: string; port: number }) => void;

export class MulticastUdpSocket {
  readonly #socket: dgram.Socket;
  readonly #options: MulticastUdpOptions;
  /** Datagrams sent before the bind completed: sending first would bind an ephemeral port. */
  #queue: Array<{ bytes: Uint8Array; port: number; address: string }> | null = [];
  #closed = false;

  /**
   * Binds and joins asynchronously; `onError` hears a failure to (ENODEV for an interface address
   * that is not this host's), after which the socket is closed.
   */
  constructor(options: MulticastUdpOptions, onDatagram: DatagramHandler, onError: (error: ZmqError) => void) {
    this.#options = options;
    // Debian's OpenPGM binds with SO_REUSEPORT, which admits only sockets that set it too; with
    // SO_REUSEADDR as well, both kinds of neighbour can share the port.
    const socket = dgram.createSocket({ type: "udp4", reuseAddr: true, reusePort: true });
    this.#socket = socket;
    socket.on("message", (message: Buffer, info: dgram.RemoteInfo) => {
      onDatagram(new Uint8Array(message.buffer, message.byteOffset, message.byteLength), info);
    });
    socket.on("error", (error: Error) => {
      this.close();
      onError(new ZmqError("ENODEV", `Multicast socket for ${options.group}:${options.port} failed: ${error.message}`));
    });
    socket.bind(options.port, options.bindAddress, () => {
      if (this.#closed) return;
      try {
        const iface = options.interfaceAddress === "0.0.0.0" ? undefined : options.interfaceAddress;
        socket.addMembership(options.group, iface);
        if (iface !== undefined) socket.setMulticastInterface(iface);
        socket.setMulticastTTL(options.hops);
        socket.setMulticastLoopback(options.loop);
        if (options.sendBufferSize > 0) socket.setSendBufferSize(options.sendBufferSize);
        if (options.receiveBufferSize > 0) socket.setRecvBufferSize(options.receiveBufferSize);
      } catch (error) {
        this.close();
        const why = (error as Error).message;
        return onError(new ZmqError("ENODEV", `Cannot join ${options.group} on ${options.interfaceAddress}: ${why}`));
      }
      const queued = this.#queue ?? [];
      this.#queue = null;
      for (const { bytes, port, address } of queued) this.#socket.send(bytes, port, address, ignore);
    });
    // An idle member does not keep the process alive, as a bound tcp:// listener does not.
    socket.unref();
  }

  /** Sends to the group, or to one host at the same port. Errors (no route, buffer full) drop it, as UDP does. */
  send(bytes: Uint8Array, to: "group" | { address: string }): void {
    if (this.#closed) return;
    const address = to === "group" ? this.#options.group : to.address;
    if (this.#queue !== null) this.#queue.push({ bytes, port: this.#options.port, address });
    else this.#socket.send(bytes, this.#options.port, address, ignore);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue = null;
    try {
      this.#socket.close();
    } catch {
      // Already closed by an error: nothing left to release.
    }
  }
}
