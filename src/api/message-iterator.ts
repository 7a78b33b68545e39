// `for await (const message of socket)`: the async iterator every receiving socket returns, with
// the behaviour of zeromq.js's async generator (`while (!closed) yield await receive()`, ending
// quietly when close() interrupts it) at a fraction of its cost. An async generator pays for its
// own promise, the awaited receive's and a result object per message; when a message is already
// queued this returns the one promise the receive makes, holding the result object itself.
// Imports core and the pending operations.

import type { ZmqError } from "../core/errors.ts";
import { ITERATION_DONE as DONE, type PendingOperations } from "./pending-operations.ts";

type Result = IteratorResult<Buffer[], undefined>;

/** What the iterator needs of its socket. */
export interface IterationSource {
  readonly pending: PendingOperations;
  readonly closed: boolean;
}

export class MessageIterator implements AsyncGenerator<Buffer[], undefined> {
  readonly #source: IterationSource;
  #finished = false;
  /** The result of a next() that is waiting for a message; later calls queue behind it. */
  #waiting: Promise<Result> | null = null;

  constructor(source: IterationSource) {
    this.#source = source;
  }

  next(): Promise<Result> {
    if (this.#waiting !== null) return this.#waiting.then(this.#again, this.#again);
    if (this.#finished) return Promise.resolve(DONE);
    const source = this.#source;
    if (source.closed) {
      this.#finished = true;
      return Promise.resolve(DONE);
    }
    let result: Promise<Result>;
    try {
      result = source.pending.iterate();
    } catch (error) {
      this.#finished = true;
      return Promise.reject(error);
    }
    // A message was ready: the promise is settled (or settles on the fairness turn) and cannot fail.
    if (source.pending.lastWasReady) return result;
    // Waiting, or failed at once (EFSM, a receive time-out of 0): like a generator, an error ends
    // the iteration, and a close() meanwhile ends it quietly (the pending receive gives DONE then).
    const waiting = result.then(this.#settled, this.#failed);
    this.#waiting = waiting;
    return waiting;
  }

  return(value?: undefined | PromiseLike<undefined>): Promise<Result> {
    this.#finished = true;
    return Promise.resolve(value).then((resolved) => ({ value: resolved, done: true }) as Result);
  }

  throw(error?: unknown): Promise<Result> {
    this.#finished = true;
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return(undefined);
  }

  readonly #again = (): Promise<Result> => this.next();

  readonly #settled = (result: Result): Result => {
    this.#waiting = null;
    if (result.done) this.#finished = true;
    return result;
  };

  readonly #failed = (error: ZmqError): never => {
    this.#waiting = null;
    this.#finished = true;
    throw error;
  };
}
