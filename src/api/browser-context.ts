// What a Context needs from its thread and process, for the browser build (scripts/build-browser.ts
// puts this file in place of shared-context.ts and of context-exit.ts). A page is one thread with
// no process to exit: the default context is shared with nobody (no Workers carry bunzmq), and no
// exit step flushes open sockets, which go with the page as its WebSockets do. Exports the names
// both of those modules export. Imports transport's types and its own layer's.

import type { InprocNamespace } from "../transport/inproc.ts";
import type { ContextSettings } from "./context-options.ts";

/** A page's script runs on its main thread. */
export const isMainThread = true;

/** Nothing to share across threads: the default context stays this page's own. */
export function shareAcrossThreads<C extends object>(context: C): C {
  return context;
}

/** No shared settings: every context reads its own. */
export function sharedSettingsOf(_context: object, _own: ContextSettings): ContextSettings | undefined {
  return undefined;
}

/** No shared inproc names: every context has its own. */
export function sharedInprocOf(_context: object): InprocNamespace | undefined {
  return undefined;
}

/** A page has no process exit to wait on (context-exit.ts's hook is Node's 'beforeExit'). */
export function watchProcessExit(): void {}
