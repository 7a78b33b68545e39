// The DRAFT API of a libzmq built with it (4.3.5 from shared/peers/, see library.ts): groups
// (zmq_join, zmq_leave, zmq_msg_set_group, zmq_msg_group), routing ids (zmq_msg_set_routing_id,
// zmq_msg_routing_id) and zmq_connect_peer, over one LibzmqSocket. These symbols exist only in a
// DRAFT build, so they are opened apart from library.ts's table. Imports nothing outside this folder.

import { dlopen, FFIType as T, toArrayBuffer, type Pointer } from "bun:ffi";
import { EAGAIN, EINTR, ZMQ } from "./constants.ts";
import { check, LibzmqError } from "./errors.ts";
import { cBuffer, cString, type Libzmq } from "./library.ts";
import { pollUntil } from "./poll.ts";
import type { LibzmqSocket } from "./socket.ts";

function openDraftSymbols(path: string) {
  return dlopen(path, {
    zmq_join: { args: [T.ptr, T.ptr], returns: T.i32 },
    zmq_leave: { args: [T.ptr, T.ptr], returns: T.i32 },
    zmq_msg_init: { args: [T.ptr], returns: T.i32 },
    zmq_msg_init_size: { args: [T.ptr, T.u64], returns: T.i32 },
    zmq_msg_data: { args: [T.ptr], returns: T.ptr },
    zmq_msg_size: { args: [T.ptr], returns: T.u64_fast },
    zmq_msg_send: { args: [T.ptr, T.ptr, T.i32], returns: T.i32 },
    zmq_msg_recv: { args: [T.ptr, T.ptr, T.i32], returns: T.i32 },
    zmq_msg_close: { args: [T.ptr], returns: T.i32 },
    zmq_msg_set_group: { args: [T.ptr, T.ptr], returns: T.i32 },
    zmq_msg_group: { args: [T.ptr], returns: T.cstring },
    zmq_msg_set_routing_id: { args: [T.ptr, T.u32], returns: T.i32 },
    zmq_msg_routing_id: { args: [T.ptr], returns: T.u32 },
    zmq_connect_peer: { args: [T.ptr, T.ptr], returns: T.u32 },
    zmq_errno: { args: [], returns: T.i32 },
  }).symbols;
}

type DraftSymbols = ReturnType<typeof openDraftSymbols>;
const opened = new Map<string, DraftSymbols>();

/** What a DRAFT message carries beside its one frame. */
export interface DraftEnvelope {
  /** SERVER, PEER: the peer's routing id (0: none). */
  routingId?: number;
  /** RADIO, DISH: the group (a C string, so no NUL). */
  group?: string;
}

/** One received DRAFT message: its body, routing id (0 if none) and group ("" if none). */
export interface DraftMessage {
  body: Buffer;
  routingId: number;
  group: string;
}

/** A LibzmqSocket of a DRAFT build, with the draft calls. Not thread-safe; one thread per socket. */
export class LibzmqDraftSocket {
  readonly socket: LibzmqSocket;
  readonly #library: Libzmq;
  readonly #z: DraftSymbols;
  readonly #msg = cBuffer(64);

