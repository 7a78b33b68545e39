// An epgm:// endpoint: one multicast UDP socket (transport/udp-socket.ts) and one pipe to the
// socket. A PUB or XPUB runs a PGM source on it, a SUB or XSUB a PGM receiver. bind() and connect()
// both make one, as in libzmq, where bind on a multicast transport is connect. Imports transport,
// engine, pipe and core.
//
// As in libzmq, nothing of subscriptions crosses the wire: the source's pipe subscribes to
// everything on the publisher's behalf, and what a SUB sends upstream is read and dropped here; the
// SUB filters what arrives.

import { networkInterfaces } from "node:os";
import type { SocketType } from "../core/socket-type.ts";
import { SocketType as Types } from "../core/socket-type.ts";
import { PgmReceiver } from "../engine/pgm-receiver.ts";
import { type PgmDestination, PgmSource } from "../engine/pgm-source.ts";
import { type PipeEnd, createPipePair } from "../pipe/pipe-end.ts";
import { UdpSocket } from "../transport/udp-socket.ts";
import type { PgmAddress } from "../transport/pgm-address.ts";
import type { Session, SessionOwner } from "./session-owner.ts";

/** IP (20), UDP (8) and PGM data (24) headers: what the max TPDU holds besides the APDU. */
const TPDU_OVERHEAD = 52;
/** The most APDUs a source keeps for repair, whatever rate × recovery interval asks (about 95 MB). */
const MAX_WINDOW_PACKETS = 65_536;

/** Whether `type` may use a multicast transport (libzmq: PUB, SUB, XPUB, XSUB only). */
export function multicastCapable(type: SocketType): boolean {
  return type === Types.Publisher || type === Types.Subscriber || type === Types.XPublisher || type === Types.XSubscriber;
}

function publishing(type: SocketType): boolean {
  return type === Types.Publisher || type === Types.XPublisher;
}

export class PgmSession implements Session {
  readonly endpoint: string;
  readonly #owner: SessionOwner;
  readonly #udp: UdpSocket;
  readonly #socketEnd: PipeEnd;
  readonly #source: PgmSource | null = null;
  readonly #receiver: PgmReceiver | null = null;
  readonly #sourcePort: number;
  readonly #gsi: Uint8Array;
  #closed = false;

  constructor(owner: SessionOwner, address: PgmAddress, endpoint: string) {
    this.#owner = owner;
    this.endpoint = endpoint;
    const options = owner.options;
    this.#gsi = crypto.getRandomValues(new Uint8Array(6));
    this.#sourcePort = randomPort(address.port);
    this.#udp = new UdpSocket(
      {
        group: address.group,
        port: address.port,
        interfaceAddress: address.interfaceAddress,
        // A source hears only unicast (NAKs, SPMRs), all of it when bound to its own address.
        bindAddress: publishing(owner.core.type) ? address.interfaceAddress : "0.0.0.0",
        hops: options.multicastHops,
        loop: options.multicastLoop,
        sendBufferSize: options.sendBufferSize,
        receiveBufferSize: options.receiveBufferSize,
      },
      (datagram, from) => this.#datagram(datagram, from.address),
      (error) => owner.emit({ type: "bind:error", address: endpoint.slice(endpoint.indexOf("://") + 3), error }),
    );
    const send = (bytes: Uint8Array, to: PgmDestination) =>
      this.#udp.send(bytes, to === "group" ? address.group : to.address, address.port);
    const info = { routingId: new Uint8Array(0), address: endpoint };
    const { socketEnd, peerEnd } = createPipePair(options.sendHighWaterMark, options.receiveHighWaterMark, info);
    this.#socketEnd = socketEnd;
    if (publishing(owner.core.type)) {
      const maxTsdu = options.multicastMaxTransportDataUnit - TPDU_OVERHEAD;
      const bytesPerSecond = (options.rate * 1000) / 8;
      const windowPackets = Math.min(
        MAX_WINDOW_PACKETS,
        Math.max(1, Math.ceil((bytesPerSecond * options.recoveryInterval) / 1000 / options.multicastMaxTransportDataUnit)),
      );
      const nla = address.interfaceAddress === "0.0.0.0" ? defaultAddress() : address.interfaceAddress;
      const config = {
        gsi: this.#gsi,
        sourcePort: this.#sourcePort,
        port: address.port,
        group: address.group,
        nla,
        maxTsdu,
        bytesPerSecond,
        windowPackets,
      };
      this.#source = new PgmSource(config, peerEnd.inbound, send);
      // PGM carries no subscriptions: subscribe this pipe to everything, as libzmq does.
      peerEnd.outbound.write([Uint8Array.of(1)]);
    } else {
      const config = { port: address.port, group: address.group, maxMessageSize: options.maxMessageSize };
      this.#receiver = new PgmReceiver(config, {
        message: (message) => {
          // A full pipe drops what arrives, as a publisher drops for a slow subscriber.
          if (peerEnd.outbound.canWrite()) peerEnd.outbound.write(message);
        },
        loss: (sender, first, last) =>
          owner.emit({ type: "pgm:loss", address: endpoint, sender, firstSequence: first, lastSequence: last }),
        send,
      });
      // Subscriptions have nowhere to go: drain them as the SUB writes them.
      peerEnd.inbound.onReadable = () => {
        while (peerEnd.inbound.read() !== undefined);
      };
    }
    owner.core.attachPipe(socketEnd);
  }

  #datagram(datagram: Uint8Array, from: string): void {
    if (this.#closed) return;
    this.#source?.datagram(datagram);
    this.#receiver?.datagram(datagram, from);
  }

  /** With linger (ms; -1 unbounded) a source first sends what the socket queued; then all closes. */
  close(linger: number): Promise<void> | null {
    if (this.#closed) return null;
    this.#closed = true;
    const finish = () => {
      this.#source?.close();
      this.#receiver?.close();
      this.#udp.close();
    };
    this.#owner.core.detachPipe(this.#socketEnd, false);
    if (this.#source === null || linger === 0) {
      finish();
      return null;
    }
    const drained = this.#source.drain();
    const bounded = linger < 0 ? drained : Promise.race([drained, new Promise<void>((resolve) => setTimeout(resolve, linger))]);
    return bounded.then(finish);
  }
}

/** A random source port other than the data port (OpenPGM picks one the same way). */
function randomPort(avoid: number): number {
  for (;;) {
    const port = 1 + Math.floor(Math.random() * 65535);
    if (port !== avoid) return port;
  }
}

/** This host's first IPv4 address outside loopback, else 127.0.0.1: where receivers send NAKs. */
function defaultAddress(): string {
  const all = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  return all.find((entry) => entry.family === "IPv4" && !entry.internal)?.address ?? "127.0.0.1";
}
