// STREAM (libzmq ZMQ_STREAM): raw TCP peers addressed by routing id; never speaks ZMTP.
// Imports pipe and core only. Messages are `[routingId, data]` both ways.

import { ZmqError } from "../core/errors.ts";
import type { Message } from "../core/message.ts";
import { SocketType } from "../core/socket-type.ts";
import type { PipeEnd } from "../pipe/pipe-end.ts";
import { SocketBase } from "./socket-base.ts";

const EMPTY = new Uint8Array(0);
const ID_BYTES = 5;

/** Map key of a routing id (1 to 255 bytes): one char per byte. */
function idKey(id: Uint8Array): string {
  return String.fromCharCode(...id);
}

/**
 * Each attached pipe is one TCP connection. Its pipe carries one-frame messages (the raw engine's
 * protocol, engine/raw-engine.ts): received chunks and, with `notify`, empty connect/disconnect
 * notifications towards us; data and the empty close marker towards the peer.
 *
 * Invariants: `#byKey` maps the routing id of every attached pipe the user has not closed to that
 * pipe; `#readers` holds every pipe still to be read (detached ones until drained), and `#ids` has
 * an entry for each pipe in `#readers` or `#byKey`.
 */
export class StreamSocket extends SocketBase {
  // Each connection gets its own pipe and its own routing id, created when it is up.
  override readonly attachesOnHandshake = true;
  override readonly raw = true;
  /** ZMQ_STREAM_NOTIFY (default on, as libzmq); read when each connection's engine is made. */
  notify = true;
  /** libzmq starts its auto ids at a random uint32, so ids of one socket's successive runs differ. */
  #nextId = (Math.random() * 0x1_0000_0000) >>> 0;
  readonly #byKey = new Map<string, PipeEnd>();
  readonly #ids = new Map<PipeEnd, Uint8Array>();
  #readers: PipeEnd[] = [];
  #nextReader = 0;
  /** The last message refused at the high-water mark, so a retry whose peer vanished is dropped, not thrown. */
  #refused: Message | null = null;

  constructor() {
    super(SocketType.Stream);
  }

  /**
   * `[routingId, data]`: queues `data` raw for that peer, or, when `data` is empty, closes that
   * connection after what was queued before. Throws EHOSTUNREACH for an unknown routing id and
   * EINVAL for any other shape; false means the peer's pipe is at its high-water mark.
   */
  trySend(message: Message): boolean {
    if (message.length !== 2) {
      throw new ZmqError("EINVAL", `STREAM messages have two frames, [routingId, data]; got ${message.length}`);
    }
    const end = this.#byKey.get(idKey(message[0]!));
    if (end === undefined) {
      // A retry after the high-water mark whose peer left meanwhile: dropped like the messages that
      // were already queued for it, so no error escapes from inside a pipe callback.
      if (this.#refused === message) return !(this.#refused = null);
      throw new ZmqError("EHOSTUNREACH", "No STREAM peer has this routing id (it disconnected, or never existed)");
    }
    const data = message[1]!;
    const outbound = end.outbound;
    if (data.length === 0) {
      // libzmq terminates the pipe at once: the id stops routing and unread input is dropped.
      this.#byKey.delete(idKey(message[0]!));
      this.#removeReader(end);
      this.discardInbound(end);
      outbound.write([EMPTY]);
      return !(this.#refused = null);
    }
    if (!outbound.canWrite()) {
      this.#refused = message;
      return false;
    }
    this.#refused = null;
    outbound.write([data]);
    return true;
  }

  /** `[routingId, data]` in fair order over connections; `data` is empty for a notification. */
  tryReceive(): Message | undefined {
    const readers = this.#readers;
    for (let tried = 0; tried < readers.length; ) {
      if (this.#nextReader >= readers.length) this.#nextReader = 0;
      const end = readers[this.#nextReader]!;
      const message = end.inbound.read();
      if (message !== undefined) {
        this.#nextReader++;
        return [this.#ids.get(end)!, message[0] ?? EMPTY];
      }
      if (end.inbound.ended) {
        this.#removeReader(end);
        continue;
      }
      this.#nextReader++;
      tried++;
    }
    return undefined;
  }

  // libzmq's STREAM is always writable: whether a send fits depends on the peer it names.
  get writable(): boolean {
    return true;
  }

  get readable(): boolean {
    for (const end of this.#readers) if (end.inbound.size > 0) return true;
    return false;
  }

  // libzmq identify_peer: the connect() routing id if given (and free), else 0x00 + uint32.
  protected onPipeAttached(end: PipeEnd): void {
    let id = end.peer.routingId;
    if (id.length === 0 || this.#byKey.has(idKey(id))) id = this.#allocateId();
    this.#ids.set(end, id);
    this.#byKey.set(idKey(id), end);
    this.#readers.push(end);
  }

  // The pipe stays readable until drained: data that arrived before the disconnect, and the
  // disconnect notification, are still delivered under its id.
  protected onPipeDetached(end: PipeEnd): void {
    const key = idKey(this.#ids.get(end) ?? EMPTY);
    if (this.#byKey.get(key) === end) this.#byKey.delete(key);
    this.#forgetIfUnused(end);
  }

  #allocateId(): Uint8Array {
    for (;;) {
      const id = new Uint8Array(ID_BYTES);
      new DataView(id.buffer).setUint32(1, this.#nextId);
      this.#nextId = (this.#nextId + 1) >>> 0;
      if (!this.#byKey.has(idKey(id))) return id;
    }
  }

  #removeReader(end: PipeEnd): void {
    const index = this.#readers.indexOf(end);
    if (index < 0) return;
    this.#readers.splice(index, 1);
    if (this.#nextReader > index) this.#nextReader--;
    this.#forgetIfUnused(end);
  }

  #forgetIfUnused(end: PipeEnd): void {
    const id = this.#ids.get(end);
    if (id === undefined || this.#readers.includes(end) || this.#byKey.get(idKey(id)) === end) return;
    this.#ids.delete(end);
  }
}
