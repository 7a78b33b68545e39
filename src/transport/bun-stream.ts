// Adapts a Bun socket (tcp or ipc) to the ByteStream the engine speaks, and moves one between threads
// (detach here, adopt there; the descriptor work is handoff.ts's). Imports only core, its sibling
// handoff.ts and Bun.

import type { Socket } from "bun";
import type { ByteStream, ByteStreamHandler } from "../core/byte-stream.ts";
import { type DetachedStream, detachSocket } from "./handoff.ts";

export class BunStream implements ByteStream {
  readonly #socket: Socket<BunStream>;
  #remote: string;
  #handler: ByteStreamHandler | null = null;
  #early: Uint8Array[] = [];
  #closed = false;

  constructor(socket: Socket<BunStream>, remoteAddress: string) {
    this.#socket = socket;
    this.#remote = remoteAddress;
    // An open connection never keeps the process alive by itself (zeromq.js's rule): pending
    // operations and lingering closes hold the event loop instead (reactor/keep-alive.ts).
    socket.unref();
  }

  get remoteAddress(): string {
    return this.#remote;
  }

  start(handler: ByteStreamHandler): void {
    this.#handler = handler;
    const early = this.#early;
    this.#early = [];
    for (const chunk of early) handler.onData(chunk);
  }

  /**
   * Ends the run of a handler that only opened the way (the SOCKS5 handshake, socks-dial.ts): the
   * stream now leads to `remoteAddress`, and the next `start()` gets `unread` before anything else.
   */
  tunnel(remoteAddress: string, unread: Uint8Array): void {
    this.#handler = null;
    this.#remote = remoteAddress;
    if (unread.length > 0) this.#early.push(unread);
  }

  write(data: Uint8Array, offset: number, length: number): number {
    if (this.#closed) return -1;
    // Always pass the length: Bun rejects (offset) without it (bun-notes §7).
    return this.#socket.write(data, offset, length);
  }

  pause(): void {
    this.#socket.pause();
  }

  resume(): void {
    this.#socket.resume();
  }

  end(): void {
    if (!this.#closed) this.#socket.end();
  }

  /** Hands the connection to another thread (handoff.ts); only before `start()`. */
  detach(): DetachedStream | null {
    if (this.#closed || this.#handler !== null) return null;
    const detached = detachSocket(this.#socket, this.#early, this.remoteAddress);
    if (detached !== null) {
      this.#closed = true;
      this.#early = [];
    }
    return detached;
  }

  destroy(): void {
    if (this.#closed) return;
    this.#socket.terminate();
  }

  // The handlers below are shared by every Bun socket of a listener or connect call.
  onData(chunk: Uint8Array): void {
    if (this.#handler === null) this.#early.push(chunk);
    else this.#handler.onData(chunk);
  }

  onDrain(): void {
    this.#handler?.onDrain();
  }

  onClose(error?: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#handler?.onClose(error);
  }
}

/** Handler set for Bun.listen / Bun.connect; `socket.data` is the BunStream. */
export const streamHandlers = {
  binaryType: "buffer" as const,
  data(socket: Socket<BunStream>, chunk: Uint8Array): void {
    socket.data?.onData(chunk);
  },
  drain(socket: Socket<BunStream>): void {
    socket.data?.onDrain();
  },
  close(socket: Socket<BunStream>, error?: Error): void {
    socket.data?.onClose(error);
  },
  // Bun calls this when one of our handlers threw. Contain it: only this connection dies.
  error(socket: Socket<BunStream>, error: Error): void {
    socket.data?.onClose(error);
    socket.terminate();
  },
};

/** Adopts a connection another thread detached (handoff.ts); its early bytes are delivered first. */
export async function adoptStream(detached: DetachedStream): Promise<ByteStream> {
  const socket = await Bun.connect<BunStream>({ fd: detached.fd, socket: streamHandlers } as unknown as Parameters<
    typeof Bun.connect<BunStream>
  >[0]);
  const stream = new BunStream(socket, detached.remoteAddress);
  for (const chunk of detached.early) stream.onData(chunk);
  socket.data = stream;
  return stream;
}
