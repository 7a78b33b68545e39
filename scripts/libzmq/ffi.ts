// Dev-only libzmq binding through bun:ffi: the reference peer for interop tests, benchmarks and the demo.
// Never imported by src/. The C ABI (constants, signatures, C buffers) is ./symbols.ts; moving whole
// messages across it is ./message-io.ts.

import { type Pointer } from "bun:ffi";
import { endianness } from "node:os";
import { check, LibzmqError } from "./errors.ts";
import { receiveMessage, sendMessage, type Frame } from "./message-io.ts";
import {
  cBuffer, cString, EAGAIN, EINTR, ENOTSOCK, INT64_OPTIONS, libzmq as Z, TYPE_NAMES, ZMQ, ZMQ_EVENT,
  type MonitorEventName,
} from "./symbols.ts";

export { LibzmqError } from "./errors.ts";
export { libzmqVersion, ZMQ, ZMQ_CTX, ZMQ_EVENT, type MonitorEventName } from "./symbols.ts";

const encoder = new TextEncoder();

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

  /**
   * Bounded async receive that also reads `names` with zmq_msg_gets on the message's first frame
   * (connection metadata such as "X-…" properties, "Socket-Type", "Peer-Address"); null where unset.
   */
  receiveWithProperties(names: string[], timeoutMs = 5000): Promise<{ frames: Buffer[]; properties: Record<string, string | null> }> {
    return pollUntil(() => {
      const properties: Record<string, string | null> = Object.fromEntries(names.map((name) => [name, null]));
      const frames = receiveMessage(this.#live(), this.#msg, ZMQ.DONTWAIT, this.typeName, properties);
      return frames === null ? null : { frames, properties };
    }, timeoutMs, `a message on libzmq ${this.typeName}`);
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
    if (this.#handle === null) throw new LibzmqError(ENOTSOCK, `libzmq ${this.typeName} socket is closed`);
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
    return sendMessage(this.#live(), frames, baseFlags, this.typeName);
  }

  #receiveMessage(flags: number): Buffer[] | null {
    return receiveMessage(this.#live(), this.#msg, flags, this.typeName);
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
