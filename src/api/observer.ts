// socket.events: zeromq.js's Observer, consumed with on()/off(), receive() or `for await`.
// Imports core and reactor. A waiting receive() holds the event loop, as a pending socket receive
// does; listeners added with on() do not (zeromq.js's emitter mode does not either).

import { ZmqError } from "../core/errors.ts";
import type { Event, EventOfType, EventType } from "../core/events.ts";
import { type Hold, holdEventLoop } from "../reactor/keep-alive.ts";

type Listener = (event: Event) => void;

/** zeromq.js's listener side of the Observer: each listener gets its event type's payload. */
export interface EventSubscriber {
  /** Calls `listener` with each event of this type; returns the subscriber, for chaining. */
  on<E extends EventType>(type: E, listener: (data: EventOfType<E>) => void): EventSubscriber;
  /** Removes a listener added with on(). */
  off<E extends EventType>(type: E, listener: (data: EventOfType<E>) => void): EventSubscriber;
}

// Events queue up for receive()/iteration, bounded so an observer nobody reads cannot grow forever.
const MAX_QUEUED_EVENTS = 10_000;

/**
 * A socket's monitor events (`socket.events`), in libzmq's sequences: read them either with
 * listeners (`on()`) or as a queue (`receive()`, `for await`), not both. The queue keeps up to
 * 10,000 unread events and drops later ones, so an observer nobody reads stays bounded. It closes
 * with its socket.
 */
export class Observer implements EventSubscriber {
  #listeners: Map<EventType, Set<Listener>> | null = null;
  #queue: Event[] = [];
  #waiting: { resolve: (event: Event) => void; reject: (error: ZmqError) => void; hold: Hold } | null = null;
  #closed = false;

  /** Whether the socket, and so the observer, is closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Calls `listener` with each event of this type, in a microtask after it happens. Switches the
   * observer to listener mode for good: receive() then throws EINVAL, as in zeromq.js.
   */
  on<E extends EventType>(type: E, listener: (data: EventOfType<E>) => void): this {
    if (this.#listeners === null) {
      this.#listeners = new Map();
      this.#queue = [];
    }
    let set = this.#listeners.get(type);
    if (set === undefined) this.#listeners.set(type, (set = new Set()));
    set.add(listener as Listener);
    return this;
  }

  /** Removes a listener added with on(). */
  off<E extends EventType>(type: E, listener: (data: EventOfType<E>) => void): this {
    this.#listeners?.get(type)?.delete(listener as Listener);
    return this;
  }

  /**
   * The next event, queued or to come; a waiting receive() holds the event loop. Throws EINVAL after
   * on() and EBUSY while another receive() is pending; rejects with EBADF once the socket is closed
   * and no event is left.
   */
  receive(): Promise<Event> {
    if (this.#listeners !== null)
      throw new ZmqError("EINVAL", "use either on() or receive()/for await on one observer", undefined, {
        message: "Observer is in event emitter mode. After a call to events.on() it is not possible to read events with events.receive().",
      });
    if (this.#waiting !== null)
      throw new ZmqError("EBUSY", "await the pending events.receive() first", undefined, {
        message: "Observer is busy reading; only one receive operation may be in progress at any time",
      });
    const queued = this.#queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.#closed) return Promise.reject(new ZmqError("EBADF", "the socket (and so its observer) is closed"));
    return new Promise((resolve, reject) => (this.#waiting = { resolve, reject, hold: holdEventLoop() }));
  }

  /** `for await (const event of socket.events)`: each event; the loop ends when the socket closes. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Event, undefined> {
    for (;;) {
      if (this.#closed && this.#queue.length === 0) return undefined;
      try {
        yield await this.receive();
      } catch (error) {
        if (this.#closed && (error as ZmqError).code === "EBADF") return undefined;
        throw error;
      }
    }
  }

  /** Stops the events; a pending receive() rejects with EBADF. The socket's close() calls it. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting?.hold.release();
    waiting?.reject(new ZmqError("EBADF", "the socket (and so its observer) is closed"));
  }

  /**
   * Called by the socket. Listeners run in a microtask so they never re-enter an engine callback.
   * @internal
   */
  emit(event: Event): void {
    if (this.#closed) return;
    tuckAdditions(event);
    if (this.#listeners !== null) {
      const set = this.#listeners.get(event.type);
      if (set !== undefined && set.size > 0)
        queueMicrotask(() => {
          for (const listener of set) listener(event);
        });
      return;
    }
    const waiting = this.#waiting;
    if (waiting !== null) {
      this.#waiting = null;
      waiting.hold.release();
      waiting.resolve(event);
    } else if (this.#queue.length < MAX_QUEUED_EVENTS) {
      this.#queue.push(event);
    }
  }
}

/**
 * bunzmq's additions to an event (the peer, and the cause of a disconnect) stay readable but are made
 * non-enumerable, so events still deep-equal zeromq.js's `{ type, address }` shapes.
 */
function tuckAdditions(event: Event): void {
  if ("peer" in event && event.peer !== undefined) Object.defineProperty(event, "peer", { enumerable: false });
  if (event.type === "disconnect" && event.error !== undefined) Object.defineProperty(event, "error", { enumerable: false });
}
