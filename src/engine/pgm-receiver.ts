// The receiving side of a PGM session (RFC 3208 §5.3 as OpenPGM runs it for a libzmq SUB): one
// receive window per sender (TSI) that puts ODATA/RDATA back in order, NAKs gaps after a random
// back-off (RFC §5.3: NAK, wait for NCF, wait for RDATA, each with bounded retries; an NCF or another
// receiver's NAK heard during the back-off suppresses its own), and gives up on
// what the sender can no longer repair (its trail passed it, or the retries ran out). Then, as
// libzmq does, the partial message is dropped and that sender's stream resumes at the next message
// boundary; bunzmq also reports the lost range (`onLoss`). Imports wire and core.
//
// A late joiner starts at the first packet it hears and NAKs nothing before it; its decoder skips
// to the first APDU that starts a message (wire/pgm-stream.ts).

import type { Message } from "../core/message.ts";
import {
  MAX_NAK_LIST,
  PGM_NAK,
  PGM_NCF,
  PGM_ODATA,
  PGM_RDATA,
  PGM_SPM,
  type PgmPacket,
  type Tsi,
  decodePgm,
  encodeNak,
  tsiText,
} from "../wire/pgm-packet.ts";
import { PgmStreamDecoder } from "../wire/pgm-stream.ts";
import type { PgmDestination } from "./pgm-source.ts";

/** OpenPGM's receiver timings as libzmq sets them (ms), and our bounds on retries. */
export const NAK_BACKOFF_MS = 50;
export const NAK_REPEAT_MS = 200;
const NAK_RDATA_MS = 200;
const NCF_RETRIES = 10;
const DATA_RETRIES = 10;
/** How far ahead of the next expected packet a sender may run before the oldest gap counts as lost. */
export const MAX_AHEAD = 4096;
/** Senders tracked at once; datagrams from more are dropped. */
export const MAX_PEERS = 256;
const TICK_MS = 20;

type NakState = { phase: "backoff" | "wait-ncf" | "wait-data"; due: number; ncfTries: number; dataTries: number };

interface Peer {
  tsi: Tsi;
  name: string;
  /** Where NAKs go: the SPM's NLA, else the address the data came from. */
  nla: string;
  next: number;
  defined: boolean;
  buffered: Map<number, Uint8Array>;
  naks: Map<number, NakState>;
  decoder: PgmStreamDecoder;
}

export interface PgmReceiverConfig {
  port: number;
  group: string;
  maxMessageSize: number;
}

export interface PgmReceiverEvents {
  message(message: Message): void;
  /** Sequence numbers `first`..`last` from `sender` ("gsi.sport") are gone for good. */
  loss(sender: string, first: number, last: number): void;
  send(bytes: Uint8Array, to: PgmDestination): void;
}

