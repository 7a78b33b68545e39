// A UDP socket for the datagram transports, unicast or a member of one IPv4 multicast group, that
// shares its port with every other socket on the host bound to it (SO_REUSEADDR, as libzmq's
// udp_engine sets it; for a group also SO_REUSEPORT, as libzmq and OpenPGM set it): the datagram
// layer under epgm:// and udp://. Imports only node:dgram and core.
//
// Bun 1.4.5's own Bun.udpSocket cannot set SO_REUSEADDR or join a group; node:dgram with
// `reuseAddr` and `reusePort` can (docs/pgm.md, docs/udp.md: what it costs). Each member bound to
// the port receives every datagram sent to the group; a unicast datagram to the port reaches only
// one of them, the one bound most specifically (else one SO_REUSEPORT picks): see `bindAddress`.

import dgram from "node:dgram";
import { ZmqError } from "../core/errors.ts";

export interface UdpSocketOptions {
  /** The multicast group to join, e.g. "239.192.1.1", or null for a unicast socket. */
  group: string | null;
  /** The local port to bind; 0 lets the kernel choose one (a socket that only sends). */
  port: number;
  /** This host's address on the interface to join and send to the group on; "0.0.0.0" lets the kernel choose. */
  interfaceAddress: string;
  /**
   * The local address to bind: "0.0.0.0" to hear the group, or the interface address to hear only
   * unicast, but all of it: the kernel gives a unicast datagram to the socket bound most
   * specifically, so a sender bound to its address gets every NAK even when receivers on the host
   * share the port.
   */
  bindAddress: string;
  /** IP_MULTICAST_TTL (ZMQ_MULTICAST_HOPS); 0 or less keeps the kernel's 1. */
  hops: number;
  /** IP_MULTICAST_LOOP: whether members on this host hear what it sends (ZMQ_MULTICAST_LOOP). */
  loop: boolean;
  /** SO_SNDBUF / SO_RCVBUF in bytes; 0 or less keeps the kernel's default. */
  sendBufferSize: number;
  receiveBufferSize: number;
}

/**
 * How many datagrams may wait in node:dgram at once. Bun's node:dgram sends after the call returns
 * and keeps every datagram it was given until then, without limit (a Radio writing 300,000 1 KB
 * messages in one loop grew the process by 850 MB), so the sender stops taking messages here and
 * the socket's high-water mark applies instead: a Radio drops, a Datagram's send() waits.
 */
export const MAX_IN_FLIGHT = 1024;
const RESUME_BELOW = MAX_IN_FLIGHT / 2;

export type DatagramHandler = (datagram: Uint8Array, from: { address: string; port: number }) => void;

export class UdpSocket {
  readonly #socket: dgram.Socket;
  /** Datagrams sent before the bind completed: sending first would bind an ephemeral port. */
  #queue: Array<{ bytes: Uint8Array; port: number; address: string }> | null = [];
  #closed = false;
  /** Datagrams handed to node:dgram whose send has not completed; close() would cancel them. */
  #inFlight = 0;
  #drained: (() => void) | null = null;
  /** Room for more sends appeared (in-flight fell below half of MAX_IN_FLIGHT). Set by the owner. */
  onWritable: () => void = () => {};
  /** A send's own error (a full buffer, no route) loses that datagram only, as UDP may. */
  readonly #sent = (): void => {
    this.#inFlight--;
    if (this.#inFlight === RESUME_BELOW) this.onWritable();
    if (this.#inFlight === 0) this.#drained?.();
  };

  /**
   * Binds (and joins) asynchronously; `onError` hears a failure to (ENODEV for an interface address
   * that is not this host's, EADDRINUSE), after which the socket is closed.
   */
  constructor(options: UdpSocketOptions, onDatagram: DatagramHandler, onError: (error: ZmqError) => void) {
    const { group } = options;
    const name = `${group ?? options.bindAddress}:${options.port}`;
    // Debian's OpenPGM binds with SO_REUSEPORT, which admits only sockets that set it too; with
    // SO_REUSEADDR as well, both kinds of neighbour can share the port.
    const socket = dgram.createSocket({ type: "udp4", reuseAddr: true, reusePort: group !== null });
    this.#socket = socket;
    socket.on("message", (message: Buffer, info: dgram.RemoteInfo) => {
      onDatagram(new Uint8Array(message.buffer, message.byteOffset, message.byteLength), info);
    });
    socket.on("error", (error: Error) => {
      this.close();
      const code = (error as { code?: string }).code === "EADDRINUSE" ? "EADDRINUSE" : "ENODEV";
      onError(new ZmqError(code, `UDP socket for ${name} failed: ${error.message}`));
    });
    socket.bind(options.port, options.bindAddress, () => {
      if (this.#closed) return;
      try {
        const iface = options.interfaceAddress === "0.0.0.0" ? undefined : options.interfaceAddress;
        if (group !== null) socket.addMembership(group, iface);
        if (iface !== undefined) socket.setMulticastInterface(iface);
        if (options.hops > 0) socket.setMulticastTTL(options.hops);
        socket.setMulticastLoopback(options.loop);
        if (options.sendBufferSize > 0) socket.setSendBufferSize(options.sendBufferSize);
        if (options.receiveBufferSize > 0) socket.setRecvBufferSize(options.receiveBufferSize);
      } catch (error) {
        this.close();
        const why = (error as Error).message;
        return onError(new ZmqError("ENODEV", `Cannot join ${group ?? "no group"} on ${options.interfaceAddress}: ${why}`));
      }
      const queued = this.#queue ?? [];
      this.#queue = null;
      for (const { bytes, port, address } of queued) this.#socket.send(bytes, port, address, this.#sent);
    });
    // An idle member does not keep the process alive, as a bound tcp:// listener does not.
    socket.unref();
  }

  /** Whether a send now stays under MAX_IN_FLIGHT; a sender that finds false waits for onWritable. */
  get writable(): boolean {
    return this.#inFlight < MAX_IN_FLIGHT;
  }

  /** Sends one datagram. Errors (no route, buffer full) drop it, as UDP does. */
  send(bytes: Uint8Array, address: string, port: number): void {
    if (this.#closed) return;
    this.#inFlight++;
    if (this.#queue !== null) this.#queue.push({ bytes, port, address });
    else this.#socket.send(bytes, port, address, this.#sent);
  }

  /**
   * Resolves once every datagram handed over has left (node:dgram sends after the call returns),
   * or at once when none is in flight; null then. A socket still binding has sent nothing yet.
   */
  drained(): Promise<void> | null {
    if (this.#closed || this.#inFlight === 0) return null;
    return new Promise((resolve) => {
      this.#drained = resolve;
    });
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
