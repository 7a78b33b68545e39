// A libzmq context of one chosen library (Debian's libzmq.so.5 unless told otherwise), the owner
// of its sockets: term() closes every socket still open (LINGER 0), then terminates the context.
// A context made by another thread can be adopted through its address (libzmq contexts are
// thread-safe), so a Worker's sockets reach this thread's over inproc. Imports nothing outside this
// folder.

import type { Pointer } from "bun:ffi";
import { EINTR, TYPE_NAMES } from "./constants.ts";
import { check, LibzmqError } from "./errors.ts";
import { loadLibzmq, type Libzmq } from "./library.ts";
import { LibzmqSocket } from "./socket.ts";

export interface LibzmqContextOptions {
  /** The library: a path for loadLibzmq() or one already loaded. Default: Debian's libzmq.so.5. */
  library?: string | Libzmq;
  /**
   * The `address` of a context another thread made (with the same library): sockets are made in
   * it, and term() closes them but leaves the context to its maker.
   */
  adopt?: number;
}

export class LibzmqContext {
  readonly library: Libzmq;
  #handle: Pointer | null;
  readonly #owned: boolean;
  readonly #sockets = new Set<LibzmqSocket>();

  constructor(options: LibzmqContextOptions = {}) {
    const library = options.library;
    this.library = library === undefined || typeof library === "string" ? loadLibzmq(library) : library;
    this.#owned = options.adopt === undefined;
    const handle = this.#owned ? (this.library.symbols.zmq_ctx_new() as Pointer | null) : (options.adopt as Pointer);
    if (handle === null) throw new LibzmqError(this.library, this.library.symbols.zmq_errno(), "zmq_ctx_new");
    this.#handle = handle;
  }

  /** The C context's address, for `new LibzmqContext({ adopt })` on another thread. */
  get address(): number {
    return this.#live() as number;
  }

  set(option: number, value: number): void {
    check(this.library, this.library.symbols.zmq_ctx_set(this.#live(), option, value), `zmq_ctx_set(${option})`);
  }

  socket(type: number): LibzmqSocket {
    const z = this.library.symbols;
    const handle = z.zmq_socket(this.#live(), type) as Pointer | null;
    if (handle === null) throw new LibzmqError(this.library, z.zmq_errno(), `zmq_socket(${TYPE_NAMES[type] ?? type})`);
    const socket = new LibzmqSocket(this, handle, type, () => this.#sockets.delete(socket));
    this.#sockets.add(socket);
    return socket;
  }

  get terminated(): boolean {
    return this.#handle === null;
  }

  /**
   * Closes this wrapper's open sockets (LINGER 0), then zmq_ctx_term, which blocks until every
   * socket of the context, on every thread, is closed and its linger is over. An adopted context
   * is left running. Idempotent.
   */
  term(): void {
    if (this.#handle === null) return;
    for (const socket of [...this.#sockets]) socket.close();
    const handle = this.#handle;
    this.#handle = null;
    if (!this.#owned) return;
    const z = this.library.symbols;
    while (z.zmq_ctx_term(handle) === -1) {
      const errno = z.zmq_errno();
      if (errno !== EINTR) throw new LibzmqError(this.library, errno, "zmq_ctx_term");
    }
  }

  #live(): Pointer {
    if (this.#handle === null) throw new Error("libzmq context already terminated");
    return this.#handle;
  }
}
