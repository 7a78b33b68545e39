// Dev-only libzmq binding through bun:ffi: the reference peer for interop tests, benchmarks and the demo.
// Never imported by src/. Every buffer handed to C is backed by an explicit ArrayBuffer (Bun #32054).

import { dlopen, FFIType as T, toArrayBuffer, type Pointer } from "bun:ffi";
import { endianness } from "node:os";

/** libzmq 4.3 constants: socket types, socket option ids and send/receive flags. */
export const ZMQ = {
  PAIR: 0, PUB: 1, SUB: 2, REQ: 3, REP: 4, DEALER: 5, ROUTER: 6, PULL: 7, PUSH: 8, XPUB: 9, XSUB: 10, STREAM: 11,

  AFFINITY: 4, ROUTING_ID: 5, SUBSCRIBE: 6, UNSUBSCRIBE: 7, SNDBUF: 11, RCVBUF: 12, RCVMORE: 13, EVENTS: 15,
  TYPE: 16, LINGER: 17, RECONNECT_IVL: 18, BACKLOG: 19, RECONNECT_IVL_MAX: 21, MAXMSGSIZE: 22, SNDHWM: 23,
  RCVHWM: 24, RCVTIMEO: 27, SNDTIMEO: 28, LAST_ENDPOINT: 32, ROUTER_MANDATORY: 33, TCP_KEEPALIVE: 34,
  IMMEDIATE: 39, XPUB_VERBOSE: 40, IPV6: 42, MECHANISM: 43, PROBE_ROUTER: 51, REQ_CORRELATE: 52,
  REQ_RELAXED: 53, CONFLATE: 54, ROUTER_HANDOVER: 56, CONNECT_ROUTING_ID: 61, HANDSHAKE_IVL: 66,
  XPUB_NODROP: 69, XPUB_MANUAL: 71, XPUB_WELCOME_MSG: 72, INVERT_MATCHING: 74, HEARTBEAT_IVL: 75,
  HEARTBEAT_TTL: 76, HEARTBEAT_TIMEOUT: 77, XPUB_VERBOSER: 78, CONNECT_TIMEOUT: 79,

  DONTWAIT: 1, SNDMORE: 2,
} as const;

/** Context option ids for `LibzmqContext.set` (they overlap socket option ids, hence a separate table). */
export const ZMQ_CTX = { IO_THREADS: 1, MAX_SOCKETS: 2, BLOCKY: 70 } as const;

/** zmq_socket_monitor event bits (version 1 events). */
export const ZMQ_EVENT = {
  CONNECTED: 0x0001, CONNECT_DELAYED: 0x0002, CONNECT_RETRIED: 0x0004, LISTENING: 0x0008,
  BIND_FAILED: 0x0010, ACCEPTED: 0x0020, ACCEPT_FAILED: 0x0040, CLOSED: 0x0080, CLOSE_FAILED: 0x0100,
  DISCONNECTED: 0x0200, MONITOR_STOPPED: 0x0400, HANDSHAKE_FAILED_NO_DETAIL: 0x0800,
  HANDSHAKE_SUCCEEDED: 0x1000, HANDSHAKE_FAILED_PROTOCOL: 0x2000, HANDSHAKE_FAILED_AUTH: 0x4000, ALL: 0xffff,
} as const;

export type MonitorEventName = Exclude<keyof typeof ZMQ_EVENT, "ALL">;

const TYPE_NAMES = ["PAIR", "PUB", "SUB", "REQ", "REP", "DEALER", "ROUTER", "PULL", "PUSH", "XPUB", "XSUB", "STREAM"];

// Options whose C type is int64_t/uint64_t; libzmq rejects them with EINVAL unless optvallen is 8.
const INT64_OPTIONS = new Set<number>([ZMQ.AFFINITY, ZMQ.MAXMSGSIZE]);

