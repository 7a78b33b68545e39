// Process exit, as zeromq.js has it: when the main thread's event loop runs dry, sockets still open
// are closed (their linger applies), and the process waits for what they had queued. If that takes
// longer than half a second, the warning zeromq.js prints goes to stderr, word for word. Imports api.
//
// The hook is Node's 'beforeExit', on the main thread only: in a Bun Worker a 'beforeExit' listener
// fires over and over once the Worker's loop is empty (measured on Bun 1.4.5), so a Worker's sockets
// left open when its loop ends are simply gone with it; closed ones still linger (context.ts).

import { isMainThread } from "node:worker_threads";
import { type Context, closeSocketsOf, contextsWithOpenSockets, isLingering } from "./context.ts";

/** zeromq.js warns once termination has blocked this long. */
const WARN_AFTER_MS = 500;

let watching = false;
/** Contexts already warned about (or being timed) in this exit. */
const timed = new WeakSet<Context>();

/** Installs the exit hook once, on the main thread; called as sockets are made. */
export function watchProcessExit(): void {
  if (watching || !isMainThread) return;
  watching = true;
  process.on("beforeExit", terminateContexts);
}

/**
 * zeromq.js closes the sockets nobody closed, then terminates each context, which blocks while
 * messages are queued within linger. Here the closes hold the event loop instead (context.ts), so
 * 'beforeExit' comes again once they are done, and finds nothing left to do.
 */
function terminateContexts(): void {
  for (const context of contextsWithOpenSockets()) {
    closeSocketsOf(context);
    if (isLingering(context) && !timed.has(context)) warnIfSlow(context);
  }
}

function warnIfSlow(context: Context): void {
  timed.add(context);
  const timer = setTimeout(() => {
    if (!isLingering(context)) return;
    // zeromq.js cannot use process.emitWarning at that point and mimics its format; so do we.
    const hint = context.blocky ? " Set 'context.blocky = false' to change this behaviour." : "";
    process.stderr.write(`(node:${process.pid}) WARNING: Waiting for queued ZeroMQ messages to be delivered.${hint}\n`);
  }, WARN_AFTER_MS);
  // The lingering closes hold the loop; the warning alone must not.
  timer.unref?.();
}
