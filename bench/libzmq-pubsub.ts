// libzmq PUB and SUB over raw bun:ffi for bench/pub-fanout.ts, the same fair method as
// bench/libzmq-raw.ts (zmq_send from one reused buffer; zmq_msg_recv into one reused zmq_msg_t, no
// copy out; one context and I/O thread per socket), plus what RawSocket cannot do: an empty
// ZMQ_SUBSCRIBE (subscribe to everything). RawSocket keeps its handle private, hence this file.

import type { Pointer } from "bun:ffi";
import { cBuffer, cString, EAGAIN, EINTR, libzmq, ZMQ } from "../scripts/libzmq/symbols.ts";

const Z = libzmq();

function fail(what: string): never {
  const errno = Z.zmq_errno();
  throw new Error(`${what}: ${String(Z.zmq_strerror(errno))} (errno ${errno})`);
}

export class PubSubSocket {
  readonly #context: Pointer;
  #socket: Pointer | null;
  readonly #msg = cBuffer(64);
  readonly #option = cBuffer(256);

  constructor(type: typeof ZMQ.PUB | typeof ZMQ.SUB) {
    this.#context = (Z.zmq_ctx_new() as Pointer | null) ?? fail("zmq_ctx_new");
    this.#socket = (Z.zmq_socket(this.#context, type) as Pointer | null) ?? fail("zmq_socket");
    if (Z.zmq_msg_init(this.#msg) !== 0) fail("zmq_msg_init");
  }

  setInt(option: number, value: number): void {
    new DataView(this.#option.buffer).setInt32(0, value, true);
    if (Z.zmq_setsockopt(this.#live(), option, this.#option, 4) !== 0) fail(`zmq_setsockopt(${option})`);
  }

  /** ZMQ_SUBSCRIBE with an empty prefix: everything. */
  subscribeAll(): void {
    if (Z.zmq_setsockopt(this.#live(), ZMQ.SUBSCRIBE, this.#option, 0) !== 0) fail("zmq_setsockopt(SUBSCRIBE)");
  }

  bind(endpoint: string): void {
    if (Z.zmq_bind(this.#live(), cString(endpoint)) !== 0) fail(`zmq_bind(${endpoint})`);
  }

  connect(endpoint: string): void {
    if (Z.zmq_connect(this.#live(), cString(endpoint)) !== 0) fail(`zmq_connect(${endpoint})`);
  }

  get lastEndpoint(): string {
    const length = new BigUint64Array(new ArrayBuffer(8));
    length[0] = BigInt(this.#option.length);
    if (Z.zmq_getsockopt(this.#live(), ZMQ.LAST_ENDPOINT, this.#option, length) !== 0) fail("zmq_getsockopt(LAST_ENDPOINT)");
    const n = Number(length[0]);
    return new TextDecoder().decode(this.#option.subarray(0, n > 0 && this.#option[n - 1] === 0 ? n - 1 : n));
  }

  /**
   * Sends `count` messages of `length` bytes from `body` (a cBuffer). Blocks while full only with
   * ZMQ_XPUB_NODROP; throws when SNDTIMEO expires. `flags` = ZMQ.DONTWAIT never blocks.
   */
  sendMany(body: Uint8Array, length: number, count: number, flags = 0): void {
    const socket = this.#live();
    const send = Z.zmq_send;
    for (let i = 0; i < count; i++) {
      while (send(socket, body, length, flags) === -1) {
        const errno = Z.zmq_errno();
        if (errno === EAGAIN) {
          if (flags !== 0) return;
          throw new Error(`zmq_send: no room until SNDTIMEO expired (message ${i} of ${count}; subscriber stuck?)`);
        }
        if (errno !== EINTR) fail("zmq_send");
      }
    }
  }

  /** Receives one message into the reused zmq_msg_t; its size, or -1 when RCVTIMEO expired. */
  receiveSize(): number {
    for (;;) {
      const size = Z.zmq_msg_recv(this.#msg, this.#live(), 0);
      if (size >= 0) return size;
      const errno = Z.zmq_errno();
      if (errno === EAGAIN) return -1;
      if (errno !== EINTR) fail("zmq_msg_recv");
    }
  }

  close(linger = 0): void {
    if (this.#socket === null) return;
    this.setInt(ZMQ.LINGER, linger);
    Z.zmq_msg_close(this.#msg);
    Z.zmq_close(this.#socket);
    this.#socket = null;
    while (Z.zmq_ctx_term(this.#context) === -1 && Z.zmq_errno() === EINTR);
  }

  #live(): Pointer {
    if (this.#socket === null) throw new Error("libzmq socket is closed");
    return this.#socket;
  }
}
