// The udp:// engine (libzmq's udp_engine_t): turns a socket's messages into datagrams and datagrams
// into messages, for RADIO (sends only), DISH (receives only) and DGRAM (both). It holds no socket:
// the session hands it each datagram and gives it a `send` to write one, so it is tested without a
// network. Imports wire, pipe and core.
//
// A datagram is whole or nothing: one that does not decode (truncated, a group length past its
// end, a DGRAM address that is not "ip:port"), one over libzmq's 8192 bytes or the socket's
// maxMessageSize, and one that arrives while the socket's queue is full are dropped and counted,
// never thrown, as libzmq ignores them.

import type { Message } from "../core/message.ts";
import type { PipeEnd } from "../pipe/pipe-end.ts";
import { MAX_UDP_DATAGRAM, decodeGroupDatagram, decodePeerFrame, encodeGroupDatagram, encodePeerFrame } from "../wire/udp-datagram.ts";

export type UdpRole = "radio" | "dish" | "dgram";

export interface UdpEngineConfig {
  role: UdpRole;
  /** Where a RADIO sends every datagram; unused by the other roles. */
  target: { address: string; port: number } | null;
  /** The socket's maxMessageSize: a longer body is dropped (-1: no bound but the datagram's). */
  maxMessageSize: number;
}

/** Why datagrams or messages were dropped, counted for tests and diagnostics. */
export interface UdpDrops {
  /** Received datagrams that did not decode. */
  malformed: number;
  /** Received datagrams the socket's queue had no room for. */
  full: number;
  /** Received bodies over maxMessageSize, and messages too large to send as one datagram. */
  oversized: number;
  /** DGRAM messages whose first frame was no "ip:port" (libzmq discards them). */
  unaddressed: number;
}

/** Where the engine's datagrams go: the session's UDP socket. */
export interface DatagramSink {
  send(datagram: Uint8Array, address: string, port: number): void;
  /** False while the socket holds as many unsent datagrams as it takes; the session then calls resume(). */
  readonly writable: boolean;
}

export class UdpEngine {
  readonly drops: UdpDrops = { malformed: 0, full: 0, oversized: 0, unaddressed: 0 };
  readonly #config: UdpEngineConfig;
  readonly #end: PipeEnd;
  readonly #sink: DatagramSink;
  #closed = false;

  /** `end` is the session's end of the socket's pipe: messages to send arrive on its inbound side. */
  constructor(config: UdpEngineConfig, end: PipeEnd, sink: DatagramSink) {
    this.#config = config;
    this.#end = end;
    this.#sink = sink;
    // The socket writes and this drains at once into the UDP socket while it takes more; then the
    // pipe fills to the high-water mark, where a Radio drops and a Datagram's send() waits.
    end.inbound.onReadable = () => this.resume();
    this.resume();
  }

  /** Sends what the socket queued, as far as the UDP socket takes it (a DISH discards it all). */
  resume(): void {
    const inbound = this.#end.inbound;
    const discard = this.#config.role === "dish";
    while (!this.#closed && (discard || this.#sink.writable)) {
      const message = inbound.read();
      if (message === undefined) return;
      this.#outgoing(message);
    }
  }

  /** One datagram from `from`; whatever is wrong with it drops it. */
  datagram(bytes: Uint8Array, from: { address: string; port: number }): void {
    if (this.#closed) return;
    const { role, maxMessageSize } = this.#config;
    if (role === "radio") return;
    let message: Message;
    if (role === "dish") {
      const decoded = decodeGroupDatagram(bytes);
      if (decoded === null) {
        this.drops.malformed++;
        return;
      }
      message = [decoded.group, decoded.body];
    } else message = [encodePeerFrame(from.address, from.port), bytes];
    if (maxMessageSize >= 0 && message[1]!.length > maxMessageSize) {
      this.drops.oversized++;
      return;
    }
    const outbound = this.#end.outbound;
    if (!outbound.canWrite()) {
      this.drops.full++;
      return;
    }
    outbound.write(message);
  }

  close(): void {
    this.#closed = true;
    this.#end.inbound.onReadable = () => {};
  }

  #outgoing(message: Message): void {
    if (this.#closed) return;
    const role = this.#config.role;
    // A DISH's JOIN and LEAVE have nowhere to go: a DISH filters what arrives itself.
    if (role === "dish" || message.isGroupCommand === true || message.length !== 2) return;
    if (role === "radio") {
      const datagram = encodeGroupDatagram(message[0]!, message[1]!);
      const target = this.#config.target!;
      if (datagram === null) this.drops.oversized++;
      else this.#sink.send(datagram, target.address, target.port);
      return;
    }
    const peer = decodePeerFrame(message[0]!);
    if (peer === null) this.drops.unaddressed++;
    else if (message[1]!.length > MAX_UDP_DATAGRAM) this.drops.oversized++;
    else this.#sink.send(message[1]!, peer.address, peer.port);
  }
}
