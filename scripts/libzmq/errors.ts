// The one error type of the libzmq test wrapper: a failed libzmq call, named by its errno.
// Dev-only; never imported by src/.

import { ERRNO_NAMES, libzmq } from "./symbols.ts";

/** A libzmq failure: `code` is the errno name (EAGAIN, EINVAL, ...), the message carries zmq_strerror. */
export class LibzmqError extends Error {
  readonly code: string;
  readonly errno: number;
  constructor(errno: number, what: string) {
    super(`${what}: ${String(libzmq().zmq_strerror(errno))} (${ERRNO_NAMES[errno] ?? `errno ${errno}`})`);
    this.name = "LibzmqError";
    this.errno = errno;
    this.code = ERRNO_NAMES[errno] ?? `ERRNO_${errno}`;
  }
}

/** Throws the current zmq_errno as a LibzmqError when a libzmq call returned -1. */
export function check(rc: number, what: string): void {
  if (rc === -1) throw new LibzmqError(libzmq().zmq_errno(), what);
}
