// A connected endpoint: dials, runs an engine, redials after losses with libzmq's back-off.
// Imports transport, engine, pipe and core. Its pipe outlives connections (unless `immediate`),
// so messages sent while the peer is down wait for the next connection, and, for a finite linger,
// even after close().

import { conflatesPipes } from "../core/socket-type.ts";
import type { DialHost, Engine, EngineFailure, EngineHost, PeerDescription } from "../engine/engine.ts";
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
  /** Final: nothing is dialled any more. */
  #closed = false;
  /** close() came while messages waited for a peer: dialling goes on until this linger deadline. */
  #delivery: ReturnType<typeof setTimeout> | null = null;
  /** Settles the promise close() returned, once nothing lingers. */
  #closeSettled: (() => void) | null = null;
  /** The local dial in flight; cut from this session when it finishes. */
  #dialing: { session: ConnectSession | null } | null = null;
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
    const conflating = conflate && conflatesPipes(this.#owner.core.type);
    this.#pipe = createPipePair(sendHighWaterMark, receiveHighWaterMark, { routingId, address: this.endpoint }, conflating);
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
    if (this.#address.scheme !== "ipc") this.#owner.emit({ type: "connect:delay", address: this.endpoint });
    // With I/O threads the engine dials and runs in a Worker; connected() or dialFailed() says how it went.
    // A WebSocket's engine stays here: its connection cannot move between threads.
    const ws = this.#address.scheme === "ws" || this.#address.scheme === "wss";
    const remote = ws ? null : (this.#owner.io?.dial(this.#address, this) ?? null);
    if (remote !== null) {
      this.#engine = remote;
      remote.start();
      return;
    }
    // The dial in flight reaches this session only until it is finished, so a closed socket (and
    // its Context) can be collected while the kernel still works on the dial.
    const dialing: { session: ConnectSession | null } = { session: this };
    this.#dialing = dialing;
    connect(this.#address, this.#owner.options.connectTimeout, this.#owner.options).then(
      (stream) => {
        const session = dialing.session;
        if (session === null || session.#closed) return stream.destroy();
        session.#owner.emit({ type: "connect", address: session.endpoint, peer: { remoteAddress: stream.remoteAddress } });
        const engine = session.#owner.createEngine(stream, session);
        session.#engine = engine;
        engine.start();
      },
      () => {
        const session = dialing.session;
        if (session === null || session.#closed) return;
        // libzmq reports the failed attempt's socket as closed before it schedules the retry.
        session.#owner.emit({ type: "close", address: session.endpoint });
        session.#scheduleRetry();
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
      peer: handshakePeer(engine.remoteAddress, peer),
    });
    // Closed while waiting for this peer: flush to it and end (after this call: end() must not
    // re-enter the engine that is handing us its pipe); the linger deadline still bounds it.
    if (this.#delivery !== null) queueMicrotask(() => engine.end());
    return peerEnd;
  }

  engineClosed(engine: Engine, failure: EngineFailure | null): void {
    if (this.#engine === engine) this.#engine = null;
    if (this.#attachesLate) this.#detachPipe();
    const remoteAddress = engine.remoteAddress;
    if (failure !== null) this.#owner.emit(failureEvent(failure, this.endpoint, remoteAddress));
    if (failure === null || failure.stage === "handshake") {
      this.#owner.emit({ type: "disconnect", address: this.endpoint, peer: { remoteAddress } });
    }
    if (this.#closed) return this.#finish();
    // STREAM closed this connection on purpose (empty frame): libzmq ends the session, so no redial.
    if (engine.closeRequested) return this.#finish();
    // Delivering after close(): done once the queue has gone out, else the peer is redialled.
    if (this.#delivery !== null && !this.#queuedForPeer) return this.#finish();
    // libzmq gives up on an endpoint after a protocol error (zmtp-notes §3.6); a lost connection, a
    // handshake time-out or a peer that left our protocol output unread (overflow) is retried.
    if (failure !== null && failure.kind !== "timeout" && failure.kind !== "lost" && failure.kind !== "overflow") {
      if (this.#delivery !== null) this.#finish();
      return;
    }
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
    // Redialling a peer that is away does not keep the process alive (zeromq.js's rule).
    this.#retryTimer.unref?.();
  }

  /**
   * Stops the session. A live connection flushes what is queued and ends, cut after `linger` ms if
   * that is positive. Messages queued while no connection is up wait for a peer for up to a positive
   * `linger` (dialling goes on meanwhile, as libzmq does); with linger 0 or -1 they are dropped, so
   * a closed socket never waits for ever for a peer that may never come. Returns a promise that
   * settles once nothing lingers, or null when nothing does.
   */
  close(linger: number): Promise<void> | null {
    if (this.#closed || this.#delivery !== null) return null;
    const engine = this.#engine;
    const connected = engine !== null && !engine.handshaking;
    if (!connected && linger > 0 && this.#queuedForPeer) {
      this.#delivery = setTimeout(() => this.#finish(), linger);
      this.#delivery.unref?.();
      return this.#closePromise();
    }
    if (!connected) {
      this.#finish();
      return null;
    }
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    endWithLinger(engine, linger);
    return this.#engine === null ? null : this.#closePromise();
  }

  get #queuedForPeer(): boolean {
    return this.#pipe !== null && this.#pipe.socketEnd.outbound.size > 0;
  }

  #closePromise(): Promise<void> {
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#closeSettled = resolve;
    return promise;
  }

  /** The end of a closed session: no more dialling, the connection cut, the pipe gone. Re-entrant. */
  #finish(): void {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    if (this.#delivery !== null) clearTimeout(this.#delivery);
    this.#delivery = null;
    this.#engine?.destroy();
    this.#detachPipe();
    if (this.#dialing !== null) this.#dialing.session = null;
    const settled = this.#closeSettled;
    this.#closeSettled = null;
    settled?.();
  }
}
