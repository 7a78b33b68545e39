// The application thread's stand-in for an engine that runs in an I/O Worker. Sessions drive it
// like any engine (engine/engine.ts): it asks its Worker to dial, turns the Worker's events into the
// session's callbacks, and once the handshake is done bridges the session's pipe to the
// connection's rings (pipe-bridge.ts), following the rings the Worker's half moves to. Imports
// transport and engine.

import type { DialHost, Engine, EngineFailure, EngineHost } from "../engine/engine.ts";
import type { StreamAddress } from "../transport/endpoint.ts";
import type { DetachedStream } from "../transport/handoff.ts";
import { type PipeBridge, type ThreadLink, bridgeRings } from "./pipe-bridge.ts";
import { type Authenticator, NO_AUTHENTICATOR } from "../engine/handshake.ts";
import { type CredentialsSummary, type EngineSpec, type PeerSummary, type WorkerCommand, credentialsOf, peerOf } from "./protocol.ts";

/** The Worker the engine runs in, as the pool presents it. */
export interface EngineThread {
  post(command: WorkerCommand): void;
  /** The ready lists and ring handovers between the application thread and this Worker. */
  readonly link: ThreadLink;
  forget(engine: RemoteEngine): void;
}

export class RemoteEngine implements Engine {
  readonly id: number;
  /** Known once the Worker's dial connected, or from the start for an adopted connection; the bytes are the Worker's. */
  remoteAddress = "";
  readonly closeRequested = false;
  handshaking = true;
  readonly #thread: EngineThread;
  readonly #host: EngineHost;
  readonly #dialHost: DialHost | null;
  /** What start() posts (then drops): a dial, or the adoption of a connection accepted on this thread. */
  #dial: Extract<WorkerCommand, { type: "dial" | "adopt" }> | null;
  /** The connection's first rings, until the bridge takes them (they are freed once it moves on). */
  #rings: { toWorker: SharedArrayBuffer; fromWorker: SharedArrayBuffer } | null;
  /** Rings the Worker's half moved to before the bridge existed, in order. */
  readonly #moved: SharedArrayBuffer[] = [];
  #bridge: PipeBridge | null = null;
  #closed = false;
  /** Set once the Worker reports its engine closed, while the ring's last messages move in. */
  #workerClosed: EngineFailure | null | undefined = undefined;
  /** The socket's authenticator, for a server mechanism in the Worker (absent otherwise). */
  readonly #authenticate: Authenticator | undefined;
  /** Aborted when the connection ends, so a ZAP request for it is withdrawn (engine/handshake.ts Authenticator). */
  readonly #ended = new AbortController();

  /** `target`: the address to dial, or the accepted connection to adopt (then `host` dials nothing). */
  constructor(
    id: number,
    thread: EngineThread,
    host: EngineHost & Partial<DialHost>,
    target: { address: StreamAddress } | { stream: DetachedStream },
    spec: EngineSpec,
    rings: { toWorker: SharedArrayBuffer; fromWorker: SharedArrayBuffer },
    authenticate: Authenticator | undefined,
  ) {
    this.id = id;
    this.#authenticate = authenticate;
    this.#thread = thread;
    this.#host = host;
    this.#dialHost = host.connected !== undefined && host.dialFailed !== undefined ? (host as DialHost) : null;
    this.#rings = rings;
    if ("stream" in target) {
      this.remoteAddress = target.stream.remoteAddress;
      this.#dial = { type: "adopt", id, stream: target.stream, spec, ...rings };
    } else {
      this.#dial = { type: "dial", id, address: target.address, spec, ...rings };
    }
  }

  start(): void {
    if (this.#dial !== null) this.#thread.post(this.#dial);
    this.#dial = null;
  }

  /**
   * Graceful end: the session's queued messages move into the ring first (however many pumps that
   * takes), then the Worker flushes and sends FIN. The session bounds this with linger.
   */
  end(): void {
    if (this.#closed) return;
    // The Worker's engine closed already: nothing can go out any more, so this end is the close.
    if (this.#workerClosed !== undefined) return this.#finish(this.#workerClosed);
    const bridge = this.#bridge;
    if (bridge === null) return this.destroy();
    bridge.whenDrained("out", () => this.#thread.post({ type: "end", id: this.id }));
  }

  destroy(): void {
    if (this.#closed) return;
    this.#thread.post({ type: "destroy", id: this.id });
    this.#finish(null);
  }

  onConnected(remoteAddress: string): void {
    if (this.#closed) return;
    this.remoteAddress = remoteAddress;
    this.#dialHost?.connected(remoteAddress);
  }

  onDialFailed(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#thread.forget(this);
    this.#dialHost?.dialFailed();
  }

  /** The Worker's server mechanism asks for a verdict; the answer goes back unless the connection ended. */
  onAuthenticate(request: CredentialsSummary): void {
    if (this.#closed) return;
    const authenticate = this.#authenticate;
    const verdict =
      authenticate === undefined ? Promise.resolve(NO_AUTHENTICATOR) : authenticate(credentialsOf(request), this.#ended.signal);
    void verdict.then((answer) => {
      if (!this.#closed) this.#thread.post({ type: "verdict", id: this.id, verdict: answer });
    });
  }

  onReady(peer: PeerSummary): void {
    if (this.#closed) return;
    this.handshaking = false;
    const end = this.#host.engineReady(this, peerOf(peer));
    const { toWorker, fromWorker } = this.#rings!;
    this.#rings = null;
    this.#bridge = bridgeRings(this.id, end, { out: toWorker, in: fromWorker }, this.#thread.link, this.#moved.splice(0));
  }

  /** The Worker's half moved its ring to `ring` (thread/byte-ring.ts). */
  onRingMoved(ring: SharedArrayBuffer): void {
    if (this.#closed) return;
    if (this.#bridge === null) this.#moved.push(ring);
    else this.#bridge.follow(ring);
  }

  /**
   * The Worker's engine closed (or the Worker died): the session hears it once. Messages the Worker
   * delivered before closing may still be in the ring, more than the socket's pipe has room for:
   * the session hears of the close once they have all moved, as a local engine delivers what it
   * holds before it reports a close. A dead Worker (`lost`) hands over nothing more: its
   * connections close at once.
   */
  onClosed(failure: EngineFailure | null, lost = false): void {
    if (this.#closed) return;
    const bridge = this.#bridge;
    if (bridge === null || lost) return this.#finish(failure);
    this.#workerClosed = failure;
    bridge.whenDrained("in", () => this.#finish(failure));
  }

  #finish(failure: EngineFailure | null): void {
    this.#closed = true;
    this.#ended.abort();
    if (this.#bridge !== null) {
      this.#bridge.close();
      this.#thread.link.incoming.delete(this.id);
    }
    this.#thread.forget(this);
    this.#host.engineClosed(this, failure);
  }
}
