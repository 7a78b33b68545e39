// inproc:// names within one Context: who is bound where, and who waits for a name to be bound.
// Imports only core. There are no bytes here: the session links the two sockets' pipes directly.

import { ZmqError } from "../core/errors.ts";

/** A bound inproc endpoint: links each connecting peer to its socket. */
export interface InprocBinder {
  link(connector: InprocConnector): void;
}

/** A connecting inproc endpoint, linked when (or as soon as) its name is bound. */
export interface InprocConnector {
  /** Called once the name is bound; throws ENOCOMPATPROTO for an incompatible socket type. */
  linkTo(binder: InprocBinder): void;
}

/**
 * One per Context, as in libzmq: names are scoped to it. Connect before bind is allowed: the
 * connector waits here, and is linked when the name is bound (zmtp-notes §7.4).
 */
export class InprocRegistry {
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
}
