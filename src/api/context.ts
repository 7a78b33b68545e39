// Context: zeromq.js's holder of context-wide settings and of the sockets created in it, and the
// owner of the I/O threads when `ioThreads` is at least 1 (see io/io-pool.ts). It also knows which
// closed sockets still linger, for process exit (context-exit.ts). Imports io, reactor, transport and
// core.

import { ZmqError } from "../core/errors.ts";
import { IoPool } from "../io/io-pool.ts";
import { holdEventLoop } from "../reactor/keep-alive.ts";
import { type InprocNamespace, InprocRegistry } from "../transport/inproc.ts";
import { type ContextSettings, defaultContextSettings, installContextOptions } from "./context-options.ts";
import type { Options } from "./options-of.ts";
import { assertArgumentCount, assertOptionsObject } from "./option-values.ts";
import { rewordSealedErrors } from "./sealed.ts";
import { isMainThread, shareAcrossThreads, sharedInprocOf, sharedSettingsOf } from "./shared-context.ts";

export interface Closable {
  close(): void;
}

/** Contexts that have open sockets, for process exit to close them (context-exit.ts). */
const withOpenSockets = new Set<WeakRef<Context>>();
/** @internal Closes every socket of `context` (what process exit does), leaving its I/O threads running. */
export let closeSocketsOf: (context: Context) => void;
/** @internal Whether closed sockets of `context` still flush to their peers. */
export let isLingering: (context: Context) => boolean;
/**
 * @internal A closed socket's connections still flush (linger) until `done` settles: the event loop
 * is held until then, as zeromq.js makes process exit wait for queued messages.
 */
export let lingerIn: (context: Context, done: Promise<void>) => void;

/** @internal The live contexts that have open sockets now. */
export function contextsWithOpenSockets(): Context[] {
  return [...withOpenSockets].map((ref) => ref.deref()).filter((context) => context !== undefined);
}

/**
 * Context-wide settings and the sockets created in it (libzmq's context): the `context` option of a
 * socket, or the default `context`. inproc:// names are scoped to a context, and so are its I/O
 * threads.
 */
export class Context {
  readonly #settings = defaultContextSettings();
  readonly #sockets = new Set<Closable>();
  /** Closes still flushing to peers (linger); each holds the event loop until it settles. */
  readonly #lingering = new Set<Promise<void>>();
  /** This context in `withOpenSockets` while it has any; weak, so it never keeps the context alive. */
  readonly #self = new WeakRef<Context>(this);

