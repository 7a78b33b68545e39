// The one error type bunzmq throws or rejects with. Imports nothing.
// Codes are libzmq errno names so code ported from zeromq.js can keep testing `err.code`. Messages are
// the texts zeromq.js shows for each code (libzmq's zmq_strerror, with zeromq.js's own rewording of a
// few); what went wrong in this call and how to fix it goes in `detail`, which Bun prints with the
// error and which the stack carries on its second line.

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
  EMTHREAD: 156384766,
  EMSGSIZE: 90,
  ENOBUFS: 105,
  EPROTO: 71,
  EPIPE: 32,
  ECONNREFUSED: 111,
  ECONNRESET: 104,
  ETIMEDOUT: 110,
  ENOENT: 2,
  ENAMETOOLONG: 36,
  EFAULT: 14,
  EMFILE: 24,
  EACCES: 13,
  EINTERNAL: -1,
} as const;

type Errno = keyof typeof ERRNO;

// zeromq.js rewords EFAULT, EAGAIN, EMFILE, ENOENT, EBUSY, EBADF and EADDRINUSE; libzmq has its own
// texts for its own codes and for EHOSTUNREACH; the rest are glibc's strerror(3).
const MESSAGES: Record<Errno, string> = {
  EINVAL: "Invalid argument",
  EAGAIN: "Operation was not possible or timed out",
  EBUSY: "Socket is busy",
  EBADF: "Socket is closed",
  EFSM: "Operation cannot be accomplished in current state",
  EHOSTUNREACH: "Host unreachable",
  EADDRINUSE: "Address already in use",
  EADDRNOTAVAIL: "Cannot assign requested address",
  ENODEV: "No such device",
  ENOTSUP: "Operation not supported",
  EPROTONOSUPPORT: "Protocol not supported",
  ENOCOMPATPROTO: "The protocol is not compatible with the socket type",
  ETERM: "Context was terminated",
  EMTHREAD: "No thread available",
  EMSGSIZE: "Message too long",
  ENOBUFS: "No buffer space available",
  EPROTO: "Protocol error",
  EPIPE: "Broken pipe",
  ECONNREFUSED: "Connection refused",
  ECONNRESET: "Connection reset by peer",
  ETIMEDOUT: "Connection timed out",
  ENOENT: "No such endpoint",
  ENAMETOOLONG: "File name too long",
  EFAULT: "Context is closed",
  EMFILE: "Too many open file descriptors",
  EACCES: "Permission denied",
  EINTERNAL: "bunzmq internal error",
};

/** ZAP statuses as zeromq.js words them on handshake:error:auth. */
const AUTH_MESSAGES: Record<number, string> = { 300: "Temporary error", 400: "Authentication failure", 500: "Internal error" };

/** errno names, plus zeromq.js's protocol-failure codes used in handshake events. */
export type ZmqErrorCode = Errno | `ERR_ZMTP_${string}` | `ERR_ZAP_${string}`;

/** The message zeromq.js shows for a code. */
function messageFor(code: ZmqErrorCode): string {
  if (code.startsWith("ERR_ZMTP_")) return "ZMTP protocol error";
  if (code.startsWith("ERR_ZAP_")) return "ZAP protocol error";
  return MESSAGES[code as Errno] ?? "Unknown error";
}

/** The message zeromq.js shows for a ZAP status on handshake:error:auth. */
export function authMessageFor(status: number): string {
  return AUTH_MESSAGES[status] ?? "Unknown error";
}

export interface ZmqErrorOptions {
  cause?: unknown;
  /** Replaces the code's standard text where zeromq.js words one case its own way. */
  message?: string;
}

/**
 * A plain Error with zeromq.js's `code`, `errno`, `message` and (for endpoint errors) `address`, plus
 * `detail`: the endpoint or value involved and what to do about it. Callers match on `code`.
 */
export class ZmqError extends Error {
  readonly code: ZmqErrorCode;
  readonly errno: number;
  readonly address: string | undefined;
  readonly detail: string | undefined;

  constructor(code: ZmqErrorCode, detail?: string, address?: string, options?: ZmqErrorOptions) {
    const message = options?.message ?? messageFor(code);
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "Error";
    this.code = code;
    this.errno = ERRNO[code as Errno] ?? ERRNO.EPROTO;
    this.address = address;
    this.detail = detail === message || detail === "" ? undefined : detail;
    if (this.detail !== undefined && typeof this.stack === "string") {
      const firstLineEnd = this.stack.indexOf("\n");
      const head = firstLineEnd < 0 ? this.stack : this.stack.slice(0, firstLineEnd);
      const rest = firstLineEnd < 0 ? "" : this.stack.slice(firstLineEnd);
      this.stack = `${head}\n    detail: ${this.detail}${rest}`;
    }
  }
}

/** Broken internal invariant: never limp on (libzmq's zmq_assert). */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ZmqError("EINTERNAL", message);
}
