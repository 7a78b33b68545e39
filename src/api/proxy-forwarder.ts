// The forwarding loop of a running Proxy: whole messages from one routing core to another in bursts,
// both ways, optionally copied to a capture socket. Imports socket (the cores) and core only.
// No promise per message: the cores' readiness hooks schedule one pass, which moves what it can.

import type { Message } from "../core/message.ts";
import type { SocketBase } from "../socket/socket-base.ts";

// Messages one direction moves per pass before the other direction and the event loop get a turn
// (libzmq's proxy forwards bursts of 1000 for the same reason).
const BURST = 1000;

/**
 * One direction. A message is taken from the source only when the previous one has been placed, so
 * the proxy holds at most one message per direction: a target at its high-water mark stops the
 * reading, and the source's queue (and then its peers) takes the back-pressure.
 *
 * Invariant: `#held` is the message taken from the source and not yet accepted by the target;
 * `#captured` says whether the capture socket already has its copy.
 */
class Relay {
  readonly #source: SocketBase;
  readonly #target: SocketBase;
  #held: Message | undefined = undefined;
  #captured = false;

  constructor(source: SocketBase, target: SocketBase) {
    this.#source = source;
    this.#target = target;
  }

  /**
   * Moves up to BURST messages; true when the burst ran out (more may be ready), false when the
   * source is empty or the target or capture is full (a readiness hook will schedule the next pass).
   * Throws what the cores throw (a `mandatory` Router's EHOSTUNREACH): that ends the proxy.
   */
  move(capture: SocketBase | null): boolean {
    for (let moved = 0; moved < BURST; moved++) {
      const message = this.#held ?? this.#source.tryReceive();
      if (message === undefined) return false;
      this.#held = message;
      // libzmq sends the capture copy first, then the message; a full capture socket waits, as there.
      // The copy is its own array: a receiver may change the array it is given.
      if (capture !== null && !this.#captured) {
        if (!capture.trySend(message.slice())) return false;
        this.#captured = true;
      }
      if (!this.#target.trySend(message)) return false;
      this.#held = undefined;
      this.#captured = false;
    }
    return true;
  }
}

export interface ForwarderSockets {
  front: SocketBase;
  back: SocketBase;
  capture: SocketBase | null;
  /** Whether the front end receives and the back end sends (and the reverse): a direction runs only if so. */
  forward: boolean;
  backward: boolean;
}

/**
 * Owns the readiness hooks of the proxy's cores while it runs: each hook still calls whatever it
 * called before (the socket's pending send or receive), then schedules a pass. A pass runs in a
 * microtask, never inside the engine callback that fired the hook, so forwarding cannot re-enter a
 * core that is half-way through delivering.
 */
export class Forwarder {
  readonly #relays: Relay[] = [];
  readonly #capture: SocketBase | null;
  readonly #onError: (error: unknown) => void;
  readonly #restore: Array<() => void> = [];
  #active = false;
  #scheduled = false;
  #immediate: ReturnType<typeof setImmediate> | undefined = undefined;

  constructor(sockets: ForwarderSockets, onError: (error: unknown) => void) {
    if (sockets.forward) this.#relays.push(new Relay(sockets.front, sockets.back));
    if (sockets.backward) this.#relays.push(new Relay(sockets.back, sockets.front));
    this.#capture = sockets.capture;
    this.#onError = onError;
    for (const core of new Set([sockets.front, sockets.back, sockets.capture])) if (core !== null) this.#hook(core);
    this.resume();
  }

  /** Stops taking messages; whatever arrives stays queued in the sockets (libzmq's PAUSE). */
  pause(): void {
    this.#active = false;
  }

  resume(): void {
    this.#active = true;
    this.#schedule();
  }

  /** For good: the hooks go back to what they were, no pass runs again. */
  stop(): void {
    this.#active = false;
    clearImmediate(this.#immediate);
    for (let restore = this.#restore.pop(); restore !== undefined; restore = this.#restore.pop()) restore();
  }

  #hook(core: SocketBase): void {
    const readable = core.onReadable;
    const writable = core.onWritable;
    core.onReadable = () => {
      readable();
      this.#schedule();
    };
    core.onWritable = () => {
      writable();
      this.#schedule();
    };
    this.#restore.push(() => {
      core.onReadable = readable;
      core.onWritable = writable;
    });
  }

  #schedule(): void {
    if (this.#scheduled || !this.#active) return;
    this.#scheduled = true;
    queueMicrotask(this.#pass);
  }

  readonly #pass = (): void => {
    this.#scheduled = false;
    this.#immediate = undefined;
    if (!this.#active) return;
    let more = false;
    try {
      for (const relay of this.#relays) if (relay.move(this.#capture)) more = true;
    } catch (error) {
      this.#onError(error);
      return;
    }
    // A full burst: let I/O and timers run before the next pass, or a busy inproc peer would starve them.
    if (more) {
      this.#scheduled = true;
      this.#immediate = setImmediate(this.#pass);
    }
  };
}
