// A bound endpoint: accepts connections, runs one engine each, and gives each handshaken peer a pipe.
// Imports transport, engine, pipe and core. Bound pipes live exactly as long as their connection.

import type { ByteStream } from "../core/byte-stream.ts";
import { conflatesPipes } from "../core/socket-type.ts";
import type { Engine, EngineFailure, EngineHost, PeerDescription } from "../engine/engine.ts";
import { type PipeEnd, createPipePair } from "../pipe/pipe-end.ts";
import type { StreamAddress } from "../transport/endpoint.ts";
import { type Listener, listen } from "../transport/transport.ts";
import { failureEvent, handshakePeer, type SessionOwner } from "./session-owner.ts";

export class BindSession implements EngineHost {
  readonly endpoint: string;
  readonly #owner: SessionOwner;
  readonly #listener: Listener;
  /** Every live engine; the value is the socket's pipe end once the handshake succeeded. */
  readonly #engines = new Map<Engine, PipeEnd | null>();
  #closed = false;
  /** Settles the promise close() returned, once the last lingering connection has closed. */
  #closeSettled: (() => void) | null = null;

  /** Binds now; throws EADDRINUSE etc. */
  constructor(owner: SessionOwner, address: StreamAddress, requested: string) {
    this.#owner = owner;
    this.#listener = listen(address, requested, (stream) => this.#accept(stream), owner.options);
    this.endpoint = this.#listener.endpoint;
    owner.emit({ type: "bind", address: this.endpoint });
  }

  #accept(stream: ByteStream): void {
    if (this.#closed) return stream.destroy();
    // With I/O threads the connection moves to a Worker, which runs its engine (if it can move).
    const engine = this.#owner.io?.adopt(stream, this) ?? this.#owner.createEngine(stream, this);
    this.#engines.set(engine, null);
    this.#owner.emit({ type: "accept", address: this.endpoint, peer: { remoteAddress: stream.remoteAddress } });
    engine.start();
  }

  engineReady(engine: Engine, peer: PeerDescription): PipeEnd {
    const { sendHighWaterMark, receiveHighWaterMark, conflate } = this.#owner.options;
    const info = { routingId: peer.routingId, address: engine.remoteAddress };
    const { socketEnd, peerEnd } = createPipePair(
      sendHighWaterMark,
      receiveHighWaterMark,
      info,
      conflate && conflatesPipes(this.#owner.core.type),
    );
    this.#engines.set(engine, socketEnd);
    this.#owner.core.attachPipe(socketEnd);
    this.#owner.emit({
      type: "handshake",
      address: this.endpoint,
      peer: handshakePeer(info.address, peer),
    });
    return peerEnd;
  }

  engineClosed(engine: Engine, failure: EngineFailure | null): void {
    const socketEnd = this.#engines.get(engine);
    this.#engines.delete(engine);
    if (socketEnd) this.#owner.core.detachPipe(socketEnd);
    const remoteAddress = engine.remoteAddress;
    if (failure !== null) this.#owner.emit(failureEvent(failure, this.endpoint, remoteAddress));
    if (failure === null || failure.stage === "handshake") {
      this.#owner.emit({ type: "disconnect", address: this.endpoint, peer: { remoteAddress } });
    }
    if (this.#engines.size === 0 && this.#closeSettled !== null) {
      this.#closeSettled();
      this.#closeSettled = null;
    }
  }

  /**
   * Stops listening. With `linger` 0 connections drop now; otherwise each flushes its queue and
   * ends, and is cut after `linger` ms if that is positive. Returns a promise that settles once
   * every connection has closed, or null when none is left.
   */
  close(linger: number): Promise<void> | null {
    if (this.#closed) return null;
    this.#closed = true;
    this.#listener.close();
    this.#owner.emit({ type: "close", address: this.endpoint });
    for (const engine of [...this.#engines.keys()]) endWithLinger(engine, linger);
    if (this.#engines.size === 0) return null;
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#closeSettled = resolve;
    return promise;
  }
}

/**
 * Graceful end of one connection bounded by linger; shared with the connecting side. At linger 0 the
 * engine still writes, once, what the kernel takes at once before it closes: libzmq's I/O thread has
 * usually written a message sent just before zmq_close by then, where ours waits for the flush of
 * this turn. Whatever the kernel does not take is dropped, as linger 0 says.
 */
export function endWithLinger(engine: Engine, linger: number): void {
  if (linger === 0) {
    engine.end();
    return engine.destroy();
  }
  engine.end();
  if (linger > 0) setTimeout(() => engine.destroy(), linger).unref?.();
}
