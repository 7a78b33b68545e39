// Why a socket refuses calls for a while, as zeromq.js's does (EBUSY): a bind() or unbind() whose
// promise has not settled yet, or a Proxy running on it. A close() meanwhile waits for the end of it
// (a Proxy is told, so it can end). Also what a Proxy reaches of a socket (SocketInternals). Imports
// socket and core.

import { ZmqError } from "../core/errors.ts";
import type { SocketBase } from "../socket/socket-base.ts";

/**
 * What api/proxy.ts needs beyond the public API, to forward between routing cores; not exported by
 * index.ts, and left out of the published declarations.
 * @internal
 */
export interface SocketInternals {
  readonly core: SocketBase;
  /** Whether a bind or connect is in place (never after close()). */
  hasEndpoints(): boolean;
  /**
   * Blocks the socket while a proxy runs on it, as zeromq.js does: other calls throw EBUSY, and
   * close() calls `onClose` instead of closing. Throws EBUSY itself while a bind() is settling.
   */
  block(onClose: () => void): void;
  /** Lifts block(); a close() requested meanwhile happens now. */
  unblock(): void;
}

export class SocketBlock {
  /** Why other calls throw EBUSY, or null. */
  #because: string | null = null;
  #closeRequested = false;
  #onCloseWhileBlocked: (() => void) | null = null;
  readonly #close: () => void;

  /** `close`: the socket's close(), run when a close requested while blocked can happen. */
  constructor(close: () => void) {
    this.#close = close;
  }

  /** Throws EBUSY, saying why and what to do, while the socket is blocked. */
  assertFree(): void {
    if (this.#because === null) return;
    throw new ZmqError("EBUSY", this.#because, undefined, { message: "Socket is blocked by a bind or unbind operation" });
  }

  /** A Proxy runs on the socket until `release()`: close() meanwhile calls `onClose` instead. */
  holdForProxy(onClose: () => void): void {
    this.#because = "a Proxy is running on this socket; terminate() it first";
    this.#onCloseWhileBlocked = onClose;
  }

  /** Runs a bind or unbind now and settles its promise on the next turn, blocking the socket until then. */
  during(action: () => void): Promise<void> {
    this.#because = "await the pending bind() or unbind() first";
    let failure: { error: unknown } | null = null;
    try {
      action();
    } catch (error) {
      failure = { error };
    }
    return new Promise((resolve, reject) => {
      setImmediate(() => {
        this.release();
        if (failure === null) resolve();
        else reject(failure.error);
      });
    });
  }

  /** Lifts the block; a close() requested meanwhile happens now. */
  release(): void {
    this.#because = null;
    this.#onCloseWhileBlocked = null;
    if (this.#closeRequested) this.#close();
  }

  /** For close(): true when the socket is blocked, and the close is put off until the block ends. */
  deferClose(): boolean {
    if (this.#because === null) return false;
    this.#closeRequested = true;
    this.#onCloseWhileBlocked?.();
    return true;
  }
}
