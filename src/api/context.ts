// Context: zeromq.js's holder of context-wide settings and of the sockets created in it, and the
// owner of the I/O threads when `ioThreads` is at least 1 (see io/io-pool.ts).

import { ZmqError } from "../core/errors.ts";
import { IoPool } from "../io/io-pool.ts";
import { InprocRegistry } from "../transport/inproc.ts";
import { type ContextSettings, defaultContextSettings, installContextOptions } from "./context-options.ts";
import type { Options } from "./option-types.ts";
import { assertArgumentCount, assertOptionsObject } from "./option-values.ts";
import { rewordSealedErrors } from "./sealed.ts";

export interface Closable {
  close(): void;
}

export class Context {
  readonly #settings = defaultContextSettings();
  readonly #sockets = new Set<Closable>();

  /**
   * As zeromq.js: `options` must be an object if given, and the context is sealed before they are
   * assigned, so an unknown or read-only option throws a TypeError and a bad value EINVAL.
   */
  constructor(options?: Options<Context>) {
    assertOptionsObject(options);
    assertArgumentCount(1, arguments.length);
    Object.seal(this);
    if (options !== undefined) Object.assign(this, options);
  }

  /**
   * Registers a new socket so that `close()` can reach it; EMFILE once `maxSockets` are open
   * (libzmq's limit, checked against the value at each creation).
   * @internal
   */
  register(socket: Closable): void {
    if (this.#sockets.size >= this.#settings.maxSockets) {
      throw new ZmqError("EMFILE", `Cannot create a socket: this context already has maxSockets (${this.#settings.maxSockets}) open; close some or raise maxSockets`);
    }
    this.#sockets.add(socket);
  }

  /** @internal */
  unregister(socket: Closable): void {
    this.#sockets.delete(socket);
  }

  /**
   * Closes every socket of this context, then stops its I/O threads (bunzmq addition; libzmq's
   * zmq_ctx_term without blocking). The promise settles once the I/O threads have stopped; the
   * sockets are closed already when this returns. The context may be used again: new I/O threads
   * start on demand.
   */
  close(): Promise<void> {
    for (const socket of [...this.#sockets]) socket.close();
    const pool = pools.get(this);
    if (pool === undefined) return Promise.resolve();
    pools.delete(this);
    return pool.close();
  }

  static {
    installContextOptions(Context.prototype, (context) => {
      if (!(#settings in context)) throw new TypeError("Illegal invocation: not a Context");
      return (context as Context).#settings;
    });
    rewordSealedErrors(Context.prototype, "Context");
  }
}

// Options are accessors over the settings (context-options.ts), declared here for TypeScript.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Context extends ContextSettings {
  /** ZMQ_SOCKET_LIMIT: the largest maxSockets accepted. */
  readonly maxSocketsLimit: number;
}

// inproc names and I/O threads are scoped to a context; kept outside the public class so it grows no public field.
const registries = new WeakMap<Context, InprocRegistry>();
const pools = new WeakMap<Context, IoPool>();

/** @internal */
export function inprocRegistryOf(context: Context): InprocRegistry {
  let registry = registries.get(context);
  if (registry === undefined) registries.set(context, (registry = new InprocRegistry()));
  return registry;
}

/** @internal The context's I/O threads, started on first use; null when it has none (`ioThreads` 0). */
export function ioPoolOf(context: Context): IoPool | null {
  if (!(context.ioThreads >= 1)) return null;
  let pool = pools.get(context);
  if (pool === undefined) pools.set(context, (pool = new IoPool({ threads: Math.floor(context.ioThreads), signaler: context.ioSignaler })));
  return pool;
}

/**
 * The default context, used when a socket is created without one. `BUNZMQ_IO_THREADS` (and
 * `BUNZMQ_IO_SIGNALER`) in the environment set its I/O threads, so a whole program, or the test
 * suite, can run its connection engines in Workers without a change.
 */
export const context = new Context(defaultContextOptions(process.env));

function defaultContextOptions(env: Record<string, string | undefined>): Options<Context> {
  const ioThreads = Number(env.BUNZMQ_IO_THREADS ?? 0);
  const ioSignaler = env.BUNZMQ_IO_SIGNALER === "eventfd" ? "eventfd" : "atomics";
  return Number.isInteger(ioThreads) && ioThreads > 0 ? { ioThreads, ioSignaler } : {};
}
