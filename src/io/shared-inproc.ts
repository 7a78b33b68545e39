// The inproc:// namespace of the default context, shared by every thread of the process that uses
// it, as zeromq.js's default context is one libzmq context for all Workers. Who binds which name
// lives in a shared table (thread/name-table.ts), so a bind anywhere sees every other thread's
// names (EADDRINUSE) and a connect finds the binding thread. Sockets of the same thread link their
// pipes directly, as in any context; sockets of different threads link through rings
// (inproc-links.ts), their messages copied once each way. Imports thread, transport and core.
//
// A Worker stopped with terminate() runs no more code, so its names stay taken and its peers are
// not told that it is gone; a Worker that ends on its own, or calls process.exit(), lets go of both.

import { ZmqError } from "../core/errors.ts";
import { SOCKET_TYPE_NAMES, isCompatiblePeer } from "../core/socket-type.ts";
import { NameTable } from "../thread/name-table.ts";
import { type InprocBinder, type InprocConnector, type InprocNamespace, InprocRegistry } from "../transport/inproc.ts";
import { type LinkOwner, ThreadLinks } from "./inproc-links.ts";

export class SharedInprocNamespace implements InprocNamespace, LinkOwner {
  readonly #local = new InprocRegistry();
  readonly #table: NameTable;
  readonly #channelName: string;
  #links: ThreadLinks | null = null;

  /** `names`: the shared table's memory; `channelName` is the same in every thread sharing it. */
  constructor(names: SharedArrayBuffer, channelName: string) {
    this.#table = new NameTable(names);
    this.#channelName = channelName;
  }

  /** This thread's channel and loop, opened on first use (before a bind is announced or a connect waits). */
  get #threads(): ThreadLinks {
    return (this.#links ??= new ThreadLinks(this.#channelName, this));
  }

  bind(name: string, binder: InprocBinder, endpoint: string): void {
    const threads = this.#threads;
    if (this.#local.isBound(name)) return this.#local.bind(name, binder, endpoint); // throws EADDRINUSE
    const taken = this.#table.claim(name, { owner: threads.thread, socketType: binder.socketType });
    if (taken === "full")
      throw new ZmqError(
        "EINVAL",
        `Cannot bind ${endpoint}: the default context's table of inproc names shared by threads is full`,
        endpoint,
      );
    if (taken !== null)
      throw new ZmqError("EADDRINUSE", `${endpoint} is bound by a socket of the default context in another thread`, endpoint);
    this.#local.bind(name, binder, endpoint);
    // Connectors of this thread were linked by the local bind; those of other threads hear it now.
    threads.post({ type: "bound", name });
  }

  unbind(name: string, binder: InprocBinder): void {
    if (this.#local.binderOf(name) !== binder) return;
    this.#local.unbind(name, binder);
    this.#table.release(name, this.#threads.thread);
  }

  connect(name: string, connector: InprocConnector): void {
    const threads = this.#threads;
    if (this.#local.isBound(name)) return this.#local.connect(name, connector);
    const entry = this.#table.lookup(name);
    // Waits here: a local bind links it, and another thread's "bound" retries it (nameBound).
    if (entry === null || entry.owner === threads.thread) return this.#local.connect(name, connector);
    if (!isCompatiblePeer(connector.socketType, SOCKET_TYPE_NAMES[entry.socketType]!)) {
      const endpoint = `inproc://${name}`;
      throw new ZmqError(
        "ENOCOMPATPROTO",
        `${SOCKET_TYPE_NAMES[connector.socketType]} cannot connect to the ${SOCKET_TYPE_NAMES[entry.socketType]} bound at ${endpoint} in another thread`,
        endpoint,
      );
    }
    threads.connect(entry.owner, name, connector);
  }

  cancel(name: string, connector: InprocConnector): void {
    this.#local.cancel(name, connector);
    this.#links?.cancel(connector);
  }

  isBound(name: string): boolean {
    return this.#local.isBound(name);
  }

  binderOf(name: string): InprocBinder | undefined {
    return this.#local.binderOf(name);
  }

  nameBound(name: string): void {
    for (const connector of this.#local.takeWaiting(name)) {
      // An incompatible binder leaves the connector unlinked, as a local bind would.
      try {
        this.connect(name, connector);
      } catch {}
    }
  }

  refused(name: string, connector: InprocConnector): void {
    this.connect(name, connector);
  }

  threadEnding(): void {
    this.#table.releaseAll(this.#threads.thread);
  }
}
