// The one pending send and one pending receive a zeromq.js socket allows, with timeouts and the
// event-loop fairness rule. Imports socket, reactor, core and message conversion. A waiting
// operation holds the event loop (reactor/keep-alive.ts), as zeromq.js's does: the process cannot
// end under a pending `await receive()`.

import { ZmqError } from "../core/errors.ts";
import type { Message } from "../core/message.ts";
import type { SocketOptions } from "../core/options.ts";
import { armDeadline, cancelDeadline, type DeadlineEntry } from "../reactor/deadlines.ts";
import { type Hold, holdEventLoop } from "../reactor/keep-alive.ts";
import type { SocketBase } from "../socket/socket-base.ts";
import { toBuffers } from "./message-like.ts";

// zeromq.js completes at most 512 operations in a row synchronously, then yields to the event loop
// once, so a tight `await send()` loop cannot starve I/O (api-contract §1.4).
const MAX_SYNC_OPERATIONS = 512;
const RESOLVED: Promise<void> = Promise.resolve();
/** PendingReceive.batch of iterate(): one message, as an iterator result. */
const ITERATE = -1;
/** The result of a finished iteration (message-iterator.ts). */
export const ITERATION_DONE: IteratorResult<Buffer[], undefined> = Object.freeze({ value: undefined, done: true });

// Sends made on this thread (any socket), so a waiting receive can tell whether a sender in this
// same event loop is still producing, and whether a message arrives from inside one: see #onReadable.
let sendsOnThisThread = 0;
let insideSend = false;

type Reject = (error: ZmqError) => void;

/**
 * A send or receive that waits: it holds the event loop until settled, and expires after its time-out
 * (`sendTimeout`, `receiveTimeout`) through the thread's deadline heap (reactor/deadlines.ts).
 */
class Waiting<Value> implements DeadlineEntry {
  dueAt = 0;
  heapIndex = -1;
  readonly hold: Hold = holdEventLoop();

  constructor(
    readonly owner: PendingOperations,
    readonly resolve: (value: Value) => void,
    readonly reject: Reject,
  ) {}

  expire(): void {
    this.owner.expired(this);
  }
}

/** A send waiting for room. */
class PendingSend extends Waiting<void> {
  constructor(
    owner: PendingOperations,
    readonly message: Message,
    resolve: () => void,
    reject: Reject,
  ) {
    super(owner, resolve, reject);
  }
}

/** A receive waiting for a message. */
class PendingReceive extends Waiting<never> {
  constructor(
    owner: PendingOperations,
    /** 0 for receive(), ITERATE for iterate(), otherwise the most messages receiveBatch() may take. */
    readonly batch: number,
    resolve: (value: never) => void,
    reject: Reject,
  ) {
    super(owner, resolve, reject);
  }
}

/** What a receive hands over: a message, an iterator result, or a batch. */
type Taken = Buffer[] | IteratorResult<Buffer[], undefined> | Buffer[][];

export class PendingOperations {
  readonly #core: SocketBase;
  readonly #options: SocketOptions;
  #send: PendingSend | null = null;
  #receive: PendingReceive | null = null;
  #syncSends = 0;
  #syncReceives = 0;
  /** Whether the last receive, receiveBatch or iterate found a message at once (its promise cannot reject). */
  lastWasReady = false;
  /** A settle of the waiting receive is queued as a microtask (#onReadable). */
  #settling = false;
  /** `sendsOnThisThread` when that microtask last looked. */
  #sendsSeen = -1;

  constructor(core: SocketBase, options: SocketOptions) {
    this.#core = core;
    this.#options = options;
    core.onWritable = () => this.#onWritable();
    core.onReadable = () => this.#onReadable();
  }