  constructor(socket: LibzmqSocket) {
    this.socket = socket;
    this.#library = socket.context.library;
    let symbols = opened.get(this.#library.path);
    if (symbols === undefined) {
      symbols = openDraftSymbols(this.#library.path);
      opened.set(this.#library.path, symbols);
    }
    this.#z = symbols;
  }

  join(group: string): void {
    check(this.#library, this.#z.zmq_join(this.socket.handle, cString(group)), `zmq_join(${group})`);
  }

  leave(group: string): void {
    check(this.#library, this.#z.zmq_leave(this.socket.handle, cString(group)), `zmq_leave(${group})`);
  }

  /** zmq_connect_peer: the routing id of the new connection (0 and a throw on failure). */
  connectPeer(endpoint: string): number {
    const id = this.#z.zmq_connect_peer(this.socket.handle, cString(endpoint));
    if (id === 0) throw new LibzmqError(this.#library, this.#z.zmq_errno(), `zmq_connect_peer(${endpoint})`);
    return id;
  }

  /** Queues one frame with its envelope (DONTWAIT); false on EAGAIN. Throws other errors (EHOSTUNREACH, EINVAL). */
  trySend(body: Uint8Array | string, envelope: DraftEnvelope = {}, flags: number = ZMQ.DONTWAIT): boolean {
    const z = this.#z;
    const bytes = typeof body === "string" ? Buffer.from(body) : body;
    const msg = this.#msg;
    check(this.#library, z.zmq_msg_init_size(msg, bytes.length), "zmq_msg_init_size");
    if (bytes.length > 0) new Uint8Array(toArrayBuffer(z.zmq_msg_data(msg) as Pointer, 0, bytes.length)).set(bytes);
    if (envelope.routingId !== undefined) check(this.#library, z.zmq_msg_set_routing_id(msg, envelope.routingId), "zmq_msg_set_routing_id");
    if (envelope.group !== undefined) check(this.#library, z.zmq_msg_set_group(msg, cString(envelope.group)), "zmq_msg_set_group");
    for (;;) {
      if (z.zmq_msg_send(msg, this.socket.handle, flags) >= 0) return true;
      const errno = z.zmq_errno();
      if (errno === EINTR) continue;
      z.zmq_msg_close(msg);
      if (errno === EAGAIN) return false;
      throw new LibzmqError(this.#library, errno, `zmq_msg_send on libzmq ${this.socket.typeName}`);
    }
  }

  /** Bounded async send: retries trySend until libzmq takes the message. */
  async send(body: Uint8Array | string, envelope: DraftEnvelope = {}, timeoutMs = 5000): Promise<void> {
    await pollUntil(() => (this.trySend(body, envelope) ? true : null), timeoutMs, `libzmq ${this.socket.typeName} to accept a message`);
  }

  /** One message if ready (DONTWAIT), else null. */
  tryReceive(flags: number = ZMQ.DONTWAIT): DraftMessage | null {
    const z = this.#z;
    const msg = this.#msg;
    check(this.#library, z.zmq_msg_init(msg), "zmq_msg_init");
    try {
      while (z.zmq_msg_recv(msg, this.socket.handle, flags) === -1) {
        const errno = z.zmq_errno();
        if (errno === EINTR) continue;
        if (errno === EAGAIN) return null;
        throw new LibzmqError(this.#library, errno, `zmq_msg_recv on libzmq ${this.socket.typeName}`);
      }
      const size = Number(z.zmq_msg_size(msg));
      const body = Buffer.alloc(size);
      if (size > 0) body.set(new Uint8Array(toArrayBuffer(z.zmq_msg_data(msg) as Pointer, 0, size)));
      const group = z.zmq_msg_group(msg);
      return { body, routingId: z.zmq_msg_routing_id(msg), group: group === null ? "" : String(group) };
    } finally {
      z.zmq_msg_close(msg);
    }
  }

  /**
   * Fast path for benches (as C would echo): receives one message (blocking, up to RCVTIMEO) and
   * sends that same zmq_msg_t back, routing id and all, so a SERVER's echo reaches its sender.
   * Returns the size, or -1 when RCVTIMEO expired.
   */
  echo(): number {
    const z = this.#z;
    const msg = this.#msg;
    check(this.#library, z.zmq_msg_init(msg), "zmq_msg_init");
    while (z.zmq_msg_recv(msg, this.socket.handle, 0) === -1) {
      const errno = z.zmq_errno();
      if (errno === EINTR) continue;
      z.zmq_msg_close(msg);
      if (errno === EAGAIN) return -1;
      throw new LibzmqError(this.#library, errno, `zmq_msg_recv on libzmq ${this.socket.typeName}`);
    }
    const size = Number(z.zmq_msg_size(msg));
    while (z.zmq_msg_send(msg, this.socket.handle, 0) === -1) {
      const errno = z.zmq_errno();
      if (errno === EINTR) continue;
      z.zmq_msg_close(msg);
      throw new LibzmqError(this.#library, errno, `zmq_msg_send (echo) on libzmq ${this.socket.typeName}`);
    }
    return size;
  }

  /** Bounded async receive. */
  receive(timeoutMs = 5000): Promise<DraftMessage> {
    return pollUntil(() => this.tryReceive(), timeoutMs, `a message on libzmq ${this.socket.typeName}`);
  }
}
