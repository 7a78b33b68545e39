// Context: zeromq.js's holder of context-wide settings and of the sockets created in it, and the
// owner of the I/O threads when `ioThreads` is at least 1 (see io/io-pool.ts). Imports io and
// transport (the inproc name registry).

import { IoPool } from "../io/io-pool.ts";
import { InprocRegistry } from "../transport/inproc.ts";
import type { Options } from "./option-types.ts";

export interface Closable {
  close(): void;
}

export class Context {
  blocky = true;
  /**
   * I/O threads (Bun Workers) that run the sockets' connection engines. 0, the default, runs every
   * engine on the application thread (libzmq's and zeromq.js's default of 1 counts the thread
   * libzmq always needs; bunzmq needs none). Read when a socket is created.
   */
  ioThreads = 0;
  /** bunzmq addition: what the I/O threads sleep on, "atomics" (default, measured faster) or "eventfd". */
  ioSignaler: "atomics" | "eventfd" = "atomics";
  maxMessageSize = -1;
  maxSockets = 1023;
  ipv6 = false;
  readonly maxSocketsLimit = 65535;

  /**
   * ZMQ_THREAD_PRIORITY and ZMQ_THREAD_SCHED_POLICY, write-only as in zeromq.js: accepted and
   * ignored, since Bun offers no control over how a Worker is scheduled.
   */
  set threadPriority(_value: number) {}
  set threadSchedulingPolicy(_value: number) {}
  readonly #sockets = new Set<Closable>();

  constructor(options: Options<Context> = {}) {
    Object.assign(this, options);
  }

  /** @internal Registers a socket so that `close()` can reach it. */
  register(socket: Closable): void {
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

function defaultContextOptions(env: Record<string, string | undefined>): ConstructorParameters<typeof Context>[0] {
  const ioThreads = Number(env.BUNZMQ_IO_THREADS ?? 0);
  const ioSignaler = env.BUNZMQ_IO_SIGNALER === "eventfd" ? "eventfd" : "atomics";
  return Number.isInteger(ioThreads) && ioThreads > 0 ? { ioThreads, ioSignaler } : {};
}
