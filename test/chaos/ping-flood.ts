// The PING flood (issue #14): a raw NULL peer completes the handshake as a DEALER, shrinks its receive
// buffer, stops reading, then writes PING commands (a 23-byte body with a 16-byte context, 25 bytes
// on the wire) as fast as the other side takes them. A server that queues a PONG per PING grows without bound; one that keeps at most one
// PONG pending (libzmq, and bunzmq since #14) stays flat. Self-contained: Bun, and libc over bun:ffi
// for SO_RCVBUF (skipped where libc cannot be opened), nothing else from the project.
//
// As a module: `await pingFlood({ endpoint, durationMs })` returns the figures. As a program:
//   bun test/chaos/ping-flood.ts tcp://127.0.0.1:5555 --seconds 10 [--mb 200] [--rcvbuf 4096] [--collect]
// prints them as one JSON line.
//
// Stalls: with a tiny receive buffer (the default 4096), Linux loopback stops carrying the PINGs after
// some seconds: our buffer is full of PONGs we never read, the server's segments (a PONG waits in
// them, with the ACKs that would reopen our window) are dropped, and both sides wait. The server is
// idle then, not stuck: the flood has simply ended. `--rcvbuf 0` (the OS default) keeps it going.

import { dlopen, FFIType, ptr } from "bun:ffi";
import type { Socket } from "bun";

export interface PingFloodOptions {
  /** A resolved tcp:// endpoint, e.g. "tcp://127.0.0.1:40123". */
  endpoint: string;
  /** Stop flooding after this many ms (default: no time limit, then `maxBytes` must be set). */
  durationMs?: number;
  /** Stop flooding once the kernel took this many bytes of PINGs, rounded down to whole PINGs (default: no byte limit). */
  maxBytes?: number;
  /** The Socket-Type our READY announces (default "DEALER"). */
  socketType?: string;
  /** SO_RCVBUF set on our side once connected, bytes (default 4096; 0 leaves the OS default). */
  receiveBufferBytes?: number;
  /**
   * After the flood, read again and count what the server had queued for us: a last PING with a
   * marker context is sent, and reading goes on until its PONG arrives (or `collectTimeoutMs` passes).
   */
  collect?: boolean;
  /** Bound on the handshake and on the collection (default 10000 ms each). */
  timeoutMs?: number;
}

export interface PingFloodResult {
  /** Bytes of PINGs the kernel accepted from us. */
  bytesSent: number;
  pingsSent: number;
  /** The server closed the connection (during the flood, or while collecting). */
  dropped: boolean;
  /** How long the flood ran, ms. */
  floodMs: number;
  /** With `collect`: bytes the server sent after its READY, the PONGs among its frames, and its other frames (data). */
  repliesBytes?: number;
  pongs?: number;
  otherFrames?: number;
  /** With `collect`: the marker PING's PONG arrived, so everything queued before it was counted. */
  collected?: boolean;
}

const PING_CONTEXT = new TextEncoder().encode("flood-0123456789"); // 16 bytes, the most RFC 37 allows
const MARKER_CONTEXT = new TextEncoder().encode("flood-end-marker");
const PINGS_PER_BUFFER = 2048;

/** `04 17 04 'PING' 00 00` + context: a PING command frame with TTL 0 (25 bytes with a 16-byte context). */
export function pingFrame(context: Uint8Array = PING_CONTEXT): Uint8Array {
  const frame = new Uint8Array(2 + 1 + 4 + 2 + context.length);
  frame.set([0x04, frame.length - 2, 4, 0x50, 0x49, 0x4e, 0x47, 0, 0]);
  frame.set(context, 9);
  return frame;
}

/** The 64-byte NULL greeting, ZMTP 3.1, as libzmq sends it. */
function greeting(): Uint8Array {
  const out = new Uint8Array(64);
  out[0] = 0xff;
  out[8] = 0x01;
  out[9] = 0x7f;
  out[10] = 3;
  out[11] = 1;
  out.set(new TextEncoder().encode("NULL"), 12);
  return out;
}

/** READY with only Socket-Type. */
function ready(socketType: string): Uint8Array {
  const name = new TextEncoder().encode("Socket-Type");
  const value = new TextEncoder().encode(socketType);
  const body = new Uint8Array(6 + 1 + name.length + 4 + value.length);
  body.set([5, 0x52, 0x45, 0x41, 0x44, 0x59, name.length]);
  body.set(name, 7);
  new DataView(body.buffer).setUint32(7 + name.length, value.length);
  body.set(value, 11 + name.length);
  const frame = new Uint8Array(2 + body.length);
  frame.set([0x04, body.length]);
  frame.set(body, 2);
  return frame;
}