  static {
    closeSocketsOf = (context) => {
      for (const socket of [...context.#sockets]) socket.close();
    };
    isLingering = (context) => context.#lingering.size > 0;
    lingerIn = (context, done) => {
      const hold = holdEventLoop();
      context.#lingering.add(done);
      void done.finally(() => {
        context.#lingering.delete(done);
        hold.release();
      });
    };
  }

  /**
   * A new context with `options` (`{ ioThreads: 1 }`). As in zeromq.js, `options` must be an object
   * if given, and the context is sealed before they are assigned, so an unknown or read-only option
   * throws a TypeError and a bad value EINVAL.
   */
  constructor(options?: Options<Context>) {
    assertOptionsObject(options);
    assertArgumentCount(1, arguments.length);
    Object.seal(this);
    if (options !== undefined) Object.assign(this, options);
  }

  /** The settings in force: the default context's are shared by every thread (shared-context.ts). */
  get #current(): ContextSettings {
    return sharedSettingsOf(this, this.#settings) ?? this.#settings;
  }

  /**
   * Registers a new socket so that `close()` can reach it; EMFILE once `maxSockets` are open
   * (libzmq's limit, checked against the value at each creation).
   * @internal
   */
  register(socket: Closable): void {
    const { maxSockets } = this.#current;
    if (this.#sockets.size >= maxSockets) {
      throw new ZmqError(
        "EMFILE",
        `Cannot create a socket: this context already has maxSockets (${maxSockets}) open; close some or raise maxSockets`,
      );
    }
    if (this.#sockets.size === 0) withOpenSockets.add(this.#self);
    this.#sockets.add(socket);
  }

  /** @internal */
  unregister(socket: Closable): void {
    if (this.#sockets.delete(socket) && this.#sockets.size === 0) withOpenSockets.delete(this.#self);
  }

  /**
   * Closes every socket of this context, then stops its I/O threads (bunzmq addition; libzmq's
   * zmq_ctx_term without blocking). The promise settles once the I/O threads have stopped; the
   * sockets are closed already when this returns. The context may be used again: new I/O threads
   * start on demand.
   */
  close(): Promise<void> {
    closeSocketsOf(this);
    const pool = pools.get(this);
    if (pool === undefined) return Promise.resolve();
    pools.delete(this);
    return pool.close();
  }

  static {
    installContextOptions(Context.prototype, (context) => {
      if (!(#settings in context)) throw new TypeError("Illegal invocation: not a Context");
      return (context as Context).#current;
    });
    rewordSealedErrors(Context.prototype, "Context");
  }
}

// Options are accessors over the settings (context-options.ts), declared here for TypeScript.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Context extends ContextSettings {
  /**
   * The largest `maxSockets` accepted.
   * @defaultValue 65535
   * @unit sockets
   * @libzmq ZMQ_SOCKET_LIMIT (3)
   */
  readonly maxSocketsLimit: number;
}

// inproc names and I/O threads are scoped to a context; kept outside the public class so it grows no public field.
const registries = new WeakMap<Context, InprocNamespace>();
const pools = new WeakMap<Context, IoPool>();

/** @internal The context's inproc names: shared by every thread for the default context (shared-context.ts). */
export function inprocRegistryOf(context: Context): InprocNamespace {
  let registry = registries.get(context);
  if (registry === undefined) registries.set(context, (registry = sharedInprocOf(context) ?? new InprocRegistry()));
  return registry;
}

/** @internal The context's I/O threads, started on first use; null when it has none (`ioThreads` 0). */
export function ioPoolOf(owner: Context): IoPool | null {
  if (!(owner.ioThreads >= 1)) return null;
  // In a Worker the default context's engines stay on the Worker's own thread: I/O Workers nested
  // in it would die with it, taking what its open sockets had queued (no exit step runs there to
  // flush them; context-exit.ts), and the Worker is a thread of its own already.
  if (owner === context && !isMainThread) return null;
  let pool = pools.get(owner);
  if (pool === undefined) pools.set(owner, (pool = new IoPool({ threads: Math.floor(owner.ioThreads), signaler: owner.ioSignaler })));
  return pool;
}

/** @internal `Socket.allocate`: from the I/O threads' arena (thread/frame-arena.ts) where it can. */
export function allocateIn(owner: Context, size: number): Buffer {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new ZmqError("EINVAL", `allocate(${String(size)}): the size must be a whole number of bytes, 0 or more`);
  }
  return ioPoolOf(owner)?.allocate(size) ?? Buffer.allocUnsafe(size);
}

/**
 * The default context, used when a socket is created without one: one context for the main thread
 * and its Workers, whose options and inproc:// names they share. `BUNZMQ_IO_THREADS` (and
 * `BUNZMQ_IO_SIGNALER`) in the environment of the first thread set its I/O threads, so a whole
 * program can run its connection engines in Workers without a change (a Worker's own sockets keep
 * theirs on the Worker).
 */
export const context = shareAcrossThreads(new Context(defaultContextOptions(process.env)));

function defaultContextOptions(env: Record<string, string | undefined>): Options<Context> {
  const ioThreads = Number(env.BUNZMQ_IO_THREADS ?? 0);
  const ioSignaler = env.BUNZMQ_IO_SIGNALER === "eventfd" ? "eventfd" : "atomics";
  return Number.isInteger(ioThreads) && ioThreads > 0 ? { ioThreads, ioSignaler } : {};
}
