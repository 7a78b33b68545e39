// The two globals of Bun and Node that bunzmq's layers use and a browser lacks, installed when
// missing, for the browser build (src/browser.ts imports this first, so it runs before any layer's
// module does). `Buffer`: received frames are Buffers, as in zeromq.js, and the layers make them with
// Buffer's calls; Bun's bundler ships its Buffer for the browser (the `buffer` package's API) in
// place of node:buffer, which lacks Buffer.copyBytesFrom (Node 19.8), so that is added to it. `setImmediate`: the socket yields to the event loop with it (after a bind,
// every 512 operations, after a flush), and a browser has only timers; a MessageChannel posts a task
// without the 4 ms clamp nested timers get. A page that defines either keeps its own. Imports only
// node:buffer, which the build replaces.

import { Buffer as BrowserBuffer } from "node:buffer";

type Immediate = (callback: (...args: unknown[]) => void, ...args: unknown[]) => unknown;
const scope = globalThis as unknown as { Buffer?: unknown; setImmediate?: Immediate; clearImmediate?: (handle: unknown) => void };

type CopyBytesFrom = (view: ArrayBufferView & { length: number }, offset?: number, length?: number) => Uint8Array;
const withCopy = BrowserBuffer as unknown as { copyBytesFrom?: CopyBytesFrom };
// Node's semantics: `offset` and `length` count the view's elements; the bytes are copied.
withCopy.copyBytesFrom ??= (view, offset = 0, length = view.length - offset) => {
  const size = (view as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
  return BrowserBuffer.from(new Uint8Array(view.buffer, view.byteOffset + offset * size, Math.max(0, length) * size));
};
scope.Buffer ??= BrowserBuffer;

if (scope.setImmediate === undefined) {
  // Callbacks run in the order queued, one task each, as setImmediate's do.
  const queue = new Map<number, () => void>();
  const channel = new MessageChannel();
  let nextHandle = 1;
  channel.port1.addEventListener("message", (event) => {
    const handle = (event as MessageEvent<number>).data;
    const run = queue.get(handle);
    queue.delete(handle);
    run?.();
  });
  // addEventListener, unlike assigning onmessage, needs start() to begin delivery.
  channel.port1.start();
  scope.setImmediate = (callback, ...args) => {
    const handle = nextHandle++;
    queue.set(handle, () => callback(...args));
    channel.port2.postMessage(handle);
    return handle;
  };
  scope.clearImmediate = (handle) => void queue.delete(handle as number);
}
