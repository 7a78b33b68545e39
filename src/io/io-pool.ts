// A Context's I/O threads: N Bun Workers (io-worker.ts), started on first use, each taking new
// connections by least load, and retired after a second without any; and the application thread's
// side of them: one thread loop that sleeps on an Atomics doorbell until a Worker rings, then moves
// events and messages.
//
// The application thread always sleeps on Atomics: an eventfd stream would keep an idle process
// alive, and Atomics won the idle wake-up measurement (bench/scenarios/io-signalers.ts). `signaler`
// chooses what the Workers sleep on. Workers are always unref'd: open connections never keep the
// process alive (zeromq.js's rule), while pending operations and lingering closes hold the
// application thread's loop (reactor/keep-alive.ts), and the Workers run as long as the process
// does. A Worker that dies takes its connections with it, and each is reported to its session as
// lost (a connecting session redials). A Worker whose script fails to load (a bundle without it:
// worker-script.ts) is no silent hang either: a process warning says so once, each of its
// connections fails with EMTHREAD (the monitor's handshake:error:other) and is redialled, and from
// then on the pool declines new connections, whose engines then run on the application thread.
// One Worker's side is worker-handle.ts. Imports thread, transport, engine and core.

import type { ByteStream } from "../core/byte-stream.ts";
import type { DialHost, EngineHost } from "../engine/engine.ts";
import type { Authenticator } from "../engine/handshake.ts";
import { createRing } from "../thread/byte-ring.ts";
import { AtomicsDoorbell } from "../thread/doorbell.ts";
import { FrameArena, LEND_MAX_BYTES, LEND_MIN_BYTES, createArenaShare } from "../thread/frame-arena.ts";
import { ThreadLoop } from "../thread/thread-loop.ts";
import type { StreamAddress } from "../transport/endpoint.ts";
import type { DetachedStream } from "../transport/handoff.ts";
import { RING_BYTES } from "./pipe-bridge.ts";
import type { EngineSpec, WorkerCommand } from "./protocol.ts";
import { RemoteEngine } from "./remote-engine.ts";
import { LOAD_FAILURE_FIX, WorkerHandle, type WorkerOwner } from "./worker-handle.ts";
import { ioWorkerUrl } from "./worker-script.ts";

const STOP_GRACE_MS = 1000;

export interface IoPoolOptions {
  threads: number;
  signaler: "atomics" | "eventfd";
  /** The Worker's script (default: worker-script.ts's); tests substitute one that dies on purpose. */
  workerUrl?: string;
}

export class IoPool implements WorkerOwner {
  readonly #options: IoPoolOptions;
  /** Set once a Worker's script failed to load: later ones would fail alike, so none is started. */
  #disabled = false;
  readonly #loop = new ThreadLoop(new AtomicsDoorbell());
  /**
   * Made by the first `allocate` that can use it, not before: a Worker holding 64 MiB of shared
   * memory, untouched or not, lets its garbage grow that much further between collections.
   */
  #arena: FrameArena | null = null;
  /** One slot per I/O thread (its index is its affinity bit); a Worker starts when first needed. */
  readonly #slots: Array<WorkerHandle | null>;
  #nextId = 1;
  #closed = false;

  constructor(options: IoPoolOptions) {
    this.#options = options;
    this.#slots = new Array<WorkerHandle | null>(options.threads).fill(null);
    this.#loop.start();
  }

