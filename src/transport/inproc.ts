// inproc:// names within one Context: who is bound where, and who waits for a name to be bound.
// Imports core and pipe. There are no bytes here: the session links the two sockets' pipes directly
// (or, across threads, through rings: io/shared-inproc.ts implements the same namespace).

import { ZmqError } from "../core/errors.ts";
import type { SocketType } from "../core/socket-type.ts";
import type { HighWaterMarks, PipeEnd } from "../pipe/pipe-end.ts";

/** A bound inproc endpoint: links each connecting peer to its socket. */
export interface InprocBinder {
  /** The bound socket's type, which the connector checks, and its routing id, which it records. */
  readonly socketType: SocketType;
  readonly routingId: Uint8Array;
  /** The bound socket's high-water marks, which with the connector's size the connection's pipes. */
  readonly marks: HighWaterMarks;
  /** Attaches the binder's end of `connector`'s pipes; sets `connector.onUnlink`. */
  link(connector: InprocConnector): void;
}

/** A connecting inproc endpoint, linked when (or as soon as) its name is bound. */
export interface InprocConnector {
  readonly socketType: SocketType;
  readonly routingId: Uint8Array;
  /** The connecting socket's high-water marks, which size the connection's pipes. */
  readonly sendHighWaterMark: number;
  readonly receiveHighWaterMark: number;
  /** Called once the name is bound; throws ENOCOMPATPROTO for an incompatible socket type. */
  linkTo(binder: InprocBinder): void;
  /** The binder's view of the connection's two pipes, crossed. */
  peerEnd(): PipeEnd;
  /**
   * Set by the binder when linked; the connector calls it when it lets go, with its linger (which
   * bounds how long a binder in another thread may still take what the connector queued).
   */
  onUnlink: ((linger: number) => void) | null;
  /**
   * The binding socket closed or unbound, with its linger: this connection is over (libzmq does not
   * re-link it). What the binder queued stays readable.
   */
  peerGone(linger: number): void;
}

/** What inproc sessions ask of their Context's names. */
export interface InprocNamespace {
  /** Throws EADDRINUSE when `name` is bound already. */
  bind(name: string, binder: InprocBinder, endpoint: string): void;
  unbind(name: string, binder: InprocBinder): void;
  /** Links `connector` now if `name` is bound, else when it is; throws ENOCOMPATPROTO at once if it can tell. */
  connect(name: string, connector: InprocConnector): void;
  cancel(name: string, connector: InprocConnector): void;
  /** Whether a socket of this thread is bound at `name` now (ZAP servers look for a handler per connection). */
  isBound(name: string): boolean;
}

/**
 * One per Context, as in libzmq: names are scoped to it. Connect before bind is allowed: the
 * connector waits here, and is linked when the name is bound (zmtp-notes §7.4).
 */
export class InprocRegistry implements InprocNamespace {
  readonly #bound = new Map<string, InprocBinder>();
  readonly #waiting = new Map<string, Set<InprocConnector>>();

  bind(name: string, binder: InprocBinder, endpoint: string): void {
    if (this.#bound.has(name)) {
      throw new ZmqError("EADDRINUSE", `${endpoint} is bound by another socket of this context`, endpoint);
    }
    this.#bound.set(name, binder);
    const waiting = this.#waiting.get(name);
    this.#waiting.delete(name);
    for (const connector of waiting ?? []) {
      // A waiting connector of an incompatible type is the connector's problem, not this bind's:
      // it stays unlinked, as libzmq leaves such a pipe unused.
      try {
        connector.linkTo(binder);
      } catch {}
    }
  }

  /** Whether a socket is bound at `name` now (ZAP servers look for a handler per connection). */
  isBound(name: string): boolean {
    return this.#bound.has(name);
  }

  /** The binder at `name`, if any. */
  binderOf(name: string): InprocBinder | undefined {
    return this.#bound.get(name);
  }

  unbind(name: string, binder: InprocBinder): void {
    if (this.#bound.get(name) === binder) this.#bound.delete(name);
  }

  connect(name: string, connector: InprocConnector): void {
    const binder = this.#bound.get(name);
    if (binder !== undefined) return connector.linkTo(binder);
    let waiting = this.#waiting.get(name);
    if (waiting === undefined) this.#waiting.set(name, (waiting = new Set()));
    waiting.add(connector);
  }

  cancel(name: string, connector: InprocConnector): void {
    this.#waiting.get(name)?.delete(connector);
  }

  /** Removes and returns the connectors waiting for `name` (another thread bound it). */
  takeWaiting(name: string): Set<InprocConnector> {
    const waiting = this.#waiting.get(name) ?? new Set<InprocConnector>();
    this.#waiting.delete(name);
    return waiting;
  }
}