  /**
   * Resolves once queued. Only misuse of the API itself (EBUSY) throws; what the socket refuses
   * (EFSM, EHOSTUNREACH, EINVAL for a bad envelope) rejects, as zeromq.js rejects libzmq's errors.
   */
  send(message: Message): Promise<void> {
    if (this.#send !== null) throw busy("writing", "send");
    sendsOnThisThread++;
    let queued: boolean;
    insideSend = true;
    try {
      queued = this.#core.trySend(message);
    } catch (error) {
      return Promise.reject(error);
    } finally {
      insideSend = false;
    }
    if (queued) {
      if (++this.#syncSends < MAX_SYNC_OPERATIONS) return RESOLVED;
      this.#syncSends = 0;
      return new Promise((resolve) => setImmediate(resolve));
    }
    this.#syncSends = 0;
    const timeout = this.#options.sendTimeout;
    if (timeout === 0) return Promise.reject(timedOut());
    return new Promise((resolve, reject) => {
      const pending = new PendingSend(this, message, resolve, reject);
      if (timeout > 0) armDeadline(pending, timeout);
      this.#send = pending;
    });
  }

  /** bunzmq addition: queue now or return false at the high-water mark; never a promise. */
  trySend(message: Message): boolean {
    if (this.#send !== null) throw busy("writing", "send");
    sendsOnThisThread++;
    insideSend = true;
    try {
      return this.#core.trySend(message);
    } finally {
      insideSend = false;
    }
  }

  receive(): Promise<Buffer[]> {
    return this.#wait(0) as Promise<Buffer[]>;
  }

  /** bunzmq addition: waits like receive(), then returns every ready message, up to `max`. */
  receiveBatch(max: number): Promise<Buffer[][]> {
    if (!(max >= 1)) throw new ZmqError("EINVAL", "receiveBatch(max) needs max >= 1");
    return this.#wait(Math.floor(max)) as Promise<Buffer[][]>;
  }

  /**
   * receive() for `for await` (message-iterator.ts): resolves to the iterator's result, and to
   * `done` instead of rejecting with EAGAIN when the socket closes while it waits.
   */
  iterate(): Promise<IteratorResult<Buffer[], undefined>> {
    return this.#wait(ITERATE) as Promise<IteratorResult<Buffer[], undefined>>;
  }

  tryReceive(): Message | undefined {
    if (this.#receive !== null) throw busy("reading", "receive");
    return this.#core.tryReceive();
  }

  /** The socket closed: pending operations reject with EAGAIN, as zeromq.js does. */
  close(): void {
    const send = this.#send;
    const receive = this.#receive;
    this.#send = null;
    this.#receive = null;
    if (send !== null) {
      settled(send);
      send.reject(new ZmqError("EAGAIN", "Socket was closed before the message could be queued"));
    }
    if (receive !== null) {
      settled(receive);
      if (receive.batch === ITERATE) receive.resolve(ITERATION_DONE as never);
      else receive.reject(new ZmqError("EAGAIN", "Socket was closed while waiting to receive"));
    }
  }

  #wait(batch: number): Promise<unknown> {
    if (this.#receive !== null) throw busy("reading", "receive");
    let ready: Taken | undefined;
    this.lastWasReady = false;
    try {
      ready = this.#take(batch);
    } catch (error) {
      return Promise.reject(error); // EFSM: a REQ that has not sent, as zeromq.js rejects
    }
    if (ready !== undefined) {
      this.lastWasReady = true;
      if (++this.#syncReceives < MAX_SYNC_OPERATIONS) return Promise.resolve(ready);
      this.#syncReceives = 0;
      return new Promise((resolve) => setImmediate(() => resolve(ready)));
    }
    this.#syncReceives = 0;
    const timeout = this.#options.receiveTimeout;
    if (timeout === 0) return Promise.reject(timedOut());
    return new Promise((resolve, reject) => {
      const pending = new PendingReceive(this, batch, resolve, reject);
      if (timeout > 0) armDeadline(pending, timeout);
      this.#receive = pending;
    });
  }

  // One message as Buffer[] for receive(), as an iterator result for iterate(), or up to `batch` of
  // them for receiveBatch().
  #take(batch: number): Taken | undefined {
    const first = this.#core.tryReceive();
    if (first === undefined) return undefined;
    if (batch === 0) return toBuffers(first);
    if (batch === ITERATE) return { value: toBuffers(first), done: false };
    const messages = [toBuffers(first)];
    while (messages.length < batch) {
      const next = this.#core.tryReceive();
      if (next === undefined) break;
      messages.push(toBuffers(next));
    }
    return messages;
  }

  /**
   * A message arrived for a waiting receive. From the engine (tcp, ipc, a Worker) it is handed over
   * at once. From inside a send in this event loop (inproc) it waits for a microtask: taking that
   * one message now would make every `await send()` wake the receiver for one message, at the cost
   * of a whole receive each. The microtask goes to the back of the queue while this thread's sends
   * go on (the sender's next turn comes after it) and settles once a round passes without one: when
   * the sender waits, yields (every MAX_SYNC_OPERATIONS) or stops. A request/reply round trip pays
   * two microtask turns; a streaming sender's messages arrive in batches.
   */
  #onReadable(): void {
    if (this.#receive === null || this.#settling) return;
    if (!insideSend) return this.#settleReceive();
    this.#settling = true;
    this.#sendsSeen = -1; // the first look always passes the turn once: the sender's next turn is queued behind it
    queueMicrotask(this.#deferredSettle);
  }

  readonly #deferredSettle = (): void => {
    if (this.#sendsSeen !== sendsOnThisThread) {
      this.#sendsSeen = sendsOnThisThread;
      queueMicrotask(this.#deferredSettle);
      return;
    }
    this.#settling = false;
    this.#settleReceive();
  };

  #settleReceive(): void {
    const pending = this.#receive;
    if (pending === null) return;
    const ready = this.#take(pending.batch);
    if (ready === undefined) return;
    this.#receive = null;
    settled(pending);
    pending.resolve(ready as never);
  }

  #onWritable(): void {
    const pending = this.#send;
    if (pending === null) return;
    // A retry may throw (a mandatory Router whose peer left meanwhile: EHOSTUNREACH); that rejects
    // this send instead of escaping into the engine callback that woke us.
    let queued: boolean;
    try {
      queued = this.#core.trySend(pending.message);
    } catch (error) {
      this.#send = null;
      settled(pending);
      return pending.reject(error as ZmqError);
    }
    if (!queued) return;
    this.#send = null;
    settled(pending);
    pending.resolve();
  }

  /** A waiting operation's time-out passed (its deadline calls this): it rejects with EAGAIN. */
  expired(pending: Waiting<void> | Waiting<never>): void {
    if (this.#send === pending) this.#send = null;
    else if (this.#receive === pending) this.#receive = null;
    else return;
    settled(pending);
    pending.reject(timedOut());
  }
}

/** A pending operation is over: its deadline and its hold on the event loop go. */
function settled(pending: Waiting<void> | Waiting<never>): void {
  cancelDeadline(pending);
  pending.hold.release();
}

function busy(doing: string, operation: string): ZmqError {
  return new ZmqError("EBUSY", `await the pending ${operation}() first, or queue messages yourself`, undefined, {
    message: `Socket is busy ${doing}; only one ${operation} operation may be in progress at any time`,
  });
}

function timedOut(): ZmqError {
  // No detail: the message says it all, and a polling loop (a time-out of 0) meets this on every try,
  // where a detail costs the stack rewrite in ZmqError (about 1.4 µs).
  return new ZmqError("EAGAIN");
}
