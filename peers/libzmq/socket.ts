// One libzmq socket through bun:ffi, in two registers. Tests use whole messages: bounded async
// send/receive polled on Bun's loop (frames copied into Buffers), options, monitors. Benches and
// fixture processes use the fast path of perf-anchors caveat 4: blocking zmq_send from one reused
// buffer and zmq_msg_recv into one reused zmq_msg_t, nothing copied out. Not thread-safe (like
// libzmq itself); use each socket from one thread. Imports nothing outside this folder.

import type { Pointer } from "bun:ffi";
import { EAGAIN, EINTR, ENOTSOCK, INT64_OPTIONS, TYPE_NAMES, ZMQ, ZMQ_EVENT } from "./constants.ts";
import { check, LibzmqError } from "./errors.ts";
import { cBuffer, cString, type Libzmq } from "./library.ts";
import { receiveMessage, sendMessage, type Frame } from "./message-io.ts";
import { LibzmqMonitor } from "./monitor.ts";
import { pollUntil } from "./poll.ts";

const encoder = new TextEncoder();
let monitorCounter = 0;

/** What a socket needs of its context (./context.ts), named here so the two files do not import each other. */
export interface SocketOwner {
  readonly library: Libzmq;
  socket(type: number): LibzmqSocket;
  term(): void;
}

export class LibzmqSocket {
  readonly context: SocketOwner;
  readonly type: number;
  readonly #library: Libzmq;
  readonly #z: Libzmq["symbols"];
  #handle: Pointer | null;
  readonly #onClose: () => void;
  readonly #msg = cBuffer(64); // zmq_msg_t: 64 bytes, 8-aligned (ArrayBuffers are)
  #fastMsg: Uint8Array | null = null; // the fast path's zmq_msg_t, kept initialised until close
  readonly #optionValue = cBuffer(1024);
  readonly #optionLength = new BigUint64Array(new ArrayBuffer(8));

  constructor(context: SocketOwner, handle: Pointer, type: number, onClose: () => void) {
    this.context = context;
    this.#library = context.library;
    this.#z = context.library.symbols;
    this.#handle = handle;
    this.type = type;
    this.#onClose = onClose;
  }

  get typeName(): string {
    return TYPE_NAMES[this.type] ?? `type ${this.type}`;
  }

  get closed(): boolean {
    return this.#handle === null;
  }

  /** The C socket, for the DRAFT calls of ./draft.ts; throws ENOTSOCK once closed. */
  get handle(): Pointer {
    return this.#live();
  }