/** Offset past the frame at `at`, or -1 when `bytes` does not hold it whole. */
function frameEnd(bytes: Uint8Array, at: number): number {
  if (bytes.length < at + 2) return -1;
  const long = (bytes[at]! & 0x02) !== 0;
  if (long && bytes.length < at + 9) return -1;
  const size = long ? Number(new DataView(bytes.buffer, bytes.byteOffset + at + 1, 8).getBigUint64(0)) : bytes[at + 1]!;
  const end = at + (long ? 9 : 2) + size;
  return end <= bytes.length ? end : -1;
}

/** Counts the frames the server sends after its READY as they arrive: PONGs, the marker's PONG, the rest. */
class ReplyScanner {
  bytes = 0;
  pongs = 0;
  others = 0;
  markerSeen = false;
  #carry: Uint8Array = new Uint8Array(0);

  feed(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    const data = this.#carry.length === 0 ? chunk : Buffer.concat([this.#carry, chunk]);
    let at = 0;
    for (let end = frameEnd(data, at); end >= 0; at = end, end = frameEnd(data, at)) {
      const headerSize = (data[at]! & 0x02) !== 0 ? 9 : 2;
      const body = data.subarray(at + headerSize, end);
      const isPong = (data[at]! & 0x04) !== 0 && body[0] === 4 && Buffer.from(body.subarray(1, 5)).toString("latin1") === "PONG";
      if (!isPong) this.others++;
      else {
        this.pongs++;
        if (Buffer.from(body.subarray(5)).equals(MARKER_CONTEXT)) this.markerSeen = true;
      }
    }
    this.#carry = data.slice(at);
  }
}

function setReceiveBuffer(socket: Socket<undefined>, bytes: number): void {
  const fd = (socket as unknown as { fd?: number }).fd;
  if (bytes <= 0 || process.platform !== "linux" || typeof fd !== "number") return;
  try {
    const lib = dlopen("libc.so.6", {
      setsockopt: { args: [FFIType.i32, FFIType.i32, FFIType.i32, FFIType.ptr, FFIType.u32], returns: FFIType.i32 },
    });
    const value = Int32Array.of(bytes);
    lib.symbols.setsockopt(fd, 1 /* SOL_SOCKET */, 8 /* SO_RCVBUF */, ptr(value), 4);
    lib.close();
  } catch {
    // No glibc: the OS default receive buffer only makes the flood take longer to back up.
  }
}

function parseEndpoint(endpoint: string): { hostname: string; port: number } {
  const match = /^tcp:\/\/\[?([^\]]*)\]?:(\d+)$/.exec(endpoint);
  if (match === null) throw new Error(`ping flood: not a resolved tcp:// endpoint: ${endpoint}`);
  return { hostname: match[1]!, port: Number(match[2]) };
}

/** Runs the flood against `endpoint` and resolves with its figures; the connection is closed after. */
export async function pingFlood(options: PingFloodOptions): Promise<PingFloodResult> {
  const { durationMs = Infinity, maxBytes = Infinity, socketType = "DEALER", receiveBufferBytes = 4096 } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (durationMs === Infinity && maxBytes === Infinity) throw new Error("ping flood: set durationMs or maxBytes");
  const received: Uint8Array[] = [];
  let receivedLength = 0;
  /** Set once the server's READY is in: everything after it goes here instead of `received`. */
  let scanner: ReplyScanner | null = null;
  let closed = false;
  let wake: () => void = () => {};
  const changed = () => wake();
  const { hostname, port } = parseEndpoint(options.endpoint);
  const socket = await Bun.connect({
    hostname,
    port,
    socket: {
      data: (_socket, chunk) => {
        if (scanner !== null) scanner.feed(chunk);
        else {
          received.push(chunk);
          receivedLength += chunk.length;
        }
        changed();
      },
      drain: () => changed(),
      close: () => {
        closed = true;
        changed();
      },
      error: () => {
        closed = true;
        changed();
      },
    },
  });
  const bytes = (): Uint8Array => Buffer.concat(received);
  // Waits until `done()` holds, re-checked at every socket callback and at least every 50 ms.
  const until = (done: () => boolean, ms: number, what: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const deadline = performance.now() + ms;
      const check = () => {
        if (done()) return finish(resolve);
        if (performance.now() >= deadline) return finish(() => reject(new Error(`ping flood: timed out waiting for ${what}`)));
      };
      const finish = (then: () => void) => {
        clearInterval(timer);
        wake = () => {};
        then();
      };
      const timer = setInterval(check, 50);
      wake = check;
      check();
    });
  try {
    setReceiveBuffer(socket, receiveBufferBytes);
    const hello = new Uint8Array([...greeting(), ...ready(socketType)]);
    socket.write(hello, 0, hello.length);
    // The server's greeting (64 bytes) and READY: nothing else may arrive before we send.
    let afterReady = -1;
    await until(() => closed || (afterReady = receivedLength >= 64 ? frameEnd(bytes(), 64) : -1) >= 0, timeoutMs, "the server's READY");
    if (closed) return { bytesSent: 0, pingsSent: 0, dropped: true, floodMs: 0 };
    scanner = new ReplyScanner();
    scanner.feed(bytes().subarray(afterReady));
    socket.pause();
    const flood = await floodPings(
      socket,
      durationMs,
      maxBytes,
      () => closed,
      (w) => (wake = w),
    );
    const { aligned, refused, ...figures } = flood;
    const result: PingFloodResult = { ...figures, dropped: closed || refused };
    // A PING cut short would make the marker unreadable: nothing to collect then.
    if (options.collect !== true || result.dropped || !aligned) return result;
    const marker = pingFrame(MARKER_CONTEXT);
    socket.resume();
    socket.write(marker, 0, marker.length);
    const replies = scanner;
    await until(() => closed || replies.markerSeen, timeoutMs, "the PONG to the last PING").catch(() => {});
    return {
      ...result,
      dropped: closed,
      repliesBytes: replies.bytes,
      pongs: replies.pongs,
      otherFrames: replies.others,
      collected: replies.markerSeen,
    };
  } finally {
    socket.terminate();
  }
}

