// A udp:// endpoint: one UDP socket (transport/udp-socket.ts), one udp engine and one pipe to the
// socket, as libzmq's session for udp:// (session_base.cpp) makes them. Which socket types may use
// udp:// and how (udpRole) follows libzmq 4.3.5's socket_base.cpp: a RADIO connects, a DISH or DGRAM
// binds, and every other pairing is ENOCOMPATPROTO. Imports transport, engine, pipe and core.

import { ZmqError } from "../core/errors.ts";
import { SOCKET_TYPE_NAMES, SocketType } from "../core/socket-type.ts";
import { UdpEngine, type UdpDrops, type UdpRole } from "../engine/udp-engine.ts";
import { type PipeEnd, createPipePair } from "../pipe/pipe-end.ts";
import type { UdpAddress } from "../transport/udp-address.ts";
import { UdpSocket } from "../transport/udp-socket.ts";
import type { Session, SessionOwner } from "./session-owner.ts";

/**
 * The engine role of `type` when it binds or connects a udp:// endpoint; throws ENOCOMPATPROTO
 * where libzmq refuses: udp:// carries RADIO, DISH and DGRAM only, a RADIO only connects, and a
 * DISH or DGRAM only binds.
 */
export function udpRole(type: SocketType, purpose: "bind" | "connect", endpoint: string): UdpRole {
  const role = type === SocketType.Radio ? "radio" : type === SocketType.Dish ? "dish" : type === SocketType.Datagram ? "dgram" : null;
  const name = SOCKET_TYPE_NAMES[type];
  if (role === null) {
    throw new ZmqError("ENOCOMPATPROTO", `${endpoint}: udp:// carries Radio, Dish and Datagram only, not ${name}`, endpoint);
  }
  if (role === "radio" && purpose === "bind") {
    throw new ZmqError(
      "ENOCOMPATPROTO",
      `${endpoint}: a Radio connects to a udp:// address (where its datagrams go); bind the Dish`,
      endpoint,
    );
  }
  if (role !== "radio" && purpose === "connect") {
    throw new ZmqError("ENOCOMPATPROTO", `${endpoint}: a ${name} binds a udp:// address (where it listens); connect the Radio`, endpoint);
  }
  return role;
}

export class UdpSession implements Session {
  readonly endpoint: string;
  readonly #owner: SessionOwner;
  readonly #udp: UdpSocket;
  readonly #engine: UdpEngine;
  readonly #socketEnd: PipeEnd;
  #closed = false;

  constructor(owner: SessionOwner, address: UdpAddress, endpoint: string, role: UdpRole) {
    this.#owner = owner;
    this.endpoint = endpoint;
    const options = owner.options;
    const receives = role !== "radio";
    this.#udp = new UdpSocket(
      {
        // A RADIO only sends: an ephemeral port, and a group only names where datagrams go.
        group: receives ? address.group : null,
        port: receives ? address.port : 0,
        interfaceAddress: address.interfaceAddress,
        bindAddress: receives ? address.bindAddress : "0.0.0.0",
        hops: options.multicastHops,
        loop: options.multicastLoop,
        sendBufferSize: options.sendBufferSize,
        receiveBufferSize: options.receiveBufferSize,
      },
      (datagram, from) => this.#engine.datagram(datagram, from),
      (error) => owner.emit({ type: "bind:error", address: endpoint.slice(endpoint.indexOf("://") + 3), error }),
    );
    // A RADIO sends every group down this pipe (libzmq's subscribe_to_all for udp://).
    const info = { routingId: new Uint8Array(0), address: endpoint, allGroups: true };
    const { socketEnd, peerEnd } = createPipePair(options.sendHighWaterMark, options.receiveHighWaterMark, info);
    this.#socketEnd = socketEnd;
    const target = role === "radio" ? { address: address.target, port: address.port } : null;
    const config = { role, target, maxMessageSize: options.maxMessageSize };
    this.#engine = new UdpEngine(config, peerEnd, this.#udp);
    this.#udp.onWritable = () => this.#engine.resume();
    owner.core.attachPipe(socketEnd);
  }

  /** What the engine dropped (tests and diagnostics). */
  get drops(): Readonly<UdpDrops> {
    return this.#engine.drops;
  }

  /**
   * What the socket sent is with node:dgram already; with linger (ms; -1 unbounded) the UDP socket
   * stays open until those datagrams have left, and with linger 0 it closes at once, losing them,
   * as libzmq drops what its pipe still holds.
   */
  close(linger: number): Promise<void> | null {
    if (this.#closed) return null;
    this.#closed = true;
    this.#owner.core.detachPipe(this.#socketEnd, false);
    this.#engine.close();
    const drained = linger === 0 ? null : this.#udp.drained();
    if (drained === null) {
      this.#udp.close();
      return null;
    }
    const bounded = linger < 0 ? drained : Promise.race([drained, new Promise<void>((resolve) => setTimeout(resolve, linger))]);
    return bounded.then(() => this.#udp.close());
  }
}
