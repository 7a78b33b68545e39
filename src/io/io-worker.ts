// An I/O thread (a Bun Worker): dials connections, or adopts ones the application thread accepted,
// and runs their ZMTP engines (framing, batching, handshakes, encryption, heartbeats) on its own
// event loop, so the application thread only moves whole messages through rings. Commands arrive by
// postMessage (protocol.ts); events leave through the mailbox; messages cross in each connection's
// two rings, pumped by this thread's loop. Imports thread, transport, engine, mechanism, pipe and
// core.

import type { ByteStream } from "../core/byte-stream.ts";
import { loadCryptoBackend } from "../engine/crypto-backend.ts";
import type { Engine, EngineFailure, EngineHost, PeerDescription } from "../engine/engine.ts";
import { type EngineConfig, ZmtpEngine } from "../engine/zmtp-engine.ts";
import { asksAuthenticator, createMechanism } from "../mechanism/create.ts";
import { type PipeEnd, createPipePair } from "../pipe/pipe-end.ts";
import { AtomicsDoorbell, AtomicsRinger, type DoorbellRinger } from "../thread/doorbell.ts";
import { LentFrames } from "../thread/frame-arena.ts";
import { EventfdDoorbell, EventfdRinger, eventfdAvailable } from "../thread/eventfd-doorbell.ts";
import { MailboxSender } from "../thread/mailbox.ts";
import { ReadyReceiver, ReadySender } from "../thread/ready-list.ts";
import { ThreadLoop } from "../thread/thread-loop.ts";
import { adoptStream } from "../transport/bun-stream.ts";
import type { DetachedStream } from "../transport/handoff.ts";
import { connect } from "../transport/transport.ts";
import { type PipeBridge, type ThreadLink, bridgeRings } from "./pipe-bridge.ts";
import type { Verdict } from "../mechanism/mechanism.ts";
import type { AuthenticationRequest } from "../engine/handshake.ts";
import {
  type EngineSpec,
  type WorkerCommand,
  type WorkerEvent,
  type WorkerPosted,
  summarizeCredentials,
  summarizePeer,
} from "./protocol.ts";

declare const self: Worker;

/** One connection's half in this thread: the engine, its local pipe, and the bridge to the rings. */
class Connection implements EngineHost {
  readonly #id: number;
  readonly #spec: EngineSpec;
  readonly #thread: IoThread;
  /** The connection's first rings, until the bridge takes them (they are freed once it moves on). */
  #rings: { toWorker: SharedArrayBuffer; fromWorker: SharedArrayBuffer } | null;
  /** Rings the application thread's half moved to before the bridge existed, in order. */
  readonly #moved: SharedArrayBuffer[] = [];
  #engine: Engine | null = null;
  #bridge: PipeBridge | null = null;
  #gone = false;
  /** A server mechanism's question to the application thread's authenticator, awaiting its verdict. */
  #verdict: ((verdict: Verdict) => void) | null = null;
  /** Set while a closed engine's last messages move into the ring: reports the close at once. */
  #announceClosed: (() => void) | null = null;

  constructor(id: number, spec: EngineSpec, thread: IoThread, rings: { toWorker: SharedArrayBuffer; fromWorker: SharedArrayBuffer }) {
    this.#id = id;
    this.#spec = spec;
    // This thread chooses its own crypto backend (native libsodium loads here too), before the handshake.
    if (spec.mechanism.mechanism === "CURVE") void loadCryptoBackend();
    this.#thread = thread;
    this.#rings = { toWorker: rings.toWorker, fromWorker: rings.fromWorker };
  }

