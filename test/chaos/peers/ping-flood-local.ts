// A stand-in for test/chaos/ping-flood.ts (issue #14's bounded-replies work, on its way to main),
// with the same call: a raw NULL peer completes the handshake as a DEALER, shrinks its receive
// buffer, stops reading and writes 23-byte PINGs (16-byte context) for `durationMs`. raw-attacker.ts
// imports this until that file is merged, then uses it instead and this file goes.
// Imports Bun and libc over bun:ffi.

import { dlopen, FFIType, ptr } from "bun:ffi";
import type { Socket } from "bun";

export interface PingFloodOptions {
  /** A resolved tcp:// endpoint. */
  endpoint: string;
  durationMs: number;
}

export interface PingFloodResult {
  /** Bytes of PINGs the kernel accepted from us. */
  bytesSent: number;
  pingsSent: number;
  /** The server closed the connection. */
  dropped: boolean;
  floodMs: number;
}

const PING = Uint8Array.from([0x04, 23, 4, ...new TextEncoder().encode("PING"), 0, 0, ...new TextEncoder().encode("flood-0123456789")]);
const GREETING = Uint8Array.from({ length: 64 }, (_, i) =>
  i === 0 ? 0xff : i === 8 ? 1 : i === 9 ? 0x7f : i === 10 ? 3 : i === 11 ? 1 : 0,
);
GREETING.set(new TextEncoder().encode("NULL"), 12);
const READY = Uint8Array.from([
  0x04,
  28,
  5,
  ...new TextEncoder().encode("READY"),
  11,
  ...new TextEncoder().encode("Socket-Type"),
  0,
  0,
  0,
  6,
  ...new TextEncoder().encode("DEALER"),
]);

function shrinkReceiveBuffer(socket: Socket<undefined>): void {
  const fd = (socket as unknown as { fd?: number }).fd;
  if (typeof fd !== "number") return;
  const { symbols, close } = dlopen("libc.so.6", {
    setsockopt: { args: [FFIType.i32, FFIType.i32, FFIType.i32, FFIType.ptr, FFIType.u32], returns: FFIType.i32 },
  });
  symbols.setsockopt(fd, 1 /* SOL_SOCKET */, 8 /* SO_RCVBUF */, ptr(new Int32Array(new ArrayBuffer(4)).fill(4096)), 4);
  close();
}

export async function pingFlood({ endpoint, durationMs }: PingFloodOptions): Promise<PingFloodResult> {
  const match = /^tcp:\/\/([^:]+):(\d+)$/.exec(endpoint);
  if (match === null) throw new Error(`ping flood: not a resolved tcp endpoint: ${endpoint}`);
  const received: number[] = [];
  let closed = false;
  let wake = () => {};
  const socket = await Bun.connect({
    hostname: match[1]!,
    port: Number(match[2]),
    socket: {
      data: (_s, chunk) => void (received.length < 512 && received.push(...chunk), wake()),
      drain: () => wake(),
      close: () => void ((closed = true), wake()),
      error: () => void ((closed = true), wake()),
    },
  });
  shrinkReceiveBuffer(socket);
  const hello = new Uint8Array([...GREETING, ...READY]);
  socket.write(hello, 0, hello.length);
  // The server's greeting and its READY (a short command frame after 64 bytes) before any PING.
  await new Promise<void>((resolve) => {
    wake = () => ((received.length >= 66 && received.length >= 66 + received[65]!) || closed) && resolve();
    wake();
  });
  socket.pause();
  const batch = new Uint8Array(PING.length * 2048);
  for (let i = 0; i < 2048; i++) batch.set(PING, i * PING.length);
  const started = performance.now();
  let sent = 0;
  let offset = 0;
  await new Promise<void>((resolve) => {
    const pump = () => {
      while (!closed && performance.now() - started < durationMs) {
        const written = socket.write(batch, offset, batch.length - offset);
        if (written < 0) break;
        sent += written;
        offset = (offset + written) % batch.length;
        if (written < batch.length - offset) return; // kernel full: drain or the tick comes back
      }
      clearInterval(tick);
      resolve();
    };
    const tick = setInterval(pump, 50);
    wake = pump;
    pump();
  });
  const result = { bytesSent: sent, pingsSent: Math.floor(sent / PING.length), dropped: closed, floodMs: performance.now() - started };
  socket.terminate();
  return result;
}
