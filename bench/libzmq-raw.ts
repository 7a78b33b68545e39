// The few libzmq calls the throughput bench needs, as raw bun:ffi symbols: the fair libzmq method of
// perf-anchors caveat 4 (zmq_send from one reused buffer; zmq_msg_recv into one reused zmq_msg_t,
// no copy out). scripts/libzmq/ffi.ts copies every received frame into a Buffer and hides the
// socket handle, which is right for tests and wrong for a throughput baseline. Also the frame-wise
// send/receive with timeouts that scripts/demo-libzmq-peer.ts needs. Dev-only; never imported by
// src/. Every buffer handed to C is backed by an explicit ArrayBuffer (Bun #32054).

import { dlopen, FFIType as T, toArrayBuffer, type Pointer } from "bun:ffi";
import { ZMQ } from "../scripts/libzmq/ffi.ts";

export { ZMQ };

const Z = dlopen("libzmq.so.5", {
  zmq_version: { args: [T.ptr, T.ptr, T.ptr], returns: T.void },
  zmq_errno: { args: [], returns: T.i32 },
  zmq_strerror: { args: [T.i32], returns: T.cstring },
  zmq_ctx_new: { args: [], returns: T.ptr },
  zmq_ctx_term: { args: [T.ptr], returns: T.i32 },
  zmq_socket: { args: [T.ptr, T.i32], returns: T.ptr },
  zmq_close: { args: [T.ptr], returns: T.i32 },
  zmq_setsockopt: { args: [T.ptr, T.i32, T.ptr, T.u64], returns: T.i32 },
  zmq_getsockopt: { args: [T.ptr, T.i32, T.ptr, T.ptr], returns: T.i32 },
  zmq_bind: { args: [T.ptr, T.ptr], returns: T.i32 },
  zmq_connect: { args: [T.ptr, T.ptr], returns: T.i32 },
  zmq_send: { args: [T.ptr, T.ptr, T.u64, T.i32], returns: T.i32 },
  zmq_msg_init: { args: [T.ptr], returns: T.i32 },
  zmq_msg_recv: { args: [T.ptr, T.ptr, T.i32], returns: T.i32 },
  zmq_msg_close: { args: [T.ptr], returns: T.i32 },
  zmq_msg_data: { args: [T.ptr], returns: T.ptr },
  zmq_msg_more: { args: [T.ptr], returns: T.i32 },
}).symbols;

const EINTR = 4;
export const EAGAIN = 11;

/** A buffer C may read or write at a stable address. */
export function cBuffer(size: number): Uint8Array {
  return new Uint8Array(new ArrayBuffer(Math.max(size, 1)));
}

function cString(text: string): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  const out = cBuffer(bytes.length + 1);
  out.set(bytes);
  return out;
}

function fail(what: string): never {
  const errno = Z.zmq_errno();
  throw new Error(`${what}: ${String(Z.zmq_strerror(errno))} (errno ${errno})`);
}

export function libzmqVersion(): string {
  const v = new Int32Array(new ArrayBuffer(12));
  const bytes = new Uint8Array(v.buffer);
  Z.zmq_version(bytes.subarray(0, 4), bytes.subarray(4, 8), bytes.subarray(8, 12));
  return `${v[0]}.${v[1]}.${v[2]}`;
}

/** One libzmq context (one I/O thread, libzmq's default) holding one socket. */
export class RawSocket {
  readonly #context: Pointer;
  #socket: Pointer | null;
  readonly #msg = cBuffer(64); // zmq_msg_t is 64 bytes, 8-aligned
  readonly #option = cBuffer(256);
  #scratch = cBuffer(64 * 1024);

  constructor(type: number) {
    const context = Z.zmq_ctx_new() as Pointer | null;
    if (context === null) fail("zmq_ctx_new");
    this.#context = context;
    const socket = Z.zmq_socket(context, type) as Pointer | null;
    if (socket === null) fail("zmq_socket");
    this.#socket = socket;
    if (Z.zmq_msg_init(this.#msg) !== 0) fail("zmq_msg_init");
  }

  setInt(option: number, value: number): void {
    new DataView(this.#option.buffer).setInt32(0, value, true);
    if (Z.zmq_setsockopt(this.#live(), option, this.#option, 4) !== 0) fail(`zmq_setsockopt(${option})`);
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

  /** Sends `count` single-frame messages of `length` bytes from `body`, blocking at the HWM. */
  sendMany(body: Uint8Array, length: number, count: number): void {
    const socket = this.#live();
    const send = Z.zmq_send;
    for (let i = 0; i < count; i++) {
      while (send(socket, body, length, 0) === -1) {
        const errno = Z.zmq_errno();
        if (errno === EAGAIN) throw new Error(`zmq_send: no room until SNDTIMEO expired (message ${i} of ${count}; peer not reading?)`);
        if (errno !== EINTR) fail("zmq_send");
      }
    }
  }

  /**
   * Receives one frame into the reused zmq_msg_t (zmq_msg_recv releases the previous content
   * itself) and returns its size, or -1 when RCVTIMEO expired. The bytes are not copied out.
   */
  receiveSize(): number {
    for (;;) {
      const size = Z.zmq_msg_recv(this.#msg, this.#live(), 0);
      if (size >= 0) return size;
      const errno = Z.zmq_errno();
      if (errno === EAGAIN) return -1;
      if (errno !== EINTR) fail("zmq_msg_recv");
    }
  }

  /**
   * Sends one frame (copied through a scratch buffer), blocking at the HWM for up to SNDTIMEO.
   * Returns false when SNDTIMEO expired. For the demo, not the bench's hot loop.
   */
  sendFrame(data: Uint8Array, more: boolean): boolean {
    if (data.length > this.#scratch.length) this.#scratch = cBuffer(data.length);
    this.#scratch.set(data);
    while (Z.zmq_send(this.#live(), this.#scratch, data.length, more ? ZMQ.SNDMORE : 0) === -1) {
      const errno = Z.zmq_errno();
      if (errno === EAGAIN) return false;
      if (errno !== EINTR) fail("zmq_send");
    }
    return true;
  }

  /** Receives one frame and copies it out, or returns null when RCVTIMEO expired. For the demo. */
  receiveFrame(): { data: Buffer; more: boolean } | null {
    const size = this.receiveSize();
    if (size < 0) return null;
    const data = Buffer.alloc(size);
    if (size > 0) data.set(new Uint8Array(toArrayBuffer(Z.zmq_msg_data(this.#msg) as Pointer, 0, size)));
    return { data, more: Z.zmq_msg_more(this.#msg) === 1 };
  }

  /** Closes the socket with the given linger (ms), then terminates the context. Idempotent. */
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
