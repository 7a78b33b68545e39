// The libzmq binding shared by the tests, the benches and the interop demo: libzmq's C API through
// bun:ffi, from the library at a given path (Debian's libzmq.so.5 by default, or the DRAFT build).
// Start at LibzmqContext; peer-fixture.ts runs a libzmq socket in a process of its own. Imports
// nothing outside this folder (only bun and node).

export { ERRNO_NAMES, INT64_OPTIONS, TYPE_NAMES, ZMQ, ZMQ_CTX, ZMQ_EVENT, type MonitorEventName } from "./constants.ts";
export { LibzmqContext, type LibzmqContextOptions } from "./context.ts";
export { type DraftEnvelope, type DraftMessage, LibzmqDraftSocket } from "./draft.ts";
export { LibzmqError } from "./errors.ts";
export {
  cBuffer,
  cString,
  DEBIAN_LIBZMQ,
  DRAFT_LIBZMQ_ENV,
  draftLibzmqPath,
  Libzmq,
  loadLibzmq,
  type LibzmqSymbols,
} from "./library.ts";
export type { Frame } from "./message-io.ts";
export { LibzmqMonitor, type MonitorEvent } from "./monitor.ts";
export { LibzmqSocket } from "./socket.ts";