/** Serial-number comparison (RFC 1982, 32 bits): a before b. */
function before(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

export class PgmReceiver {
  readonly #config: PgmReceiverConfig;
  readonly #events: PgmReceiverEvents;
  readonly #peers = new Map<string, Peer>();
  #timer: ReturnType<typeof setInterval> | null = null;
  /** Datagrams dropped as unusable or unwanted, for tests and diagnostics. */
  dropped = 0;

  constructor(config: PgmReceiverConfig, events: PgmReceiverEvents) {
    this.#config = config;
    this.#events = events;
  }

  /** A datagram that arrived from `from`: SPM, ODATA, RDATA and NCF count, the rest is ignored. */
  datagram(bytes: Uint8Array, from: string): void {
    const decoded = decodePgm(bytes);
    if (!decoded.ok) return void this.dropped++;
    this.receive(decoded.packet, from);
  }

  receive(packet: PgmPacket, from: string): void {
    if (packet.type === PGM_NAK) return this.#overheard(packet);
    if (packet.dport !== this.#config.port) return void this.dropped++;
    if (packet.type !== PGM_SPM && packet.type !== PGM_ODATA && packet.type !== PGM_RDATA && packet.type !== PGM_NCF) return;
    const peer = this.#peer(packet.tsi, from);
    if (peer === null) return void this.dropped++;
    if ("sqns" in packet) {
      const now = performance.now();
      for (const sqn of packet.sqns) {
        const state = peer.naks.get(sqn);
        if (state !== undefined && state.phase !== "wait-data") Object.assign(state, { phase: "wait-data", due: now + NAK_RDATA_MS });
      }
      return;
    }
    if ("lead" in packet) {
      if (packet.nla !== "") peer.nla = packet.nla;
      if (!peer.defined) {
        peer.next = (packet.lead + 1) >>> 0;
        peer.defined = true;
        return;
      }
      this.#expire(peer, packet.trail);
      // The lead says what was sent: a lost tail is NAKed as soon as the heartbeat tells of it.
      this.#gap(peer, (packet.lead + 1) >>> 0);
      return;
    }
    if (!("data" in packet)) return;
    // Packets libzmq never sends: fragments of APDUs larger than one TSDU.
    if (packet.fragment !== null) return void this.dropped++;
    if (!peer.defined) {
      peer.next = packet.sqn;
      peer.defined = true;
    }
    this.#expire(peer, packet.trail);
    if (before(packet.sqn, peer.next) || peer.buffered.has(packet.sqn)) return;
    peer.naks.delete(packet.sqn);
    peer.buffered.set(packet.sqn, packet.data);
    this.#gap(peer, packet.sqn);
    this.#deliver(peer);
  }

  /**
   * Another receiver's NAK (to the group, or, on pgm://, any this host hears): RFC 3208 NAK
   * suppression. A sequence number still in its back-off is treated as if this receiver had NAKed
   * it: it waits for the NCF, and NAKs itself only if none comes.
   */
  #overheard(nak: PgmPacket & { sqns: number[] }): void {
    // Upstream packets swap the ports: the source's port is the destination, ours the source.
    if (nak.tsi.sourcePort !== this.#config.port) return;
    const peer = this.#peers.get(tsiText({ gsi: nak.tsi.gsi, sourcePort: nak.dport }));
    if (peer === undefined) return;
    const now = performance.now();
    for (const sqn of nak.sqns) {
      const state = peer.naks.get(sqn);
      if (state?.phase === "backoff") Object.assign(state, { phase: "wait-ncf", due: now + NAK_REPEAT_MS });
    }
  }

  #peer(tsi: Tsi, from: string): Peer | null {
    const name = tsiText(tsi);
    const known = this.#peers.get(name);
    if (known !== undefined) return known;
    if (this.#peers.size >= MAX_PEERS) return null;
    const peer: Peer = {
      tsi,
      name,
      nla: from,
      next: 0,
      defined: false,
      buffered: new Map(),
      naks: new Map(),
      decoder: new PgmStreamDecoder(this.#config.maxMessageSize),
    };
    this.#peers.set(name, peer);
    return peer;
  }

  /** Arms NAKs for every sequence number from `next` up to (not including) `upTo` not yet held. */
  #gap(peer: Peer, upTo: number): void {
    if (!before(peer.next, upTo)) return;
    // Too far ahead to keep: what lies beyond MAX_AHEAD behind `upTo` is given up at once.
    if ((upTo - peer.next) >>> 0 > MAX_AHEAD) this.#expire(peer, (upTo - MAX_AHEAD) >>> 0);
    const now = performance.now();
    for (let sqn = peer.next; before(sqn, upTo); sqn = (sqn + 1) >>> 0) {
      if (peer.buffered.has(sqn) || peer.naks.has(sqn)) continue;
      peer.naks.set(sqn, { phase: "backoff", due: now + Math.random() * NAK_BACKOFF_MS, ncfTries: 0, dataTries: 0 });
    }
    if (peer.naks.size > 0 && this.#timer === null) {
      this.#timer = setInterval(() => this.#tick(), TICK_MS);
      this.#timer.unref?.();
    }
  }

  /** The sender no longer holds anything before `trail`: what is still missing there is lost. */
  #expire(peer: Peer, trail: number): void {
    let first = -1;
    let last = -1;
    while (before(peer.next, trail)) {
      const apdu = peer.buffered.get(peer.next);
      if (apdu === undefined) {
        if (first < 0) first = peer.next;
        last = peer.next;
        peer.naks.delete(peer.next);
      } else {
        if (first >= 0) this.#lost(peer, first, last);
        first = -1;
        peer.buffered.delete(peer.next);
        this.#feed(peer, apdu);
      }
      peer.next = (peer.next + 1) >>> 0;
    }
    if (first >= 0) this.#lost(peer, first, last);
    this.#deliver(peer);
  }

  #lost(peer: Peer, first: number, last: number): void {
    peer.decoder.reset();
    this.#events.loss(peer.name, first, last);
  }

  /** Feeds the decoder every packet now in order. */
  #deliver(peer: Peer): void {
    for (;;) {
      const apdu = peer.buffered.get(peer.next);
      if (apdu === undefined) return;
      peer.buffered.delete(peer.next);
      peer.next = (peer.next + 1) >>> 0;
      this.#feed(peer, apdu);
    }
  }

  #feed(peer: Peer, apdu: Uint8Array): void {
    const { messages, fault } = peer.decoder.feed(apdu);
    for (const message of messages) this.#events.message(message);
    if (fault !== null) this.dropped++;
  }

  /** Sends due NAKs (batched per sender), and gives up on sequence numbers out of retries. */
  #tick(): void {
    const now = performance.now();
    let pending = 0;
    for (const peer of this.#peers.values()) {
      const nak: number[] = [];
      let giveUpTo = -1;
      for (const [sqn, state] of peer.naks) {
        if (state.due > now) continue;
        if (state.phase === "wait-data") {
          state.phase = "backoff";
          state.due = now + Math.random() * NAK_BACKOFF_MS;
          if (++state.dataTries > DATA_RETRIES) giveUpTo = sqn;
          continue;
        }
        if (nak.length > MAX_NAK_LIST) continue;
        if (++state.ncfTries > NCF_RETRIES) {
          giveUpTo = sqn;
          continue;
        }
        state.phase = "wait-ncf";
        state.due = now + NAK_REPEAT_MS;
        nak.push(sqn);
      }
      if (giveUpTo >= 0) this.#expire(peer, (giveUpTo + 1) >>> 0);
      if (nak.length > 0) {
        const fields = { sport: this.#config.port, dport: peer.tsi.sourcePort, gsi: peer.tsi.gsi };
        const bytes = encodeNak(PGM_NAK, fields, nak, peer.nla, this.#config.group);
        this.#events.send(bytes, { address: peer.nla });
        // Also to the group: a unicast NAK to a source on this host reaches whichever socket shares
        // the port (SO_REUSEPORT picks one), so it may never reach the source; the group reaches all.
        this.#events.send(bytes, "group");
      }
      pending += peer.naks.size;
    }
    if (pending === 0 && this.#timer !== null) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
  }

  close(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    this.#peers.clear();
  }
}