  dial(address: Parameters<typeof connect>[0]): void {
    connect(address, this.#spec.connectTimeout, this.#spec.transport).then(
      (stream) => this.#run(stream, true),
      () => {
        if (this.#gone) return;
        this.#gone = true;
        this.#thread.connectionGone(this.#id, { type: "dial-failed", id: this.#id });
      },
    );
  }

  /** Takes over a connection the application thread accepted; a failure closes it as lost. */
  adopt(detached: DetachedStream): void {
    adoptStream(detached).then(
      (stream) => this.#run(stream, false),
      (error: Error) => {
        if (this.#gone) return;
        this.#gone = true;
        const failure: EngineFailure = {
          stage: "handshake",
          kind: "lost",
          code: "EPIPE",
          message: `the I/O thread could not adopt the connection: ${error.message}`,
        };
        this.#thread.connectionGone(this.#id, { type: "closed", id: this.#id, failure });
      },
    );
  }

  /**
   * Graceful end: once the incoming ring is empty (its messages are in the engine's pipe, which the
   * engine flushes before its FIN), the engine ends. The application thread bounds this with linger.
   */
  end(): void {
    // The engine closed already; its closure is announced once its last messages are in the ring.
    if (this.#announceClosed !== null) return;
    const engine = this.#engine;
    const bridge = this.#bridge;
    if (engine === null || bridge === null) return this.destroy();
    bridge.whenDrained("in", () => engine.end());
  }

  destroy(): void {
    if (this.#engine !== null) this.#engine.destroy();
    else this.#gone = true;
    // Still handing over what the closed engine delivered: the application thread no longer wants it.
    this.#announceClosed?.();
  }

  /** The application thread's half moved its ring to `ring` (thread/byte-ring.ts). */
  ringMoved(ring: SharedArrayBuffer): void {
    if (this.#bridge === null) this.#moved.push(ring);
    else this.#bridge.follow(ring);
  }

  /** The application thread's answer to `#authenticate`. */
  verdict(verdict: Verdict): void {
    const answer = this.#verdict;
    this.#verdict = null;
    answer?.(verdict);
  }

  // Server mechanisms ask the socket's authenticator (a ZAP handler in its Context, or a callback),
  // which lives on the application thread: the credentials go there, the verdict comes back.
  #authenticate(request: AuthenticationRequest): Promise<Verdict> {
    this.#thread.post({ type: "authenticate", id: this.#id, request: summarizeCredentials(request) });
    return new Promise((resolve) => (this.#verdict = resolve));
  }

  engineReady(_engine: Engine, peer: PeerDescription): PipeEnd {
    const spec = this.#spec;
    const { socketEnd, peerEnd } = createPipePair(
      spec.sendHighWaterMark,
      spec.receiveHighWaterMark,
      { routingId: peer.routingId, address: "" },
      spec.conflate,
    );
    const { toWorker, fromWorker } = this.#rings!;
    this.#rings = null;
    this.#bridge = bridgeRings(this.#id, socketEnd, { out: fromWorker, in: toWorker }, this.#thread.link, this.#moved.splice(0));
    this.#thread.post({
      type: "ready",
      id: this.#id,
      peer: summarizePeer(peer),
    });
    return peerEnd;
  }

  /**
   * The engine is done. What it delivered before closing (everything the peer sent before its FIN)
   * may still sit in the local pipe or half-way into a full ring: the closure is announced only once
   * all of it is in the ring, so the application thread reads it before it hears of the close.
   */
  engineClosed(_engine: Engine, failure: EngineFailure | null): void {
    const bridge = this.#bridge;
    const announce = () => {
      this.#announceClosed = null;
      if (bridge !== null) {
        bridge.close();
        this.#thread.link.incoming.delete(this.#id);
      }
      this.#gone = true;
      this.#thread.connectionGone(this.#id, { type: "closed", id: this.#id, failure });
    };
    if (bridge === null) return announce();
    this.#announceClosed = announce;
    bridge.whenDrained("out", announce);
  }

  /** Runs the engine over `stream`; `dialled` streams are announced (the session emits "connect"). */
  #run(stream: ByteStream, dialled: boolean): void {
    if (this.#gone) return stream.destroy();
    if (dialled) this.#thread.post({ type: "connected", id: this.#id, remoteAddress: stream.remoteAddress });
    const spec = this.#spec;
    // The spec carries the engine's limits as they are; only the mechanism is made here, fresh.
    const config: EngineConfig = { ...spec, mechanism: createMechanism(spec.mechanism, spec.ownProperties) };
    if (asksAuthenticator(spec.mechanism)) config.authenticate = (request) => this.#authenticate(request);
    this.#engine = new ZmtpEngine(stream, config, this);
    this.#engine.start();
  }
}

/** This Worker's state: its loop and doorbell, the way back to the application thread, its connections. */
class IoThread {
  readonly loop: ThreadLoop;
  readonly link: ThreadLink;
  readonly #events: MailboxSender<WorkerEvent>;
  readonly #connections = new Map<number, Connection>();

  constructor(init: Extract<WorkerCommand, { type: "init" }>) {
    // Where eventfd is missing (not Linux with glibc) the Worker sleeps on Atomics instead.
    this.loop = new ThreadLoop(init.signaler === "eventfd" && eventfdAvailable() ? new EventfdDoorbell() : new AtomicsDoorbell());
    const main: DoorbellRinger =
      init.mainDoorbell.kind === "eventfd" ? new EventfdRinger(init.mainDoorbell) : new AtomicsRinger(init.mainDoorbell);
    this.#events = new MailboxSender<WorkerEvent>(init.events, main);
    this.link = {
      loop: this.loop,
      incoming: new ReadyReceiver(init.readyToWorker),
      outgoing: new ReadySender(init.readyFromWorker, main, this.loop),
      handOver: (id, ring) => self.postMessage({ type: "ring", id, ring } satisfies WorkerPosted),
      arena: null,
      lent: init.arena === null ? null : new LentFrames(init.arena),
    };
    // A mailbox that was full is flushed again whenever this thread wakes.
    this.loop.add({ pump: () => void this.#events.flush(), hasWork: () => false });
    this.loop.add(this.link.incoming);
    this.loop.start();
  }

  post(event: WorkerEvent): void {
    this.#events.post(event);
  }

  connectionGone(id: number, event: WorkerEvent): void {
    this.#connections.delete(id);
    this.post(event);
  }

  handle(command: WorkerCommand): void {
    switch (command.type) {
      case "dial": {
        const connection = new Connection(command.id, command.spec, this, command);
        this.#connections.set(command.id, connection);
        connection.dial(command.address);
        return;
      }
      case "adopt": {
        const connection = new Connection(command.id, command.spec, this, command);
        this.#connections.set(command.id, connection);
        connection.adopt(command.stream);
        return;
      }
      case "verdict":
        return this.#connections.get(command.id)?.verdict(command.verdict);
      case "ring":
        return this.#connections.get(command.id)?.ringMoved(command.ring);
      case "end":
        return this.#connections.get(command.id)?.end();
      case "destroy":
        return this.#connections.get(command.id)?.destroy();
      case "stop":
        for (const connection of [...this.#connections.values()]) connection.destroy();
        this.loop.close();
        self.postMessage({ type: "stopped" } satisfies WorkerPosted);
        return;
      case "arena":
        this.link.lent = new LentFrames(command.arena);
        self.postMessage({ type: "arena-ready" } satisfies WorkerPosted);
        return;
      case "init":
        return;
    }
  }
}

let thread: IoThread | null = null;

self.onmessage = (event: MessageEvent<WorkerCommand>) => {
  const command = event.data;
  if (command.type === "init") {
    thread = new IoThread(command);
    self.postMessage({ type: "started", doorbell: thread.loop.doorbell.address } satisfies WorkerPosted);
    return;
  }
  thread?.handle(command);
};
