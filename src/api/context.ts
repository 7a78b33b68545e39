// Context: zeromq.js's holder of context-wide settings and of the sockets created in it.
// Imports only core. bunzmq runs single-threaded, so thread options are stored and reported only.

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

/** The default context, used when a socket is created without one. */
export const context = new Context();
