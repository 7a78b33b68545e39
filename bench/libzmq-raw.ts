// The few libzmq calls the throughput bench needs, as raw bun:ffi symbols: the fair libzmq method of
// perf-anchors caveat 4 (zmq_send from one reused buffer; zmq_msg_recv into one reused zmq_msg_t,
// no copy out). scripts/libzmq/ffi.ts copies every received frame into a Buffer and hides the
// socket handle, which is right for tests and wrong for a throughput baseline. Also the frame-wise
// send/receive with timeouts that scripts/demo-libzmq-peer.ts needs, the ROUTER echo of
// bench/dealer-router-fixture.ts, and zmq_proxy for bench/proxy-fixture.ts. The symbols, constants and C buffers are
// scripts/libzmq/symbols.ts, shared with ffi.ts. Dev-only; never imported by src/.

import { toArrayBuffer, type Pointer } from "bun:ffi";
import { cBuffer, cString, EAGAIN, EINTR, libzmq, ZMQ } from "../scripts/libzmq/symbols.ts";

export { cBuffer, libzmqVersion, ZMQ } from "../scripts/libzmq/symbols.ts";

// Loaded at start-up, not on first call, so the bench fails before it measures anything.
const Z = libzmq();

function fail(what: string): never {
  const errno = Z.zmq_errno();
  throw new Error(`${what}: ${String(Z.zmq_strerror(errno))} (errno ${errno})`);
}

/** A new libzmq context (one I/O thread, libzmq's default), for sockets that share one (inproc). */
export function newContext(): Pointer {
  const context = Z.zmq_ctx_new() as Pointer | null;
  if (context === null) fail("zmq_ctx_new");
  return context;
}

/** zmq_ctx_term: blocks until every socket of the context, on every thread, is closed. */
export function terminateContext(context: Pointer): void {
  while (Z.zmq_ctx_term(context) === -1 && Z.zmq_errno() === EINTR);
}

/**
 * One libzmq socket, in a context of its own unless one is given. A shared context (inproc: its
 * pointer may come from another thread, libzmq contexts are thread-safe) is not terminated by close().
 */
export class RawSocket {
  readonly #context: Pointer;
  readonly #ownsContext: boolean;
  #socket: Pointer | null;
  readonly #msg = cBuffer(64); // zmq_msg_t is 64 bytes, 8-aligned
  readonly #option = cBuffer(256);
  #scratch = cBuffer(64 * 1024);

  constructor(type: number, sharedContext?: Pointer) {
    this.#ownsContext = sharedContext === undefined;
    const context = sharedContext ?? newContext();
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

  /** A string option (CURVE keys as 40-character Z85 text: libzmq decodes them itself). */
  setString(option: number, text: string): void {
    const bytes = new TextEncoder().encode(text);
    this.#option.set(bytes);
    if (Z.zmq_setsockopt(this.#live(), option, this.#option, bytes.length) !== 0) fail(`zmq_setsockopt(${option})`);
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
   * Receives one message and sends it straight back, frame by frame, as a C ROUTER echo does:
   * each frame goes out by zmq_send from zmq_msg_data (one copy, like the other sends here) before
   * the next frame is received into the same reused zmq_msg_t. A ROUTER's first frame is the
   * sender's routing id, so the echo reaches its sender. Returns the message's frame count, or -1
   * when RCVTIMEO expired before it began. Throws when a send finds no room for SNDTIMEO.
   */
  echoMessage(): number {
    const socket = this.#live();
    for (let frames = 0; ; ) {
      const size = this.receiveSize();
      if (size < 0) {
        if (frames === 0) return -1;
        throw new Error("zmq_msg_recv: RCVTIMEO expired inside a multipart message");
      }
      frames++;
      const more = Z.zmq_msg_more(this.#msg) === 1;
      const data = Z.zmq_msg_data(this.#msg) as Pointer;
      while (Z.zmq_send(socket, data, size, more ? ZMQ.SNDMORE : 0) === -1) {
        const errno = Z.zmq_errno();
        if (errno === EAGAIN) throw new Error("zmq_send: no room until SNDTIMEO expired (echo)");
        if (errno !== EINTR) fail("zmq_send");
      }
      if (!more) return frames;
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

  /**
   * zmq_proxy(this, back, NULL): forwards both ways until the context is terminated, blocking this
   * thread all the while (bench/proxy-fixture.ts runs it in a Worker). Returns zmq_proxy's -1.
   */
  proxyTo(back: RawSocket): number {
    return Z.zmq_proxy(this.#live(), back.#live(), null);
  }

  /** Closes the socket with the given linger (ms), then terminates the context if it owns it. Idempotent. */
  close(linger = 0): void {
    if (this.#socket === null) return;
    this.setInt(ZMQ.LINGER, linger);
    Z.zmq_msg_close(this.#msg);
    Z.zmq_close(this.#socket);
    this.#socket = null;
    if (this.#ownsContext) terminateContext(this.#context);
  }

  #live(): Pointer {
    if (this.#socket === null) throw new Error("libzmq socket is closed");
    return this.#socket;
  }
}