  setInt(option: number, value: number): void {
    const wide = INT64_OPTIONS.has(option);
    const view = new DataView(this.#optionValue.buffer);
    if (wide) view.setBigInt64(0, BigInt(value), true);
    else view.setInt32(0, value, true);
    this.#setRaw(option, this.#optionValue, wide ? 8 : 4);
  }

  /** A bytes or string option (CURVE keys as 40 Z85 characters: libzmq decodes them itself). */
  setBytes(option: number, value: Uint8Array | string): void {
    const bytes = typeof value === "string" ? encoder.encode(value) : value;
    const buffer = cBuffer(bytes.byteLength);
    buffer.set(bytes);
    this.#setRaw(option, buffer, bytes.byteLength);
  }

  getInt(option: number): number {
    const wide = INT64_OPTIONS.has(option);
    this.#getRaw(option, wide ? 8 : 4);
    const view = new DataView(this.#optionValue.buffer);
    return wide ? Number(view.getBigInt64(0, true)) : view.getInt32(0, true);
  }

  /** A string option (e.g. LAST_ENDPOINT) without its trailing NUL. */
  getString(option: number): string {
    const length = this.#getRaw(option, this.#optionValue.byteLength);
    let end = length;
    while (end > 0 && this.#optionValue[end - 1] === 0) end--;
    return new TextDecoder().decode(this.#optionValue.subarray(0, end));
  }

  get lastEndpoint(): string {
    return this.getString(ZMQ.LAST_ENDPOINT);
  }

  bind(endpoint: string): void {
    this.#call(this.#z.zmq_bind(this.#live(), cString(endpoint)), `zmq_bind(${endpoint})`);
  }

  unbind(endpoint: string): void {
    this.#call(this.#z.zmq_unbind(this.#live(), cString(endpoint)), `zmq_unbind(${endpoint})`);
  }

  connect(endpoint: string): void {
    this.#call(this.#z.zmq_connect(this.#live(), cString(endpoint)), `zmq_connect(${endpoint})`);
  }

  disconnect(endpoint: string): void {
    this.#call(this.#z.zmq_disconnect(this.#live(), cString(endpoint)), `zmq_disconnect(${endpoint})`);
  }

  /** Queues a whole multipart message with DONTWAIT; false when libzmq says EAGAIN (HWM or no peer). */
  trySend(frames: Frame[]): boolean {
    return sendMessage(this.#library, this.#live(), frames, ZMQ.DONTWAIT, this.typeName);
  }

  /** Blocks the thread until libzmq takes the message; false when SNDTIMEO expired first. For fixture processes. */
  sendBlocking(frames: Frame[]): boolean {
    return sendMessage(this.#library, this.#live(), frames, 0, this.typeName);
  }

  /** A whole multipart message, or null when none is ready (EAGAIN). */
  tryReceive(): Buffer[] | null {
    return receiveMessage(this.#library, this.#live(), this.#msg, ZMQ.DONTWAIT, this.typeName);
  }

  /** Blocks the thread until a message arrives; null when RCVTIMEO expired first. For fixture processes. */
  receiveBlocking(): Buffer[] | null {
    return receiveMessage(this.#library, this.#live(), this.#msg, 0, this.typeName);
  }

  /**
   * Bounded async receive that also reads `names` with zmq_msg_gets on the message's first frame
   * (connection metadata such as "X-…" properties, "Socket-Type", "Peer-Address"); null where unset.
   */
  receiveWithProperties(names: string[], timeoutMs = 5000): Promise<{ frames: Buffer[]; properties: Record<string, string | null> }> {
    return pollUntil(
      () => {
        const properties: Record<string, string | null> = Object.fromEntries(names.map((name) => [name, null]));
        const frames = receiveMessage(this.#library, this.#live(), this.#msg, ZMQ.DONTWAIT, this.typeName, properties);
        return frames === null ? null : { frames, properties };
      },
      timeoutMs,
      `a message on libzmq ${this.typeName}`,
    );
  }

  /** Bounded async send: retries `trySend` with a short backoff; rejects after `timeoutMs`. */
  async send(frames: Frame[], timeoutMs = 5000): Promise<void> {
    const what = `libzmq ${this.typeName} to accept a message`;
    await pollUntil(() => (this.trySend(frames) ? true : null), timeoutMs, what);
  }

  /** Bounded async receive: retries `tryReceive` with a short backoff; rejects after `timeoutMs`. */
  receive(timeoutMs = 5000): Promise<Buffer[]> {
    return pollUntil(() => this.tryReceive(), timeoutMs, `a message on libzmq ${this.typeName}`);
  }

  /**
   * Fast path: sends `count` single-frame messages of `length` bytes from `body` (a cBuffer). With
   * `flags` 0 it blocks at the high-water mark and throws once SNDTIMEO expires; with DONTWAIT it
   * stops at the first EAGAIN. Returns the number sent.
   */
  sendMany(body: Uint8Array, length: number, count: number, flags = 0): number {
    const socket = this.#live();
    const z = this.#z;
    const send = z.zmq_send;
    for (let i = 0; i < count; i++) {
      while (send(socket, body, length, flags) === -1) {
        const errno = z.zmq_errno();
        if (errno === EAGAIN) {
          if (flags !== 0) return i;
          throw new Error(`zmq_send: no room until SNDTIMEO expired (message ${i} of ${count}; peer not reading?)`);
        }
        if (errno !== EINTR) throw new LibzmqError(this.#library, errno, "zmq_send");
      }
    }
    return count;
  }

  /**
   * Fast path: receives one frame into the reused zmq_msg_t (zmq_msg_recv releases the previous
   * content itself) and returns its size, or -1 when RCVTIMEO expired. The bytes stay in C.
   */
  receiveSize(): number {
    const msg = this.#fastMsg ?? this.#initFastMessage();
    const socket = this.#live();
    const z = this.#z;
    for (;;) {
      const size = z.zmq_msg_recv(msg, socket, 0);
      if (size >= 0) return size;
      const errno = z.zmq_errno();
      if (errno === EAGAIN) return -1;
      if (errno !== EINTR) throw new LibzmqError(this.#library, errno, "zmq_msg_recv");
    }
  }

  /**
   * Fast path: receives one message and sends it straight back frame by frame, as a C ROUTER echo
   * does (each frame goes out by zmq_send from zmq_msg_data before the next is received into the
   * same zmq_msg_t). A ROUTER's first frame is the sender's routing id, so the echo reaches its
   * sender. Returns the frame count, or -1 when RCVTIMEO expired before the message began.
   */
  echoMessage(): number {
    const socket = this.#live();
    const z = this.#z;
    for (let frames = 0; ; ) {
      const size = this.receiveSize();
      if (size < 0) {
        if (frames === 0) return -1;
        throw new Error("zmq_msg_recv: RCVTIMEO expired inside a multipart message");
      }
      frames++;
      const msg = this.#fastMsg!;
      const more = z.zmq_msg_more(msg) === 1;
      const data = z.zmq_msg_data(msg) as Pointer;
      while (z.zmq_send(socket, data, size, more ? ZMQ.SNDMORE : 0) === -1) {
        const errno = z.zmq_errno();
        if (errno === EAGAIN) throw new Error("zmq_send: no room until SNDTIMEO expired (echo)");
        if (errno !== EINTR) throw new LibzmqError(this.#library, errno, "zmq_send");
      }
      if (!more) return frames;
    }
  }

  /** zmq_proxy(this, back, NULL): forwards both ways until the context ends, blocking the thread. Returns -1. */
  proxyTo(back: LibzmqSocket): number {
    return this.#z.zmq_proxy(this.#live(), back.#live(), null);
  }

  /** Starts zmq_socket_monitor on a fresh inproc endpoint and returns a reader for its events. */
  monitor(events: number = ZMQ_EVENT.ALL): LibzmqMonitor {
    const endpoint = `inproc://libzmq-ffi-monitor-${++monitorCounter}`;
    this.#call(this.#z.zmq_socket_monitor(this.#live(), cString(endpoint), events), "zmq_socket_monitor");
    const reader = this.context.socket(ZMQ.PAIR);
    reader.connect(endpoint);
    return new LibzmqMonitor(this, reader);
  }

  /** @internal stops the monitor started by `monitor()`. */
  stopMonitor(): void {
    if (this.#handle !== null) this.#z.zmq_socket_monitor(this.#handle, null, 0);
  }

  /** Closes the socket; sets LINGER 0 first unless `linger: "keep"` (or another value) is given. Idempotent. */
  close(options: { linger?: number | "keep" } = {}): void {
    if (this.#handle === null) return;
    const linger = options.linger ?? 0;
    if (linger !== "keep") this.setInt(ZMQ.LINGER, linger);
    const handle = this.#handle;
    this.#handle = null;
    this.#onClose();
    if (this.#fastMsg !== null) this.#z.zmq_msg_close(this.#fastMsg);
    this.#call(this.#z.zmq_close(handle), "zmq_close");
  }

  #live(): Pointer {
    if (this.#handle === null) throw new LibzmqError(this.#library, ENOTSOCK, `libzmq ${this.typeName} socket is closed`);
    return this.#handle;
  }

  #initFastMessage(): Uint8Array {
    const msg = cBuffer(64);
    check(this.#library, this.#z.zmq_msg_init(msg), "zmq_msg_init");
    this.#fastMsg = msg;
    return msg;
  }

  #call(rc: number, what: string): void {
    check(this.#library, rc, `${what} on libzmq ${this.typeName}`);
  }

  #setRaw(option: number, buffer: Uint8Array, length: number): void {
    this.#call(this.#z.zmq_setsockopt(this.#live(), option, buffer, length), `zmq_setsockopt(${option})`);
  }

  #getRaw(option: number, capacity: number): number {
    this.#optionLength[0] = BigInt(capacity);
    const rc = this.#z.zmq_getsockopt(this.#live(), option, this.#optionValue, this.#optionLength);
    this.#call(rc, `zmq_getsockopt(${option})`);
    return Number(this.#optionLength[0]);
  }
}
