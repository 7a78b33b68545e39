// io-pool.ts for the browser build (scripts/build-browser.ts puts it in io-pool.ts's place): a
// page's sockets run every engine on the page's thread, because a WebSocket cannot move to a Worker
// (docs/ws.md), and ws:// and wss:// are all a page dials. So no Worker, ring or doorbell is
// shipped, and a Context with ioThreads set fails its first socket with EINVAL naming the fix.
// Exports the names io-pool.ts exports (nothing calls a pool's methods, since none is ever made).
// Imports core.

import { ZmqError } from "../core/errors.ts";

export interface IoPoolOptions {
  threads: number;
  signaler: "atomics" | "eventfd";
}

export class IoPool {
  constructor(_options: IoPoolOptions) {
    throw new ZmqError(
      "EINVAL",
      "bunzmq/browser has no I/O threads: a page's WebSockets stay on its own thread; leave the Context's ioThreads at 0",
    );
  }
}
