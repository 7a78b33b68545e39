// The sending side of one PGM session (RFC 3208 §5.1 as OpenPGM runs it for a libzmq PUB): messages
// from the socket become APDUs of libzmq's stream (wire/pgm-stream.ts), sent as ODATA within the
// `rate`, kept in a transmit window of `recoveryInterval`'s worth of data for repairs, answered NAKs
// with an NCF and RDATA, and SPMs (a heartbeat after data, an ambient one otherwise, one per SPMR).
// Imports wire, pipe and core; the datagrams go out through the function it is given.
//
// Every reply a peer can provoke is bounded: an NCF and an RDATA per sequence number per repair
// (a repeat NAK for one already queued is ignored), at most one SPM per SPMR interval, and RDATA
// shares the rate with ODATA.

import type { Message } from "../core/message.ts";
import type { Pipe } from "../pipe/pipe.ts";
import { PGM_NAK, PGM_NCF, PGM_ODATA, PGM_RDATA, PGM_SPMR, decodePgm, encodeData, encodeNak, encodeSpm } from "../wire/pgm-packet.ts";
import { PgmStreamEncoder } from "../wire/pgm-stream.ts";
import { PgmPacer } from "./pgm-pacer.ts";

/** Where a datagram goes: the group, or one host (a NAK's sender) at the session's port. */
export type PgmDestination = "group" | { address: string };

export interface PgmSourceConfig {
  gsi: Uint8Array;
  sourcePort: number;
  /** The data-destination port: the endpoint's port. */
  port: number;
  group: string;
  /** This host's address on the interface, announced in SPMs as where NAKs go. */
  nla: string;
  /** Largest TSDU: the max TPDU less the IP, UDP and PGM headers. */
  maxTsdu: number;
  /** Bytes per second for everything sent (ZMQ_RATE is in kbit/s). */
  bytesPerSecond: number;
  /** Sequence numbers the transmit window keeps for repairs. */
  windowPackets: number;
}

/** OpenPGM's heartbeat SPM intervals after data (ms), as libzmq sets them; then the ambient one. */
const HEARTBEAT_MS = [100, 100, 100, 100, 1300, 7000, 16000, 25000, 30000];
const AMBIENT_MS = 30_000;
/** An SPMR is answered at most this often. */
const SPMR_HOLD_MS = 100;

export class PgmSource {
  readonly #config: PgmSourceConfig;
  readonly #send: (bytes: Uint8Array, to: PgmDestination) => void;
  readonly #input: Pipe;
  readonly #encoder: PgmStreamEncoder;
  readonly #pacer: PgmPacer;
  /** Sent APDUs by sequence number, oldest first (a Map keeps insertion order). */
  readonly #window = new Map<number, Uint8Array>();
  /** Sequence numbers NAKed and queued for RDATA, in order. */
  readonly #repairs = new Set<number>();
  #nextSqn = 0;
  #spmSqn = 0;
  #heartbeat = 0;
  #spmTimer: ReturnType<typeof setTimeout> | null = null;
  #lastSpmrAnswer = -Infinity;
  #closed = false;
  /** Settles a linger wait once everything queued has been sent. */
  #drained: (() => void) | null = null;

  /** `input` is the pipe from the socket; sending starts at once with an SPM. */
  constructor(config: PgmSourceConfig, input: Pipe, send: (bytes: Uint8Array, to: PgmDestination) => void) {
    this.#config = config;
    this.#send = send;
    this.#input = input;
    this.#encoder = new PgmStreamEncoder(config.maxTsdu);
    this.#pacer = new PgmPacer(config.bytesPerSecond, () => this.#pump());
    input.onReadable = () => this.#pump();
    this.#sendSpm();
    this.#pump();
  }

  get #fields() {
    return { sport: this.#config.sourcePort, dport: this.#config.port, gsi: this.#config.gsi };
  }

