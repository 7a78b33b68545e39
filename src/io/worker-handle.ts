// One I/O Worker as the application thread sees it (io-pool.ts keeps N of them): the Worker, the
// link its connections' rings are bridged through, its events mailbox, and what happens when it
// goes idle, dies, or never loads. Imports thread and its siblings.

import type { FrameArena } from "../thread/frame-arena.ts";
import { AtomicsRinger, type DoorbellRinger } from "../thread/doorbell.ts";
import { EventfdRinger } from "../thread/eventfd-doorbell.ts";
import { MailboxReceiver, createMailboxRing } from "../thread/mailbox.ts";
import { ReadyReceiver, ReadySender, createReadyList } from "../thread/ready-list.ts";
import type { ThreadLoop } from "../thread/thread-loop.ts";
import type { ThreadLink } from "./pipe-bridge.ts";
import type { WorkerCommand, WorkerEvent, WorkerPosted } from "./protocol.ts";
import type { EngineThread, RemoteEngine } from "./remote-engine.ts";
import { describeWorkerScript } from "./worker-script.ts";

/** A Worker without connections for this long is stopped (a new one starts on demand). */
const IDLE_RETIRE_MS = 1000;

/** What a Worker reports to the pool that owns it. */
export interface WorkerOwner {
  /** The Worker has been idle for IDLE_RETIRE_MS: stop it unless it took work meanwhile. */
  retire(handle: WorkerHandle): void;
  /** Drops a dead Worker; false if it was already gone. */
  remove(handle: WorkerHandle): boolean;
  /** No Worker can start: warn once, and run every later connection on the application thread. */
  disable(problem: string): void;
}

export class WorkerHandle implements EngineThread {
  readonly worker: Worker;
  readonly engines = new Map<number, RemoteEngine>();
  readonly link: ThreadLink;
  ringer: DoorbellRinger = { ring() {} };
  /** Set by the Worker's first message: its script loaded and ran. */
  #started = false;
  #offeredArena: FrameArena | null = null;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #events: MailboxReceiver<WorkerEvent>;
  readonly #pool: WorkerOwner;
  readonly #loop: ThreadLoop;
  readonly #source = { pump: () => this.#takeEvents(), hasWork: () => this.#events.readable };

  constructor(pool: WorkerOwner, loop: ThreadLoop, signaler: "atomics" | "eventfd", url: string, arena: FrameArena | null) {
    this.#pool = pool;
    this.#loop = loop;
    const events = createMailboxRing();
    this.#events = new MailboxReceiver<WorkerEvent>(events);
    const [readyToWorker, readyFromWorker] = [createReadyList(), createReadyList()];
    this.worker = new Worker(url);
    this.worker.unref();
    this.link = {
      loop,
      incoming: new ReadyReceiver(readyFromWorker),
      // Ids queued before the Worker's doorbell is known are found by its first loop turn.
      outgoing: new ReadySender(readyToWorker, { ring: () => this.ringer.ring() }, loop),
      handOver: (id, ring) => this.post({ type: "ring", id, ring }),
      // Known to the Worker from its init, which it reads before any ring.
      arena,
      lent: null,
    };
    this.worker.onmessage = (event: MessageEvent<WorkerPosted>) => {
      const message = event.data;
      if (message.type === "ring") this.engines.get(message.id)?.onRingMoved(message.ring);
      if (message.type === "arena-ready") this.link.arena = this.#offeredArena;
      if (message.type !== "started") return;
      this.#started = true;
      this.ringer = message.doorbell.kind === "eventfd" ? new EventfdRinger(message.doorbell) : new AtomicsRinger(message.doorbell);
      // Anything posted before the doorbell was known is pumped by the Worker's first loop turn.
      this.ringer.ring();
    };
    // Bun reports a script that does not load only here (an ErrorEvent), never by a throw.
    this.worker.onerror = (event) => (this.#started ? this.#died("the I/O thread failed") : this.#failedToLoad(url, event.message));
    this.worker.addEventListener("close", () =>
      this.#started ? this.#died("the I/O thread exited") : this.#failedToLoad(url, "it exited before it started"),
    );
    this.post({
      type: "init",
      mainDoorbell: loop.doorbell.address,
      events,
      signaler,
      readyToWorker,
      readyFromWorker,
      arena: arena?.share ?? null,
    });
    loop.add(this.#source);
    loop.add(this.link.incoming);
  }

  /**
   * Gives a running Worker the arena `Socket.allocate` just made. Frames are lent to it only once
   * it answers: a lent record must never reach a ring reader that cannot resolve it.
   */
  offerArena(arena: FrameArena): void {
    this.#offeredArena = arena;
    this.post({ type: "arena", arena: arena.share });
  }

  /** The pool no longer uses this Worker: stop reading its events and ready list. */
  detach(): void {
    clearTimeout(this.#idleTimer);
    this.#loop.delete(this.#source);
    this.#loop.delete(this.link.incoming);
  }

  post(command: WorkerCommand): void {
    this.worker.postMessage(command);
  }

  adopt(engine: RemoteEngine): void {
    clearTimeout(this.#idleTimer);
    this.engines.set(engine.id, engine);
  }

  forget(engine: RemoteEngine): void {
    if (!this.engines.delete(engine.id) || this.engines.size > 0) return;
    this.#idleTimer = setTimeout(() => this.#pool.retire(this), IDLE_RETIRE_MS);
    this.#idleTimer.unref?.();
  }

  get idle(): boolean {
    return this.engines.size === 0;
  }

  #takeEvents(): void {
    this.#events.take((event) => {
      const engine = this.engines.get(event.id);
      if (engine === undefined) return;
      if (event.type === "connected") engine.onConnected(event.remoteAddress);
      else if (event.type === "authenticate") engine.onAuthenticate(event.request);
      else if (event.type === "dial-failed") engine.onDialFailed();
      else if (event.type === "ready") engine.onReady(event.peer);
      else engine.onClosed(event.failure);
    });
    if (this.#events.takeSenderWaiting()) this.ringer.ring();
  }

  #died(reason: string): void {
    if (!this.#pool.remove(this)) return;
    for (const engine of [...this.engines.values()]) {
      const stage = engine.handshaking ? "handshake" : "traffic";
      engine.onClosed({ stage, kind: "lost", code: "EPIPE", message: `${reason}; its connections are gone` }, true);
    }
  }

  /**
   * The script never ran, so none of the connections got anywhere: each fails as "lost" (its
   * session redials, and the pool now declines it) with EMTHREAD and what to do in the detail.
   */
  #failedToLoad(url: string, reason: string): void {
    if (!this.#pool.remove(this)) return;
    const problem = `an I/O thread could not start: ${describeWorkerScript(url)} did not load (${reason})`;
    this.#pool.disable(problem);
    const message = `${problem}; the connection is redialled with its engine on the application thread. ${LOAD_FAILURE_FIX}`;
    for (const engine of [...this.engines.values()]) engine.onClosed({ stage: "handshake", kind: "lost", code: "EMTHREAD", message });
  }
}

/** What a user can do when I/O threads cannot start (the detail of the warning and of EMTHREAD). */
export const LOAD_FAILURE_FIX =
  "Install bunzmq from its published package (which carries the prebuilt script bundles need), or set the Context's ioThreads to 0";
