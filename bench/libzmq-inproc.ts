// The libzmq side of the inproc rows: a libzmq socket in a Bun Worker (bench/libzmq-inproc-worker.ts)
// that shares this thread's libzmq context, and this thread's handle on it. Blocking libzmq sockets
// need a thread each (a C program would start one), so the peer gets its own thread instead of
// being polled from ours; its context pointer crosses as a plain number (libzmq contexts are
// thread-safe), and the Worker loads the same library by its path.
//
// Control goes through a shared Int32Array, not postMessage: this thread blocks in zmq_send and
// then waits for the answer like a C program, so it does not turn its event loop meanwhile (a
// postMessage answer would need that), and each wake-up costs one futex call.

import type { LibzmqContext } from "../peers/libzmq/index.ts";

/** Slots of the shared control block. Only the owner named on each slot writes it. */
export const SLOT = {
  /** Worker: STARTING, READY (bound), CLOSED (socket closed) or FAILED. */
  STATE: 0,
  /** Main: the number of the latest batch request (PULL role). */
  REQUEST: 1,
  /** Main: that request's message count and size. */
  COUNT: 2,
  SIZE: 3,
  /** Worker: the number of the latest batch answered; RESULT, RECEIVED and BAD describe it. */
  DONE: 4,
  RESULT: 5,
  RECEIVED: 6,
  BAD: 7,
  /** Main: 1 asks the worker to close its socket and end. */
  STOP: 8,
} as const;
export const SLOTS = 9;

export const STATE = { STARTING: 0, READY: 1, CLOSED: 2, FAILED: 3 } as const;
export const RESULT = { OK: 0, STALL: 1 } as const;

export type PeerRole = "pull" | "rep";

/** What the Worker gets as workerData. */
export interface PeerSetup {
  role: PeerRole;
  /** The shared context's address and its library's path (LibzmqContext adopt and library). */
  context: number;
  library: string;
  endpoint: string;
  receiveHighWaterMark: number;
  control: SharedArrayBuffer;
}

/** The worker-side answer to one batch. */
export interface BatchAnswer {
  ok: boolean;
  received: number;
  bad: number;
}

/** Blocks until `control[slot]` differs from `from` or `ms` pass; returns the slot's value. */
export function waitChange(control: Int32Array, slot: number, from: number, ms: number): number {
  Atomics.wait(control, slot, from, ms);
  return Atomics.load(control, slot);
}

/** This thread's handle on one libzmq peer Worker. */
export class LibzmqInprocPeer {
  readonly #worker: Worker;
  readonly #control: Int32Array;
  #request = 0;

  private constructor(worker: Worker, control: Int32Array) {
    this.#worker = worker;
    this.#control = control;
  }

  /**
   * Starts the Worker, which binds `endpoint` in `context` with a PULL or REP, and waits (up to
   * 10 s, blocking this thread) until it is bound; connect after that.
   */
  static start(role: PeerRole, context: LibzmqContext, endpoint: string, receiveHighWaterMark = 1000): LibzmqInprocPeer {
    const control = new SharedArrayBuffer(SLOTS * 4);
    const setup: PeerSetup = { role, context: context.address, library: context.library.path, endpoint, receiveHighWaterMark, control };
    const worker = new Worker(new URL("./libzmq-inproc-worker.ts", import.meta.url).href, { workerData: setup } as WorkerOptions);
    const peer = new LibzmqInprocPeer(worker, new Int32Array(control));
    const deadline = performance.now() + 10_000;
    let state: number = STATE.STARTING;
    while (state === STATE.STARTING && performance.now() < deadline) state = waitChange(peer.#control, SLOT.STATE, STATE.STARTING, 100);
    if (state !== STATE.READY) {
      worker.terminate();
      throw new Error(`libzmq ${role} Worker ${state === STATE.FAILED ? "failed to start (see stderr)" : "did not start in 10 s"}`);
    }
    return peer;
  }

  /** PULL role: asks for `count` messages of `size` bytes; send them, then call waitForAnswer(). */
  request(count: number, size: number): void {
    const c = this.#control;
    Atomics.store(c, SLOT.COUNT, count);
    Atomics.store(c, SLOT.SIZE, size);
    Atomics.store(c, SLOT.REQUEST, ++this.#request);
    Atomics.notify(c, SLOT.REQUEST);
  }

  /**
   * Blocks until the worker answered the latest request. The worker itself answers STALL after 2 s
   * without a message, so `ms` only runs out when the worker is gone.
   */
  waitForAnswer(ms = 30_000): BatchAnswer {
    const c = this.#control;
    const deadline = performance.now() + ms;
    for (let done = Atomics.load(c, SLOT.DONE); done !== this.#request; ) {
      if (performance.now() > deadline || Atomics.load(c, SLOT.STATE) !== STATE.READY) {
        throw new Error(`libzmq PULL Worker did not answer batch ${this.#request} in ${ms / 1000} s`);
      }
      done = waitChange(c, SLOT.DONE, done, 100);
    }
    return { ok: Atomics.load(c, SLOT.RESULT) === RESULT.OK, received: Atomics.load(c, SLOT.RECEIVED), bad: Atomics.load(c, SLOT.BAD) };
  }

  /**
   * Asks the worker to close its socket, waits for that (up to 3 s), then ends the Worker. Returns
   * whether the socket is closed: only then may the context be terminated without hanging.
   */
  stop(): boolean {
    const c = this.#control;
    Atomics.store(c, SLOT.STOP, 1);
    Atomics.notify(c, SLOT.REQUEST);
    const deadline = performance.now() + 3_000;
    let state = Atomics.load(c, SLOT.STATE);
    while (state === STATE.READY && performance.now() < deadline) state = waitChange(c, SLOT.STATE, state, 100);
    this.#worker.terminate();
    return state === STATE.CLOSED;
  }
}
