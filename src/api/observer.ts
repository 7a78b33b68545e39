// socket.events: zeromq.js's Observer, consumed with on()/off(), receive() or `for await`.
// Imports core and reactor. A waiting receive() holds the event loop, as a pending socket receive
// does; listeners added with on() do not (zeromq.js's emitter mode does not either).

import { ZmqError } from "../core/errors.ts";
import type { EventType, SocketEvent } from "../core/events.ts";
import { type Hold, holdEventLoop } from "../reactor/keep-alive.ts";

type Listener = (event: SocketEvent) => void;

// Events queue up for receive()/iteration, bounded so an observer nobody reads cannot grow forever.
const MAX_QUEUED_EVENTS = 10_000;

export class Observer {
  #listeners: Map<EventType, Set<Listener>> | null = null;
  #queue: SocketEvent[] = [];
  #waiting: { resolve: (event: SocketEvent) => void; reject: (error: ZmqError) => void; hold: Hold } | null = null;
  #closed = false;

  get closed(): boolean {
    return this.#closed;
  }

  /** Switches this observer to listener mode for good (receive() then throws), as zeromq.js does. */
  on(type: EventType, listener: Listener): this {
    if (this.#listeners === null) {
      this.#listeners = new Map();
      this.#queue = [];
    }
    let set = this.#listeners.get(type);
    if (set === undefined) this.#listeners.set(type, (set = new Set()));
    set.add(listener);
    return this;
  }

  off(type: EventType, listener: Listener): this {
    this.#listeners?.get(type)?.delete(listener);
    return this;
  }

  receive(): Promise<SocketEvent> {
    if (this.#listeners !== null) throw new ZmqError("EINVAL", "Observer is in listener mode after on(); use on() or receive(), not both");
    if (this.#waiting !== null) throw new ZmqError("EBUSY", "Observer is busy reading; only one receive operation may be in progress at any time");
    const queued = this.#queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    // Once the socket's last event ("end") has been read, reading on is misuse, as in zeromq.js.
    if (this.#closed) throw new ZmqError("EBADF", "Socket is closed");
    return new Promise((resolve, reject) => (this.#waiting = { resolve, reject, hold: holdEventLoop() }));
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<SocketEvent, undefined> {
    for (;;) {
      if (this.#closed && this.#queue.length === 0) return undefined;
      try {
        yield await this.receive();
      } catch (error) {
        if (this.#closed && (error as ZmqError).code === "EAGAIN") return undefined;
        throw error;
      }
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting?.hold.release();
    waiting?.reject(new ZmqError("EAGAIN", "Observer is closed"));
  }

  /** Called by the socket. Listeners run in a microtask so they never re-enter an engine callback. */
  emit(event: SocketEvent): void {
    if (this.#closed) return;
    if (this.#listeners !== null) {
      const set = this.#listeners.get(event.type);
      if (set !== undefined && set.size > 0) queueMicrotask(() => { for (const listener of set) listener(event); });
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
