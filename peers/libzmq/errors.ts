// The one error type of the libzmq binding: a failed libzmq call, named by its errno and described
// by the library that failed. Imports nothing outside this folder.

import { ERRNO_NAMES } from "./constants.ts";
import type { Libzmq } from "./library.ts";

/** A libzmq failure: `code` is the errno name (EAGAIN, EINVAL, ...), the message carries zmq_strerror. */
export class LibzmqError extends Error {
  readonly code: string;
  readonly errno: number;
  constructor(library: Libzmq, errno: number, what: string) {
    super(`${what}: ${library.describe(errno)} (${ERRNO_NAMES[errno] ?? `errno ${errno}`})`);
    this.name = "LibzmqError";
    this.errno = errno;
    this.code = ERRNO_NAMES[errno] ?? `ERRNO_${errno}`;
  }
}

/** Throws the library's current zmq_errno as a LibzmqError when a call returned -1. */
export function check(library: Libzmq, rc: number, what: string): void {
  if (rc === -1) throw new LibzmqError(library, library.symbols.zmq_errno(), what);
}
