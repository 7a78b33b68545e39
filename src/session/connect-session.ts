// A connected endpoint: dials, runs an engine, redials after losses with libzmq's back-off.
// Imports transport, engine, socket, pipe, core. Its pipe outlives connections (unless `immediate`),
// so messages sent while the peer is down wait for the next connection.

import type { Engine, EngineFailure, EngineHost, PeerDescription } from "../engine/engine.ts";
import type { DialHost } from "../io/remote-engine.ts";
import { type PipeEnd, createPipePair } from "../pipe/pipe-end.ts";
import type { StreamAddress } from "../transport/endpoint.ts";
import { connect } from "../transport/transport.ts";
import { endWithLinger } from "./bind-session.ts";
import { failureEvent, handshakePeer, type SessionOwner } from "./session-owner.ts";

export class ConnectSession implements EngineHost, DialHost {
  readonly endpoint: string;
  readonly #owner: SessionOwner;
  readonly #address: StreamAddress;
  #pipe: { socketEnd: PipeEnd; peerEnd: PipeEnd } | null = null;
  #engine: Engine | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #attempt = 0;
  #closed = false;
  #connectedBefore = false;
  readonly #localRoutingId: Uint8Array | null;

  constructor(owner: SessionOwner, address: StreamAddress, endpoint: string, localRoutingId: Uint8Array | null = null) {
    this.#owner = owner;
    this.#localRoutingId = localRoutingId;
    this.#address = address;
    this.endpoint = endpoint;
    // libzmq creates a connecting socket's pipe at connect() time unless ZMQ_IMMEDIATE (zmtp-notes §6.1).
    if (!this.#attachesLate) this.#attachPipe();
    this.#dial();
  }

  /**
   * Pipes that exist only while connected: `immediate`, or a type that routes by the identity the
   * peer announces. A ROUTER that named the peer itself (connect routing id) routes to it at once.
   */
  get #attachesLate(): boolean {
    return this.#owner.options.immediate || (this.#owner.core.attachesOnHandshake && this.#localRoutingId === null);
  }

  #attachPipe(routingId: Uint8Array = this.#localRoutingId ?? new Uint8Array(0)): PipeEnd {
    const { sendHighWaterMark, receiveHighWaterMark, conflate } = this.#owner.options;
    this.#pipe = createPipePair(sendHighWaterMark, receiveHighWaterMark, { routingId, address: this.endpoint }, conflate);
    this.#owner.core.attachPipe(this.#pipe.socketEnd);
    return this.#pipe.peerEnd;
  }

  #detachPipe(): void {
    if (this.#pipe === null) return;
    this.#owner.core.detachPipe(this.#pipe.socketEnd);
    this.#pipe = null;
  }

  #dial(): void {
    this.#retryTimer = undefined;
    if (this.#closed) return;
    // A Unix-domain connect completes or fails within connect(2), so libzmq reports no delay over ipc.
    if (this.#address.scheme === "tcp") this.#owner.emit({ type: "connect:delay", address: this.endpoint });
    // With I/O threads the engine dials and runs in a Worker; connected() or dialFailed() says how it went.
    const remote = this.#owner.io?.dial(this.#address, this) ?? null;
    if (remote !== null) {
      this.#engine = remote;
      remote.start();
      return;
    }
    connect(this.#address, this.#owner.options.connectTimeout, this.#owner.options).then(
      (stream) => {
        if (this.#closed) return stream.destroy();
        this.#owner.emit({ type: "connect", address: this.endpoint, peer: { remoteAddress: stream.remoteAddress } });
        const engine = this.#owner.createEngine(stream, this);
        this.#engine = engine;
        engine.start();
      },
      () => {
        if (this.#closed) return;
        // libzmq reports the failed attempt's socket as closed before it schedules the retry.
        this.#owner.emit({ type: "close", address: this.endpoint });
        this.#scheduleRetry();
      },
    );
  }

  /** An I/O thread's dial succeeded (the local path emits this itself). */
  connected(remoteAddress: string): void {
    if (this.#closed) return;
    this.#owner.emit({ type: "connect", address: this.endpoint, peer: { remoteAddress } });
  }

  /** An I/O thread's dial failed: as a refused local dial, reported as closed and retried. */
  dialFailed(): void {
    this.#engine = null;
    if (this.#closed) return;
    this.#owner.emit({ type: "close", address: this.endpoint });
    this.#scheduleRetry();
  }

  engineReady(engine: Engine, peer: PeerDescription): PipeEnd {
    this.#attempt = 0;
    // ROUTER's connect(address, { routingId }) names the peer locally (ZMQ_CONNECT_ROUTING_ID).
    const routingId = this.#localRoutingId ?? peer.routingId;
    let peerEnd: PipeEnd;
    if (this.#pipe === null) {
      peerEnd = this.#attachPipe(routingId);
    } else {
      peerEnd = this.#pipe.peerEnd;
      peerEnd.peer.routingId = routingId;
      if (this.#connectedBefore) this.#owner.core.pipeReconnected(this.#pipe.socketEnd);
    }
    this.#connectedBefore = true;
    this.#owner.emit({
      type: "handshake",
      address: this.endpoint,
      peer: handshakePeer(engine.stream.remoteAddress, peer),
    });
    return peerEnd;
  }

  engineClosed(engine: Engine, failure: EngineFailure | null): void {
    if (this.#engine === engine) this.#engine = null;
    if (this.#attachesLate) this.#detachPipe();
    const remoteAddress = engine.stream.remoteAddress;
    if (failure !== null) this.#owner.emit(failureEvent(failure, this.endpoint, remoteAddress));
    if (failure === null || failure.stage === "handshake") {
      this.#owner.emit({ type: "disconnect", address: this.endpoint, peer: { remoteAddress } });
    }
    if (this.#closed) return this.#detachPipe();
    // STREAM closed this connection on purpose (empty frame): libzmq ends the session, so no redial.
    if (engine.closeRequested) {
      this.#closed = true;
      return this.#detachPipe();
    }
    // libzmq gives up on an endpoint after a protocol error (zmtp-notes §3.6); a lost connection or a
    // handshake time-out is retried.
    if (failure !== null && failure.kind !== "timeout" && failure.kind !== "lost") return;
    this.#scheduleRetry();
  }

  // Each retry waits the interval plus up to one interval of jitter; with a maximum set, the base
  // doubles per failed attempt up to it (libzmq's ZMQ_RECONNECT_IVL / _MAX).
  #scheduleRetry(): void {
    const { reconnectInterval, reconnectMaxInterval } = this.#owner.options;
    if (reconnectInterval <= 0 || this.#closed) return;
    let base = reconnectInterval;
    if (reconnectMaxInterval > reconnectInterval) {
      base = Math.min(reconnectInterval * 2 ** Math.min(this.#attempt, 30), reconnectMaxInterval);
    }
    this.#attempt++;
    const interval = base + Math.floor(Math.random() * reconnectInterval);
    this.#owner.emit({ type: "connect:retry", address: this.endpoint, interval });
    this.#retryTimer = setTimeout(() => this.#dial(), interval);
  }

  /**
   * Stops redialling. A live connection flushes what is queued and ends (bounded by `linger`);
   * messages queued while no connection is up are dropped, so a closed socket never keeps the
   * process alive waiting for a peer that may never come.
   */
  close(linger: number): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    const engine = this.#engine;
    if (engine !== null && !engine.handshaking) endWithLinger(engine, linger);
    else engine?.destroy();
    if (engine === null || engine.handshaking) this.#detachPipe();
  }
}
