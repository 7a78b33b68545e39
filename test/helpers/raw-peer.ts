// A raw TCP peer for malformed-input tests: writes whatever bytes a test gives it and records what comes
// back and whether the other side closed. Bun's write() may accept only part of the data (bun-notes §1.1),
// so writes go through a queue that is pumped again from drain().

import type { Socket } from "bun";
import { Condition } from "./condition.ts";
import { parseTcpEndpoint } from "./endpoint.ts";
import { commandName, greeting, hex, parseFrameAt, ready } from "./zmtp-bytes.ts";

type Bytes = Uint8Array | string | readonly number[];

function toBytes(data: Bytes): Uint8Array {
  if (typeof data === "string") return new TextEncoder().encode(data);
  return data instanceof Uint8Array ? data : Uint8Array.from(data);
}

export class RawPeer {
  readonly endpoint: string;
  #socket: Socket<undefined> | null = null;
  readonly #received: Uint8Array[] = [];
  #receivedLength = 0;
  #flat: Uint8Array | null = new Uint8Array(0);
  readonly #queue: Uint8Array[] = [];
  #queueOffset = 0;
  #closed = false;
  #closeError: Error | undefined;
  #endAfterFlush = false;
  readonly #changed = new Condition();

  private constructor(endpoint: string) {
    this.endpoint = endpoint;
  }

  /** Opens a TCP connection to a resolved endpoint such as "tcp://127.0.0.1:40123". */
  static async connect(endpoint: string): Promise<RawPeer> {
    const peer = new RawPeer(endpoint);
    const { hostname, port } = parseTcpEndpoint(endpoint);
    peer.#socket = await Bun.connect({
      hostname,
      port,
      socket: {
        data: (_socket, chunk) => peer.#onData(chunk),
        drain: () => peer.#pump(),
        close: (_socket, error) => peer.#onClose(error),
        error: (_socket, error) => peer.#onClose(error),
      },
    });
    return peer;
  }

  /** Queues bytes for sending; they go out in order, across partial writes. */
  write(data: Bytes): void {
    if (this.#closed) throw new Error(`raw peer to ${this.endpoint} is closed; cannot write ${hex(toBytes(data))}`);
    this.#queue.push(toBytes(data));
    this.#pump();
  }

  /** Everything received so far, concatenated. */
  bytes(): Uint8Array {
    if (this.#flat === null) {
      const flat = new Uint8Array(this.#receivedLength);
      let offset = 0;
      for (const chunk of this.#received) {
        flat.set(chunk, offset);
        offset += chunk.length;
      }
      this.#flat = flat;
    }
    return this.#flat;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Bytes not yet accepted by the kernel. */
  get pendingBytes(): number {
    return this.#queue.reduce((n, b) => n + b.length, 0) - this.#queueOffset;
  }

  /** Resolves with `bytes()` once at least `n` bytes have arrived; rejects on close or after `timeoutMs`. */
  waitForBytes(n: number, timeoutMs = 5000): Promise<Uint8Array> {
    return this.#until(
      () => this.#receivedLength >= n,
      () => this.#closed,
      timeoutMs,
      () => `${n} bytes from ${this.endpoint} (have ${this.#receivedLength}: ${hex(this.bytes().subarray(0, 96))})`,
    ).then(() => this.bytes());
  }

  /** Resolves once the other side has closed the connection; rejects after `timeoutMs`. */
  waitForClose(timeoutMs = 5000): Promise<void> {
    return this.#until(
      () => this.#closed,
      () => false,
      timeoutMs,
      () => `${this.endpoint} to close the connection`,
    );
  }

  /**
   * Completes a NULL handshake by the book: sends the greeting and READY(socketType) at once, then waits
   * for the peer's greeting and READY (so nothing else is sent before the peer's READY, zmtp-notes §0.4).
   * Returns the offset in `bytes()` just past the peer's READY.
   */
  async handshake(socketType: string, timeoutMs = 5000): Promise<number> {
    this.write(greeting());
    this.write(ready(socketType));
    await this.waitForBytes(64 + 2, timeoutMs);
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const parsed = parseFrameAt(this.bytes(), 64);
      if (parsed !== null) {
        if ((parsed.flags & 0x04) === 0 || commandName(parsed.body) !== "READY") {
          throw new Error(`expected READY from ${this.endpoint}, got ${hex(this.bytes().subarray(64, 128))}`);
        }
        return parsed.end;
      }
      await this.waitForBytes(this.#receivedLength + 1, Math.max(1, deadline - performance.now()));
    }
  }

  /** Sends FIN once everything queued has been written (never `end(data)`: Bun drops the tail). */
  end(): void {
    this.#endAfterFlush = true;
    this.#pump();
  }

  /** Closes immediately; for cleanup lists. */
  close(): void {
    if (this.#closed) return;
    this.#socket?.terminate();
    this.#onClose(undefined);
  }

  #pump(): void {
    const socket = this.#socket;
    if (socket === null || this.#closed) return;
    while (this.#queue.length > 0) {
      const head = this.#queue[0]!;
      const length = head.length - this.#queueOffset;
      const written = length === 0 ? 0 : socket.write(head, this.#queueOffset, length);
      if (written < 0) return this.#onClose(new Error("write on a closed socket"));
      this.#queueOffset += written;
      if (written < length) return; // kernel buffer full: drain() calls us again
      this.#queue.shift();
      this.#queueOffset = 0;
    }
    if (this.#endAfterFlush) socket.end();
  }

  #onData(chunk: Uint8Array): void {
    this.#received.push(chunk);
    this.#receivedLength += chunk.length;
    this.#flat = null;
    this.#changed.notify();
  }

  #onClose(error: Error | undefined): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeError = error;
    this.#changed.notify();
  }

  get closeError(): Error | undefined {
    return this.#closeError;
  }

  #until(done: () => boolean, hopeless: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
    return this.#changed.wait(done, {
      timeoutMs,
      what,
      failure: () => (hopeless() ? `connection closed while waiting for ${what()}` : null),
    });
  }
}
