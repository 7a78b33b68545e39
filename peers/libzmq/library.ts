// One libzmq shared library opened through bun:ffi, chosen by path: Debian's libzmq.so.5 (4.3.4,
// the default) or any other build with libzmq 4.3's C API, such as the DRAFT build that may sit
// beside the repository (draftLibzmqPath). Also the C memory every call hands over. Every buffer
// given to C is backed by an explicit ArrayBuffer, so its address stays stable (Bun #32054).
// Imports nothing outside this folder.

import { dlopen, FFIType as T } from "bun:ffi";
import { existsSync } from "node:fs";
import { join } from "node:path";

/** The library `loadLibzmq()` opens by default: Debian's `libzmq5` package (libzmq 4.3.4). */
export const DEBIAN_LIBZMQ = "libzmq.so.5";

/** Overrides where draftLibzmqPath() looks for the DRAFT build. */
export const DRAFT_LIBZMQ_ENV = "BUNZMQ_LIBZMQ_DRAFT";

/** The DRAFT build's place relative to the repository root: a sibling `shared/` folder. */
const DRAFT_BESIDE_REPOSITORY = "../shared/peers/libzmq-4.3.5-draft/lib/libzmq-draft.so.5";

function openSymbols(path: string) {
  return dlopen(path, {
    zmq_version: { args: [T.ptr, T.ptr, T.ptr], returns: T.void },
    zmq_has: { args: [T.ptr], returns: T.i32 },
    zmq_errno: { args: [], returns: T.i32 },
    zmq_strerror: { args: [T.i32], returns: T.cstring },
    zmq_ctx_new: { args: [], returns: T.ptr },
    zmq_ctx_term: { args: [T.ptr], returns: T.i32 },
    zmq_ctx_set: { args: [T.ptr, T.i32, T.i32], returns: T.i32 },
    zmq_socket: { args: [T.ptr, T.i32], returns: T.ptr },
    zmq_close: { args: [T.ptr], returns: T.i32 },
    zmq_setsockopt: { args: [T.ptr, T.i32, T.ptr, T.u64], returns: T.i32 },
    zmq_getsockopt: { args: [T.ptr, T.i32, T.ptr, T.ptr], returns: T.i32 },
    zmq_bind: { args: [T.ptr, T.ptr], returns: T.i32 },
    zmq_unbind: { args: [T.ptr, T.ptr], returns: T.i32 },
    zmq_connect: { args: [T.ptr, T.ptr], returns: T.i32 },
    zmq_disconnect: { args: [T.ptr, T.ptr], returns: T.i32 },
    zmq_send: { args: [T.ptr, T.ptr, T.u64, T.i32], returns: T.i32 },
    zmq_msg_init: { args: [T.ptr], returns: T.i32 },
    zmq_msg_recv: { args: [T.ptr, T.ptr, T.i32], returns: T.i32 },
    zmq_msg_data: { args: [T.ptr], returns: T.ptr },
    zmq_msg_size: { args: [T.ptr], returns: T.u64_fast },
    zmq_msg_more: { args: [T.ptr], returns: T.i32 },
    zmq_msg_close: { args: [T.ptr], returns: T.i32 },
    zmq_msg_gets: { args: [T.ptr, T.ptr], returns: T.cstring },
    zmq_socket_monitor: { args: [T.ptr, T.ptr, T.i32], returns: T.i32 },
    zmq_proxy: { args: [T.ptr, T.ptr, T.ptr], returns: T.i32 },
  }).symbols;
}

/** The C functions of one opened library, as bun:ffi calls them. */
export type LibzmqSymbols = ReturnType<typeof openSymbols>;

/** An opened libzmq: its path, its C functions and what it says about itself. */
export class Libzmq {
  readonly path: string;
  readonly symbols: LibzmqSymbols;

  constructor(path: string) {
    this.path = path;
    try {
      this.symbols = openSymbols(path);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`cannot load libzmq from ${path} (run scripts/setup.sh for Debian's libzmq5): ${reason}`);
    }
  }

  /** The library's version, e.g. "4.3.4". */
  get version(): string {
    const parts = new Int32Array(new ArrayBuffer(12));
    const view = new Uint8Array(parts.buffer);
    this.symbols.zmq_version(view.subarray(0, 4), view.subarray(4, 8), view.subarray(8, 12));
    return `${parts[0]}.${parts[1]}.${parts[2]}`;
  }

  /** zmq_has: whether the build offers a capability ("ipc", "curve", "draft", ...). */
  has(capability: string): boolean {
    return this.symbols.zmq_has(cString(capability)) === 1;
  }

  /** zmq_strerror's text for an errno. */
  describe(errno: number): string {
    return String(this.symbols.zmq_strerror(errno));
  }
}

const opened = new Map<string, Libzmq>();

/**
 * The library at `path` (a file path, or a name the dynamic loader searches for), opened once per
 * path and on first use, so that importing this module works on a machine without libzmq.
 *
 * Another build is opened only after Debian's (when that is installed): the DRAFT build's soname is
 * libzmq.so.5 too, and once a library with that soname is loaded, the dynamic loader answers every
 * later dlopen("libzmq.so.5") in the process with it, so the tests that open the draft build first
 * would turn every later default context into a 4.3.5 one.
 */
export function loadLibzmq(path: string = DEBIAN_LIBZMQ): Libzmq {
  let library = opened.get(path);
  if (library === undefined) {
    if (path !== DEBIAN_LIBZMQ && !opened.has(DEBIAN_LIBZMQ)) {
      try {
        loadLibzmq(DEBIAN_LIBZMQ);
      } catch {
        // Not installed: nothing can be shadowed.
      }
    }
    library = new Libzmq(path);
    opened.set(path, library);
  }
  return library;
}

/**
 * Where the DRAFT build of libzmq (4.3.5 with the draft API, a test peer only) is: the path in
 * $BUNZMQ_LIBZMQ_DRAFT, else `shared/peers/…/libzmq-draft.so.5` beside the repository. Null when
 * that file does not exist, as in a fresh clone.
 */
export function draftLibzmqPath(): string | null {
  const path = process.env[DRAFT_LIBZMQ_ENV] || join(import.meta.dir, "../..", DRAFT_BESIDE_REPOSITORY);
  return existsSync(path) ? path : null;
}

/** A buffer C may read or write at a stable address (an explicit ArrayBuffer, Bun #32054). */
export function cBuffer(size: number): Uint8Array {
  return new Uint8Array(new ArrayBuffer(Math.max(size, 1)));
}

/** `text` as a NUL-terminated UTF-8 string in C-readable memory. */
export function cString(text: string): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  const out = cBuffer(bytes.length + 1);
  out.set(bytes);
  return out;
}
