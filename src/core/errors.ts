// The one error type bunzmq throws or rejects with. Imports nothing.
// Codes are libzmq errno names so code ported from zeromq.js can keep testing `err.code`.

const ERRNO = {
  EINVAL: 22,
  EAGAIN: 11,
  EBUSY: 16,
  EBADF: 9,
  EFSM: 156384763,
  EHOSTUNREACH: 113,
  EADDRINUSE: 98,
  EADDRNOTAVAIL: 99,
  ENODEV: 19,
  ENOTSUP: 95,
  EPROTONOSUPPORT: 93,
  ENOCOMPATPROTO: 156384764,
  ETERM: 156384765,
  EMSGSIZE: 90,
  EPROTO: 71,
  EPIPE: 32,
  ECONNREFUSED: 111,
  ECONNRESET: 104,
  ETIMEDOUT: 110,
  ENOENT: 2,
  ENAMETOOLONG: 36,
  EFAULT: 14,
  EMFILE: 24,
  EINTERNAL: -1,
} as const;

/** errno names, plus zeromq.js's protocol-failure codes used in handshake events. */
export type ZmqErrorCode = keyof typeof ERRNO | `ERR_ZMTP_${string}` | `ERR_ZAP_${string}`;

/**
 * A plain Error with zeromq.js's `code`, `errno` and (for endpoint errors) `address`.
 * Callers match on `code`, never on the message text.
 */
export class ZmqError extends Error {
  readonly code: ZmqErrorCode;
  readonly errno: number;
  readonly address: string | undefined;

  constructor(code: ZmqErrorCode, message: string, address?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ZmqError";
    this.code = code;
    this.errno = ERRNO[code as keyof typeof ERRNO] ?? ERRNO.EPROTO;
    this.address = address;
  }
}

/** Broken internal invariant: never limp on (libzmq's zmq_assert). */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ZmqError("EINTERNAL", `bunzmq internal error: ${message}`);
}