  get #trail(): number {
    const first = this.#window.keys().next();
    return first.done ? this.#nextSqn : first.value;
  }

  /** A datagram from the group or the port: NAKs and SPMRs for this source count, the rest is ignored. */
  datagram(bytes: Uint8Array): void {
    if (this.#closed) return;
    const decoded = decodePgm(bytes);
    if (!decoded.ok) return;
    const packet = decoded.packet;
    // Upstream packets name the source they are for by its GSI and port.
    if (packet.dport !== this.#config.sourcePort || !sameBytes(packet.tsi.gsi, this.#config.gsi)) return;
    if (packet.type === PGM_SPMR) {
      const now = performance.now();
      if (now - this.#lastSpmrAnswer < SPMR_HOLD_MS) return;
      this.#lastSpmrAnswer = now;
      this.#sendSpm(false);
      return;
    }
    if (packet.type !== PGM_NAK) return;
    const confirmed: number[] = [];
    for (const sqn of packet.sqns) {
      if (!this.#window.has(sqn) || this.#repairs.has(sqn)) continue;
      this.#repairs.add(sqn);
      confirmed.push(sqn);
    }
    if (confirmed.length === 0) return;
    // The NCF tells every receiver the repair is coming, so they hold back their own NAKs.
    this.#send(encodeNak(PGM_NCF, this.#fields, confirmed, this.#config.nla, this.#config.group), "group");
    this.#pump();
  }

  /** Sends what is queued (repairs first) as far as the rate allows; re-entered by the pacer. */
  #pump(): void {
    if (this.#closed) return;
    const { maxTsdu } = this.#config;
    for (;;) {
      const repair = this.#repairs.values().next();
      if (!repair.done) {
        const apdu = this.#window.get(repair.value);
        this.#repairs.delete(repair.value);
        if (apdu === undefined) continue;
        if (!this.#pacer.take(apdu.length)) {
          this.#repairs.add(repair.value);
          return;
        }
        this.#send(encodeData(PGM_RDATA, this.#fields, repair.value, this.#trail, apdu), "group");
        continue;
      }
      // Keep a full APDU's worth encoded ahead, so packets go out full when messages are small.
      while (this.#encoder.pending < maxTsdu) {
        const message: Message | undefined = this.#input.read();
        if (message === undefined) break;
        this.#encoder.push(message);
      }
      if (this.#encoder.pending === 0) break;
      if (!this.#pacer.take(Math.min(this.#encoder.pending + 2, maxTsdu))) return;
      this.#sendOdata(this.#encoder.next()!);
    }
    if (this.#drained !== null && this.#input.size === 0) {
      this.#drained();
      this.#drained = null;
    }
  }

  #sendOdata(apdu: Uint8Array): void {
    const sqn = this.#nextSqn;
    this.#nextSqn = (sqn + 1) >>> 0;
    this.#window.set(sqn, apdu);
    if (this.#window.size > this.#config.windowPackets) this.#window.delete(this.#trail);
    this.#send(encodeData(PGM_ODATA, this.#fields, sqn, this.#trail, apdu), "group");
    // Data restarts the heartbeat, so a receiver that lost the tail hears of it soon.
    this.#heartbeat = 0;
    this.#scheduleSpm(HEARTBEAT_MS[0]!);
  }

  #sendSpm(reschedule = true): void {
    const lead = (this.#nextSqn - 1) >>> 0;
    this.#send(encodeSpm(this.#fields, this.#spmSqn, this.#trail, lead, this.#config.nla), "group");
    this.#spmSqn = (this.#spmSqn + 1) >>> 0;
    if (!reschedule) return;
    const next = this.#heartbeat < HEARTBEAT_MS.length - 1 ? HEARTBEAT_MS[++this.#heartbeat]! : AMBIENT_MS;
    this.#scheduleSpm(next);
  }

  #scheduleSpm(ms: number): void {
    if (this.#spmTimer !== null) clearTimeout(this.#spmTimer);
    this.#spmTimer = setTimeout(() => this.#sendSpm(), ms);
    this.#spmTimer.unref?.();
  }

  /** Resolves once the socket's queue is sent (bounded by the caller's linger), or at once if empty. */
  drain(): Promise<void> {
    if (this.#input.size === 0 && this.#encoder.pending === 0) return Promise.resolve();
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#drained = resolve;
    return promise;
  }

  close(): void {
    this.#closed = true;
    if (this.#spmTimer !== null) clearTimeout(this.#spmTimer);
    this.#pacer.close();
    this.#input.onReadable = () => {};
    this.#window.clear();
    this.#repairs.clear();
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
