// The engine of a STREAM socket: raw TCP bytes, no greeting, no framing, no handshake (zmtp-notes
// §3.4; libzmq raw_engine). Imports core, pipe and reactor; knows nothing of sockets or transports.

import type { ByteStream, ByteStreamHandler } from "../core/byte-stream.ts";
import type { Message } from "../core/message.ts";
import type { PipeEnd } from "../pipe/pipe-end.ts";
import { type Flushable, inboundArrived, scheduleFlush } from "../reactor/flush-scheduler.ts";
import type { Engine, EngineHost } from "./engine.ts";
import { InboundThrottle } from "./inbound-throttle.ts";
import { WriteQueue } from "./write-queue.ts";

export interface RawEngineConfig {
  /**
   * ZMQ_STREAM_NOTIFY: put an empty one-frame message on the pipe when the connection starts and
   * when the peer goes away (libzmq's default is on).
   */
  notify: boolean;
  outBatchSize: number;
}

/**
 * The pipe protocol between a STREAM socket core and this engine, both directions one-frame messages:
 * - towards the socket: each received chunk as it came (never empty); with `notify`, an empty frame
 *   first (connected) and an empty frame last (the peer closed or the connection broke);
 * - towards the wire: each frame's bytes are written as they are; an EMPTY frame is the close marker:
 *   what was queued before it is written, then the connection ends (FIN) and nothing after it is sent.
 *   A connection ended this way (the socket asked for it) gets no disconnect notification, as in libzmq,
 *   whose STREAM socket has already dropped the pipe by then.
 */
export const CLOSE_MARKER: Message = [new Uint8Array(0)];

const NOOP = (): void => {};
const NO_PROPERTIES = new Map<string, Uint8Array>();

export class RawEngine implements Engine, ByteStreamHandler, Flushable {
  readonly #stream: ByteStream;
  readonly #config: RawEngineConfig;
  readonly #host: EngineHost;
  readonly #writer: WriteQueue;
  /** Delivery stops at the receive high-water mark; chunks that still arrive are held there. */
  readonly #throttle: InboundThrottle;
  #pipe: PipeEnd | null = null;
  #closed = false;
  /** Writes what is queued, then FINs: set by `end()` and by the socket's close marker. */
  #ending = false;
  /** The socket sent the close marker: nothing more is written, and no disconnect notification. */
  #closeRequested = false;

  constructor(stream: ByteStream, config: RawEngineConfig, host: EngineHost) {
    this.#stream = stream;
    this.#config = config;
    this.#host = host;
    this.#writer = new WriteQueue(stream, config.outBatchSize);
    // Nothing is taken in but not yet delivered: a raw engine reads on only with held chunks.
    this.#throttle = new InboundThrottle(stream, (chunk) => {
      if (chunk !== null) this.#deliver(chunk);
    });
  }

  /** The peer's address as the transport names it, for events. */
  get remoteAddress(): string {
    return this.#stream.remoteAddress;
  }

  get handshaking(): boolean {
    return false;
  }

  get closeRequested(): boolean {
    return this.#closeRequested;
  }

  /** No handshake: the pipe exists before the first byte can arrive, so no chunk is ever held back. */
  start(): void {
    if (this.#closed) return;
    const pipe = this.#host.engineReady(this, { socketType: "STREAM", routingId: new Uint8Array(0), properties: NO_PROPERTIES });
    this.#pipe = pipe;
    pipe.inbound.onReadable = () => scheduleFlush(this);
    pipe.outbound.onWritable = () => queueMicrotask(() => this.#throttle.resume());
    // libzmq: the connect notification is the first message of the connection.
    if (this.#config.notify) pipe.outbound.write([new Uint8Array(0)]);
    this.#stream.start(this);
    if (this.#closed) return;
    this.flush();
  }

  onData(chunk: Uint8Array): void {
    if (this.#closed || this.#closeRequested || chunk.length === 0) return;
    inboundArrived();
    if (this.#throttle.paused) return this.#throttle.hold(chunk);
    this.#deliver(chunk);
  }

  onDrain(): void {
    if (this.#closed) return;
    if (this.#writer.drained()) this.flush();
  }

  onClose(): void {
    if (this.#closed) return;
    // libzmq raw_engine: a final empty message tells the application the peer is gone. It goes past
    // the high-water mark (one message) so that it cannot be lost; the socket reads a detached pipe
    // until it is drained.
    // Chunks held back at the high-water mark go first, so nothing the peer sent is lost.
    const fromWire = this.#pipe?.outbound;
    if (fromWire !== undefined && !this.#closeRequested) {
      for (const chunk of this.#throttle.takeHeld()) fromWire.write([chunk]);
      if (this.#config.notify) fromWire.write([new Uint8Array(0)]);
    }
    this.#teardown();
    this.#host.engineClosed(this, null);
  }

  /**
   * Writes queued outbound data, raw; stops at the close marker and ends the connection after it.
   * Returns how many messages left the pipe.
   */
  flush(): number {
    if (this.#closed || this.#writer.backlogged) return 0;
    let moved = 0;
    const pipe = this.#pipe;
    if (pipe !== null && !this.#closeRequested) {
      const toWire = pipe.inbound;
      const writer = this.#writer;
      let message = toWire.read();
      while (message !== undefined) {
        moved++;
        const data = message[message.length - 1];
        if (data === undefined || data.length === 0) {
          this.#closeRequested = true;
          this.#ending = true;
          break;
        }
        writer.appendBytes(data);
        if ((writer.batchFull || writer.backlogged) && !writer.flush()) return moved;
        message = toWire.read();
      }
    }
    if (this.#writer.flush() && this.#ending) this.#stream.end();
    return moved;
  }

  end(): void {
    if (this.#closed) return;
    this.#ending = true;
    this.flush();
  }

  destroy(): void {
    if (this.#closed) return;
    this.#teardown();
    this.#stream.destroy();
    this.#host.engineClosed(this, null);
  }

  #deliver(chunk: Uint8Array): void {
    const fromWire = this.#pipe!.outbound;
    fromWire.write([chunk]);
    // Back-pressure: stop delivering until the socket drains the pipe below its low-water mark.
    if (!fromWire.canWrite()) this.#throttle.paused = true;
  }

  #teardown(): void {
    this.#closed = true;
    this.#throttle.stop();
    const pipe = this.#pipe;
    if (pipe !== null) {
      pipe.inbound.onReadable = NOOP;
      pipe.outbound.onWritable = NOOP;
      this.#pipe = null;
    }
  }
}
