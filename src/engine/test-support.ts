// A scripted in-memory ByteStream for the engine tests (not shipped: package.json excludes test
// support files). Imports only core, like the rest of engine/ may.

import type { ByteStream, ByteStreamHandler } from "../core/byte-stream.ts";

export class FakeStream implements ByteStream {
  readonly remoteAddress = "fake peer";
  handler: ByteStreamHandler | null = null;
  written: Uint8Array[] = [];
  /** The buffer each write() was handed, as given (not copied): which memory a write came from. */
  writeSources: Uint8Array[] = [];
  /** Bytes the "kernel" still takes before it is full; Infinity = all of every write. */
  room = Infinity;
  paused = false;
  ended = false;
  destroyed = false;
  /** Called with each accepted write, e.g. to answer a PING. */
  onWrite: (bytes: Uint8Array) => void = () => {};

  start(handler: ByteStreamHandler): void {
    this.handler = handler;
  }

  write(data: Uint8Array, offset: number, length: number): number {
    if (this.destroyed) return -1;
    this.writeSources.push(data);
    const taken = Math.min(length, this.room);
    if (this.room !== Infinity) this.room -= taken;
    if (taken > 0) {
      const bytes = data.slice(offset, offset + taken);
      this.written.push(bytes);
      this.onWrite(bytes);
    }
    return taken;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  end(): void {
    this.ended = true;
  }

  destroy(): void {
    this.destroyed = true;
    this.handler?.onClose();
  }

  /** Everything written so far, as one buffer. */
  bytes(): Buffer {
    return Buffer.concat(this.written);
  }

  text(): string {
    return this.bytes().toString();
  }
}