  /**
   * A Buffer of `size` bytes in the Context's arena (thread/frame-arena.ts): sent through an I/O
   * thread, it crosses without a copy. Null when the arena has no block for it.
   */
  allocate(size: number): Buffer | null {
    if (size < LEND_MIN_BYTES || size > LEND_MAX_BYTES) return null;
    if (this.#arena === null) {
      this.#arena = new FrameArena(createArenaShare());
      for (const handle of this.#slots) handle?.offerArena(this.#arena);
    }
    return this.#arena.allocate(size);
  }

  /** Connections per I/O thread, by index (0 for one not started): the load the pool balances. */
  loads(): number[] {
    return this.#slots.map((_, index) => this.#load(index));
  }

  /**
   * A new engine that dials `address` in the least loaded Worker among those `spec.affinity`
   * allows (all when it allows none that exists); the session calls `start()`.
   */
  dial(address: StreamAddress, spec: EngineSpec, host: EngineHost & DialHost, authenticate?: Authenticator): RemoteEngine | null {
    return this.#disabled ? null : this.#engine({ address }, spec, host, authenticate);
  }

  /**
   * A new engine for a connection accepted on this thread, moved to the least loaded Worker (its
   * descriptor handed over); null when the stream cannot move or no Worker can start, and its
   * engine must run here.
   */
  adopt(stream: ByteStream, spec: EngineSpec, host: EngineHost, authenticate?: Authenticator): RemoteEngine | null {
    if (this.#disabled) return null;
    const detached = stream.detach?.() ?? null;
    return detached === null ? null : this.#engine({ stream: detached }, spec, host, authenticate);
  }

  /** `authenticate`: the socket's authenticator, asked on this thread for a server mechanism in the Worker. */
  #engine(
    target: { address: StreamAddress } | { stream: DetachedStream },
    spec: EngineSpec,
    host: EngineHost & Partial<DialHost>,
    authenticate: Authenticator | undefined,
  ): RemoteEngine {
    const worker = this.#pick(spec.affinity);
    const rings = { toWorker: createRing(RING_BYTES), fromWorker: createRing(RING_BYTES) };
    const engine = new RemoteEngine(this.#nextId++, worker, host, target, spec, rings, authenticate);
    worker.adopt(engine);
    return engine;
  }

  /** Stops every Worker (their connections close at once, reported to their sessions) and the application thread's loop. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const workers = this.#slots.filter((handle): handle is WorkerHandle => handle !== null);
    this.#slots.fill(null);
    for (const handle of workers) {
      // The connections go with their Workers: each session hears so now, or a closed socket still
      // lingering on one would wait for ever, holding the event loop (reactor/keep-alive.ts).
      for (const engine of [...handle.engines.values()]) engine.destroy();
      handle.detach();
    }
    await Promise.all(workers.map((handle) => stopWorker(handle.worker)));
    this.#loop.close();
  }

  /** Stops a Worker that stayed idle; a later connection starts a fresh one. */
  retire(handle: WorkerHandle): void {
    if (!handle.idle || !this.remove(handle)) return;
    void stopWorker(handle.worker);
  }

  /** No Worker can start: warn once, and leave every later connection's engine to the application thread. */
  disable(problem: string): void {
    if (this.#disabled) return;
    this.#disabled = true;
    process.emitWarning(`${problem}; this Context's connections run on the application thread from now on. ${LOAD_FAILURE_FIX}`, {
      code: "BUNZMQ_IO_THREADS_UNAVAILABLE",
    });
  }

  /** Drops a dead Worker; false if it was already gone (or the pool is closing). */
  remove(handle: WorkerHandle): boolean {
    const index = this.#slots.indexOf(handle);
    if (index < 0) return false;
    this.#slots[index] = null;
    handle.detach();
    return true;
  }

  #pick(affinity: number): WorkerHandle {
    let allowed = [...this.#slots.keys()].filter((index) => index < 31 && (affinity & (1 << index)) !== 0);
    if (affinity === 0 || allowed.length === 0) allowed = [...this.#slots.keys()];
    // An idle slot (no Worker yet) has load 0; among equals the lowest index wins.
    let best = allowed[0]!;
    for (const index of allowed) if (this.#load(index) < this.#load(best)) best = index;
    let handle = this.#slots[best];
    if (handle === null || handle === undefined) {
      handle = new WorkerHandle(this, this.#loop, this.#options.signaler, this.#options.workerUrl ?? ioWorkerUrl(), this.#arena);
      this.#slots[best] = handle;
    }
    return handle;
  }

  #load(index: number): number {
    return this.#slots[index]?.engines.size ?? 0;
  }
}

/** Asks a Worker to stop, and terminates it if it has not within a second. */
function stopWorker(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      worker.terminate();
      resolve();
    }, STOP_GRACE_MS);
    worker.onmessage = (event: MessageEvent<{ type: string }>) => {
      if (event.data.type !== "stopped") return;
      clearTimeout(timer);
      worker.terminate();
      resolve();
    };
    worker.postMessage({ type: "stop" } satisfies WorkerCommand);
  });
}
