// Context: zeromq.js's holder of context-wide settings and of the sockets created in it.
// bunzmq runs single-threaded, so thread options are stored and reported only.

import { InprocRegistry } from "../transport/inproc.ts";

export interface Closable {
  close(): void;
}

export class Context {
  blocky = true;
  ioThreads = 1;
  maxMessageSize = -1;
  maxSockets = 1023;
  ipv6 = false;
  readonly maxSocketsLimit = 65535;
  readonly #sockets = new Set<Closable>();

  constructor(options: Partial<Pick<Context, "blocky" | "ioThreads" | "maxMessageSize" | "maxSockets" | "ipv6">> = {}) {
    Object.assign(this, options);
  }

  /** Registers a socket so that `close()` can reach it. */
  register(socket: Closable): void {
    this.#sockets.add(socket);
  }

  unregister(socket: Closable): void {
    this.#sockets.delete(socket);
  }

  /** Closes every socket of this context (bunzmq addition; libzmq's zmq_ctx_term without blocking). */
  close(): void {
    for (const socket of [...this.#sockets]) socket.close();
  }
}

// inproc names are scoped to a context; kept outside the public class so it grows no public field.
const registries = new WeakMap<Context, InprocRegistry>();

export function inprocRegistryOf(context: Context): InprocRegistry {
  let registry = registries.get(context);
  if (registry === undefined) registries.set(context, (registry = new InprocRegistry()));
  return registry;
}

/** The default context, used when a socket is created without one. */
export const context = new Context();