const ERRNO_NAMES: Record<number, string> = {
  2: "ENOENT", 4: "EINTR", 9: "EBADF", 11: "EAGAIN", 12: "ENOMEM", 14: "EFAULT", 19: "ENODEV", 22: "EINVAL",
  24: "EMFILE", 36: "ENAMETOOLONG", 71: "EPROTO", 88: "ENOTSOCK", 90: "EMSGSIZE", 93: "EPROTONOSUPPORT",
  95: "ENOTSUP", 97: "EAFNOSUPPORT", 98: "EADDRINUSE", 99: "EADDRNOTAVAIL", 100: "ENETDOWN", 101: "ENETUNREACH",
  103: "ECONNABORTED", 104: "ECONNRESET", 105: "ENOBUFS", 107: "ENOTCONN", 110: "ETIMEDOUT",
  111: "ECONNREFUSED", 113: "EHOSTUNREACH", 115: "EINPROGRESS",
  156384763: "EFSM", 156384764: "ENOCOMPATPROTO", 156384765: "ETERM", 156384766: "EMTHREAD",
};
const EAGAIN = 11;
const EINTR = 4;

type Frame = Uint8Array | string;

function openLibrary() {
  return dlopen("libzmq.so.5", {
    zmq_version: { args: [T.ptr, T.ptr, T.ptr], returns: T.void },
    zmq_errno: { args: [], returns: T.i32 },
    zmq_strerror: { args: [T.i32], returns: T.cstring },
    zmq_ctx_new: { args: [], returns: T.ptr },
    zmq_ctx_term: { args: [T.ptr], returns: T.i32 },
    zmq_ctx_set: { args: [T.ptr, T.i32, T.i32], returns: T.i32 },
    zmq_socket: { args: [T.ptr, T.i32], returns: T.ptr },
    zmq_close: { args: [T.ptr], returns: T.i32 },
    zmq_setsockopt: { args: [T.ptr, T.i32, T.ptr, T.u64], returns: T.i32 },
    zmq_getsockopt: { args: [T.ptr, T.i32, T.ptr, T.ptr], returns: T.i32 },
    zmq_bind: { args: [T.ptr, T.ptr], returns: T.i32 },
    zmq_unbind: { args: [T.ptr, T.ptr], returns: T.i32 },
    zmq_connect: { args: [T.ptr, T.ptr], returns: T.i32 },
    zmq_disconnect: { args: [T.ptr, T.ptr], returns: T.i32 },
    zmq_send: { args: [T.ptr, T.ptr, T.u64, T.i32], returns: T.i32 },
    zmq_msg_init: { args: [T.ptr], returns: T.i32 },
    zmq_msg_recv: { args: [T.ptr, T.ptr, T.i32], returns: T.i32 },
    zmq_msg_data: { args: [T.ptr], returns: T.ptr },
    zmq_msg_size: { args: [T.ptr], returns: T.u64_fast },
    zmq_msg_more: { args: [T.ptr], returns: T.i32 },
    zmq_msg_close: { args: [T.ptr], returns: T.i32 },
    zmq_socket_monitor: { args: [T.ptr, T.ptr, T.i32], returns: T.i32 },
  }).symbols;
}

let library: ReturnType<typeof openLibrary> | null = null;
function Z(): ReturnType<typeof openLibrary> {
  library ??= openLibrary();
  return library;
}

/** A libzmq failure: `code` is the errno name (EAGAIN, EINVAL, ...), the message carries zmq_strerror. */
export class LibzmqError extends Error {
  readonly code: string;
  readonly errno: number;
  constructor(errno: number, what: string) {
    super(`${what}: ${String(Z().zmq_strerror(errno))} (${ERRNO_NAMES[errno] ?? `errno ${errno}`})`);
    this.name = "LibzmqError";
    this.errno = errno;
    this.code = ERRNO_NAMES[errno] ?? `ERRNO_${errno}`;
  }
}

/** A buffer C may read or write; an explicit ArrayBuffer keeps its address stable (Bun #32054). */
function cBuffer(size: number): Uint8Array {
  return new Uint8Array(new ArrayBuffer(Math.max(size, 1)));
}

function cString(text: string): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  const out = cBuffer(bytes.length + 1);
  out.set(bytes);
  return out;
}

const encoder = new TextEncoder();
let scratch = cBuffer(64 * 1024);

/** Copies a frame into the shared send scratch buffer; returns the byte count. */
function stage(frame: Frame): number {
  const bytes = typeof frame === "string" ? encoder.encode(frame) : frame;
  if (bytes.byteLength > scratch.byteLength) scratch = cBuffer(bytes.byteLength);
  scratch.set(bytes);
  return bytes.byteLength;
}

function sleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `attempt` with a short backoff (0, 1, 2, 4, 4 ... ms) until it yields a value or `timeoutMs`
 * elapses. libzmq's own I/O threads make progress meanwhile; the pause only yields to Bun's loop.
 */
async function pollUntil<R>(
  attempt: () => R | null,
  timeoutMs: number,
  what: string | (() => string),
): Promise<R> {
  const deadline = performance.now() + timeoutMs;
  let delay = 0;
  for (;;) {
    const result = attempt();
    if (result !== null) return result;
    if (performance.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === "string" ? what : what()}`);
    }
    await sleepMs(delay);
    delay = delay === 0 ? 1 : Math.min(delay * 2, 4);
  }
}

/** The loaded libzmq's version, e.g. "4.3.4". */
export function libzmqVersion(): string {
  const parts = new Int32Array(new ArrayBuffer(12));
  const view = new Uint8Array(parts.buffer);
  Z().zmq_version(view.subarray(0, 4), view.subarray(4, 8), view.subarray(8, 12));
  return `${parts[0]}.${parts[1]}.${parts[2]}`;
}

function check(rc: number, what: string): void {
  if (rc === -1) throw new LibzmqError(Z().zmq_errno(), what);
}

/** A libzmq context. `term()` closes every socket still open on it (LINGER 0), then terminates. */
export class LibzmqContext {
  #handle: Pointer | null;
  readonly #sockets = new Set<LibzmqSocket>();

  constructor() {
    const handle = Z().zmq_ctx_new() as Pointer | null;
    if (handle === null) throw new LibzmqError(Z().zmq_errno(), "zmq_ctx_new");
    this.#handle = handle;
  }

  set(option: number, value: number): void {
    check(Z().zmq_ctx_set(this.#live(), option, value), `zmq_ctx_set(${option})`);
  }

  socket(type: number): LibzmqSocket {
    const handle = Z().zmq_socket(this.#live(), type) as Pointer | null;
    if (handle === null) throw new LibzmqError(Z().zmq_errno(), `zmq_socket(${TYPE_NAMES[type] ?? type})`);
    const socket = new LibzmqSocket(this, handle, type, () => this.#sockets.delete(socket));
    this.#sockets.add(socket);
    return socket;
  }

  get terminated(): boolean {
    return this.#handle === null;
  }

  term(): void {
    if (this.#handle === null) return;
    for (const socket of [...this.#sockets]) socket.close();
    const handle = this.#handle;
    this.#handle = null;
    while (Z().zmq_ctx_term(handle) === -1) {
      const errno = Z().zmq_errno();
      if (errno !== EINTR) throw new LibzmqError(errno, "zmq_ctx_term");
    }
  }

  #live(): Pointer {
    if (this.#handle === null) throw new Error("libzmq context already terminated");
    return this.#handle;
  }
}

let monitorCounter = 0;

/** One libzmq socket. Not thread-safe (like libzmq itself); use from the JS thread only. */
export class LibzmqSocket {
  readonly context: LibzmqContext;
  readonly type: number;
  #handle: Pointer | null;
  readonly #onClose: () => void;
  readonly #msg = cBuffer(64); // zmq_msg_t: 64 bytes, 8-aligned (ArrayBuffers are)
  readonly #optionValue = cBuffer(1024);
  readonly #optionLength = new BigUint64Array(new ArrayBuffer(8));

  constructor(context: LibzmqContext, handle: Pointer, type: number, onClose: () => void) {
    this.context = context;
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

  setInt(option: number, value: number): void {
    const wide = INT64_OPTIONS.has(option);
    const view = new DataView(this.#optionValue.buffer);
    if (wide) view.setBigInt64(0, BigInt(value), true);
    else view.setInt32(0, value, true);
    this.#setRaw(option, this.#optionValue, wide ? 8 : 4);
  }

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
    check(Z().zmq_bind(this.#live(), cString(endpoint)), `zmq_bind(${endpoint}) on libzmq ${this.typeName}`);
  }

  unbind(endpoint: string): void {
    check(Z().zmq_unbind(this.#live(), cString(endpoint)), `zmq_unbind(${endpoint}) on libzmq ${this.typeName}`);
  }

  connect(endpoint: string): void {
    check(Z().zmq_connect(this.#live(), cString(endpoint)), `zmq_connect(${endpoint}) on libzmq ${this.typeName}`);
  }

  disconnect(endpoint: string): void {
    check(
      Z().zmq_disconnect(this.#live(), cString(endpoint)),
      `zmq_disconnect(${endpoint}) on libzmq ${this.typeName}`,
    );
  }

  /** Queues a whole multipart message with DONTWAIT; false when libzmq says EAGAIN (HWM or no peer). */
  trySend(frames: Frame[]): boolean {
    return this.#sendMessage(frames, ZMQ.DONTWAIT);
  }

  /** Blocks the JS thread until libzmq accepts the message. For fixture processes only. */
  sendBlocking(frames: Frame[]): void {
    this.#sendMessage(frames, 0);
  }

  /** A whole multipart message, or null when none is ready (EAGAIN). */
  tryReceive(): Buffer[] | null {
    return this.#receiveMessage(ZMQ.DONTWAIT);
  }

  /** Blocks the JS thread until a message arrives (or RCVTIMEO expires: EAGAIN). For fixture processes only. */
  receiveBlocking(): Buffer[] {
    const message = this.#receiveMessage(0);
    if (message === null) throw new LibzmqError(EAGAIN, `zmq_msg_recv on libzmq ${this.typeName}`);
    return message;
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

  /** Starts zmq_socket_monitor on a fresh inproc endpoint and returns a reader for its events. */
  monitor(events: number = ZMQ_EVENT.ALL): LibzmqMonitor {
    const endpoint = `inproc://libzmq-ffi-monitor-${++monitorCounter}`;
    check(Z().zmq_socket_monitor(this.#live(), cString(endpoint), events), `zmq_socket_monitor on ${this.typeName}`);
    const reader = this.context.socket(ZMQ.PAIR);
    reader.connect(endpoint);
    return new LibzmqMonitor(this, reader);
  }

  /** @internal stops the monitor started by `monitor()`. */
  stopMonitor(): void {
    if (this.#handle !== null) Z().zmq_socket_monitor(this.#handle, null, 0);
  }

  /** Closes the socket; sets LINGER 0 first unless `linger: "keep"` (or another value) is given. Idempotent. */
  close(options: { linger?: number | "keep" } = {}): void {
    if (this.#handle === null) return;
    const linger = options.linger ?? 0;
    if (linger !== "keep") this.setInt(ZMQ.LINGER, linger);
    const handle = this.#handle;
    this.#handle = null;
    this.#onClose();
    check(Z().zmq_close(handle), `zmq_close on libzmq ${this.typeName}`);
  }

  #live(): Pointer {
    if (this.#handle === null) throw new LibzmqError(88, `libzmq ${this.typeName} socket is closed`);
    return this.#handle;
  }

  #setRaw(option: number, buffer: Uint8Array, length: number): void {
    check(Z().zmq_setsockopt(this.#live(), option, buffer, length), `zmq_setsockopt(${option}) on ${this.typeName}`);
  }

  #getRaw(option: number, capacity: number): number {
    this.#optionLength[0] = BigInt(capacity);
    const rc = Z().zmq_getsockopt(this.#live(), option, this.#optionValue, this.#optionLength);
    check(rc, `zmq_getsockopt(${option}) on ${this.typeName}`);
    return Number(this.#optionLength[0]);
  }

  #sendMessage(frames: Frame[], baseFlags: number): boolean {
    if (frames.length === 0) throw new Error("a message needs at least one frame");
    const handle = this.#live();
    for (let i = 0; i < frames.length; i++) {
      const flags = baseFlags | (i < frames.length - 1 ? ZMQ.SNDMORE : 0);
      const length = stage(frames[i]!);
      while (Z().zmq_send(handle, scratch, length, flags) === -1) {
        const errno = Z().zmq_errno();
        if (errno === EINTR) continue;
        // libzmq admits multipart messages atomically: only the first frame can hit EAGAIN.
        if (errno === EAGAIN && i === 0) return false;
        throw new LibzmqError(errno, `zmq_send frame ${i} on libzmq ${this.typeName}`);
      }
    }
    return true;
  }

  #receiveMessage(flags: number): Buffer[] | null {
    const first = this.#receiveFrame(flags);
    if (first === null) return null;
    const frames = [first.data];
    let more = first.more;
    while (more) {
      const next = this.#receiveFrame(0); // the rest of a message is already queued
      if (next === null) throw new LibzmqError(EAGAIN, `zmq_msg_recv (continuation) on ${this.typeName}`);
      frames.push(next.data);
      more = next.more;
    }
    return frames;
  }

  #receiveFrame(flags: number): { data: Buffer; more: boolean } | null {
    const z = Z();
    const handle = this.#live();
    const msg = this.#msg;
    check(z.zmq_msg_init(msg), "zmq_msg_init");
    try {
      while (z.zmq_msg_recv(msg, handle, flags) === -1) {
        const errno = z.zmq_errno();
        if (errno === EINTR) continue;
        if (errno === EAGAIN) return null;
        throw new LibzmqError(errno, `zmq_msg_recv on libzmq ${this.typeName}`);
      }
      const size = Number(z.zmq_msg_size(msg));
      const data = Buffer.alloc(size);
      if (size > 0) {
        const source = z.zmq_msg_data(msg);
        if (source === null) throw new Error("zmq_msg_data returned NULL for a non-empty frame");
        data.set(new Uint8Array(toArrayBuffer(source, 0, size)));
      }
      return { data, more: z.zmq_msg_more(msg) === 1 };
    } finally {
      z.zmq_msg_close(msg);
    }
  }
}

export interface MonitorEvent {
  event: number;
  name: MonitorEventName | "UNKNOWN";
  /** fd, errno, retry interval or protocol error code, depending on the event. */
  value: number;
  endpoint: string;
}

const EVENT_NAMES = new Map<number, MonitorEventName>(
  Object.entries(ZMQ_EVENT)
    .filter(([name]) => name !== "ALL")
    .map(([name, bit]) => [bit, name as MonitorEventName]),
);
const LITTLE_ENDIAN = endianness() === "LE";

/** Reads zmq_socket_monitor events (2 frames: uint16 event + uint32 value in host order, endpoint). */
export class LibzmqMonitor {
  readonly #target: LibzmqSocket;
  readonly #reader: LibzmqSocket;
  /** Every event read so far, oldest first. */
  readonly events: MonitorEvent[] = [];

  constructor(target: LibzmqSocket, reader: LibzmqSocket) {
    this.#target = target;
    this.#reader = reader;
  }

  /** Moves every pending event into `events`. */
  drain(): MonitorEvent[] {
    for (;;) {
      if (this.#reader.closed) return this.events;
      const message = this.#reader.tryReceive();
      if (message === null) return this.events;
      const head = message[0]!;
      const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
      const event = view.getUint16(0, LITTLE_ENDIAN);
      this.events.push({
        event,
        name: EVENT_NAMES.get(event) ?? "UNKNOWN",
        value: view.getUint32(2, LITTLE_ENDIAN),
        endpoint: message[1]?.toString("utf8") ?? "",
      });
    }
  }

  /** Names of the events seen so far (after draining), e.g. for assertions and failure messages. */
  names(): string[] {
    return this.drain().map((e) => e.name);
  }

  /** Resolves with the first event (seen before or later) named `name` that satisfies `match`; bounded. */
  waitFor(
    name: MonitorEventName,
    options: { timeoutMs?: number; match?: (e: MonitorEvent) => boolean } = {},
  ): Promise<MonitorEvent> {
    const { timeoutMs = 5000, match = () => true } = options;
    return pollUntil(
      () => this.drain().find((e) => e.name === name && match(e)) ?? null,
      timeoutMs,
      () => `libzmq monitor event ${name} (seen: ${this.events.map((e) => e.name).join(", ") || "none"})`,
    );
  }

  /** Counts events named `name` seen so far. */
  count(name: MonitorEventName): number {
    return this.drain().filter((e) => e.name === name).length;
  }

  close(): void {
    this.#target.stopMonitor();
    this.#reader.close();
  }
}