/** Writes PINGs until a limit or a close; waits for drain when the kernel is full. */
async function floodPings(
  socket: Socket<undefined>,
  durationMs: number,
  maxBytes: number,
  isClosed: () => boolean,
  onWake: (wake: () => void) => void,
): Promise<{ bytesSent: number; pingsSent: number; floodMs: number; aligned: boolean; refused: boolean }> {
  const ping = pingFrame();
  const buffer = new Uint8Array(ping.length * PINGS_PER_BUFFER);
  for (let i = 0; i < PINGS_PER_BUFFER; i++) buffer.set(ping, i * ping.length);
  const started = performance.now();
  const deadline = started + durationMs;
  const limit = maxBytes === Infinity ? Infinity : Math.floor(maxBytes / ping.length) * ping.length;
  let sent = 0;
  let offset = 0;
  let refused = false;
  // A drain may never come if the server stops reading for good: a 50 ms tick re-checks the limits.
  let tick: ReturnType<typeof setInterval> | undefined;
  await new Promise<void>((resolve) => {
    let done = false;
    let immediate = false;
    const pump = () => {
      for (let round = 0; round < 64 && !done; round++) {
        // Past the deadline, only the rest of a PING the kernel took in part is written: the stream
        // must end on a frame boundary, or whatever is sent next would be misread.
        const partial = sent % ping.length;
        const now = performance.now();
        const late = now >= deadline;
        // A kernel that takes nothing more (see "Stalls" at the top) cannot hold us past a second.
        if (isClosed() || sent >= limit || (late && partial === 0) || now >= deadline + 1000) {
          done = true;
          return resolve();
        }
        const length = Math.min(buffer.length - offset, limit - sent, late ? ping.length - partial : Infinity);
        const written = socket.write(buffer, offset, length);
        if (written < 0) {
          // The socket is gone: the server closed it, and its close event has not reached us yet.
          refused = true;
          done = true;
          return resolve();
        }
        sent += written;
        offset = (offset + written) % buffer.length;
        if (written < length) return; // kernel full: drain (or close, or the tick) wakes us
      }
      // The server may share this event loop: let it run, with one pending turn at most.
      if (done || immediate) return;
      immediate = true;
      setImmediate(() => {
        immediate = false;
        pump();
      });
    };
    onWake(pump);
    tick = setInterval(pump, 50);
    pump();
  });
  clearInterval(tick);
  onWake(() => {});
  return {
    bytesSent: sent,
    pingsSent: Math.floor(sent / ping.length),
    floodMs: performance.now() - started,
    aligned: sent % ping.length === 0,
    refused,
  };
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const flag = (name: string): string | undefined => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const endpoint = args.find((a) => a.startsWith("tcp://"));
  if (endpoint === undefined) {
    console.error("usage: bun test/chaos/ping-flood.ts tcp://host:port [--seconds S] [--mb M] [--rcvbuf BYTES] [--collect]");
    process.exit(2);
  }
  const seconds = flag("--seconds");
  const mb = flag("--mb");
  const rcvbuf = flag("--rcvbuf");
  const result = await pingFlood({
    endpoint,
    durationMs: seconds !== undefined ? Number(seconds) * 1000 : mb === undefined ? 10_000 : undefined,
    maxBytes: mb !== undefined ? Number(mb) * 1024 * 1024 : undefined,
    collect: args.includes("--collect"),
    ...(rcvbuf !== undefined ? { receiveBufferBytes: Number(rcvbuf) } : {}),
  });
  console.log(JSON.stringify(result));
}
