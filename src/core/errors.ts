// The one error type bunzmq throws or rejects with, and its codes. Imports nothing.
// Codes are libzmq errno names so code ported from zeromq.js can keep testing `err.code`. Messages are
// the texts zeromq.js shows for each code (libzmq's zmq_strerror, with zeromq.js's own rewording of a
// few); what went wrong in this call and how to fix it goes in `detail`, which Bun prints with the
// error and which the stack carries on its second line.

/**
 * The errno-style codes: each with its number (Linux's errno, or libzmq's own above 156384712) and
 * the message zeromq.js shows for it. zeromq.js rewords EFAULT, EAGAIN, EMFILE, ENOENT, EBUSY, EBADF
 * and EADDRINUSE; libzmq has its own texts for its own codes and for EHOSTUNREACH; the rest are
 * glibc's strerror(3).
 */
const ERRNO_CODES = {
  /** An argument, option value or endpoint is not acceptable; `detail` says which and why. */
  EINVAL: { errno: 22, message: "Invalid argument" },
  /**
   * send() or receive() could not complete: `sendTimeout` or `receiveTimeout` passed (at once with
   * 0), or the socket was closed while it waited.
   */
  EAGAIN: { errno: 11, message: "Operation was not possible or timed out" },
  /**
   * Another send() or receive() (or events.receive()) is pending, or the socket is blocked while a
   * bind() or unbind() settles or a Proxy runs on it.
   */
  EBUSY: { errno: 16, message: "Socket is busy" },
  /** The socket is closed (or, from a Proxy, the proxy is not running). */
  EBADF: { errno: 9, message: "Socket is closed" },
  /**
   * The socket's state forbids the call: a Request sending twice or receiving before it sent, a
   * Reply sending before it received.
   */
  EFSM: { errno: 156384763, message: "Operation cannot be accomplished in current state" },
  /** A `mandatory` Router or a Stream sent to a routing id that no connected peer has. */
  EHOSTUNREACH: { errno: 113, message: "Host unreachable" },
  /** bind() to an endpoint in use: a TCP port taken, an ipc:// path a live listener holds, an inproc:// name bound. */
  EADDRINUSE: { errno: 98, message: "Address already in use" },
  /** bind() to an address no local interface has. */
  EADDRNOTAVAIL: { errno: 99, message: "Cannot assign requested address" },
  /**
   * bind() to something that is not a local address or interface (a host name, an IPv6 address
   * with `ipv6` off), or an unknown `interface` device.
   */
  ENODEV: { errno: 19, message: "No such device" },
  /**
   * The system lacks a feature an option needs (binding to a device off Linux with glibc), or a
   * routing core was asked for a verb its type lacks (the public classes have no such method).
   */
  ENOTSUP: { errno: 95, message: "Operation not supported" },
  /** The endpoint's transport is not one bunzmq has (tcp://, ipc:// and inproc:// are). */
  EPROTONOSUPPORT: { errno: 93, message: "Protocol not supported" },
  /** An inproc:// connection between socket types that cannot talk to each other. */
  ENOCOMPATPROTO: { errno: 156384764, message: "The protocol is not compatible with the socket type" },
  /** libzmq's code for a terminated context; kept for ported code that tests it, bunzmq raises none. */
  ETERM: { errno: 156384765, message: "Context was terminated" },
  /** libzmq's code for a context without I/O threads; kept for ported code, bunzmq raises none. */
  EMTHREAD: { errno: 156384766, message: "No thread available" },
  /** A frame from a peer exceeded `maxMessageSize`: that connection is closed (a `disconnect` event's `error`). */
  EMSGSIZE: { errno: 90, message: "Message too long" },
  /**
   * A peer left more protocol output (replies it provoked) unread than `maxProtocolBacklog` allows:
   * that connection is closed (a `disconnect` event's `error`, or `handshake:error:other`).
   */
  ENOBUFS: { errno: 105, message: "No buffer space available" },
  /** A peer broke ZMTP after its handshake: that connection is closed (a `disconnect` event's `error`). */
  EPROTO: { errno: 71, message: "Protocol error" },
  /** The peer closed the connection before its handshake ended (`handshake:error:other`). */
  EPIPE: { errno: 32, message: "Broken pipe" },
  /** A dial through `socksProxy` failed: the proxy is down, refused the credentials or could not reach the target. */
  ECONNREFUSED: { errno: 111, message: "Connection refused" },
  /** The peer reset the connection before its handshake ended (`handshake:error:other`). */
  ECONNRESET: { errno: 104, message: "Connection reset by peer" },
  /**
   * Time ran out: a handshake longer than `handshakeInterval`, a peer silent past
   * `heartbeatTimeout`, a dial longer than `connectTimeout`.
   */
  ETIMEDOUT: { errno: 110, message: "Connection timed out" },
  /** unbind() or disconnect() of an endpoint the socket has not bound or connected. */
  ENOENT: { errno: 2, message: "No such endpoint" },
  /** An ipc:// path longer than a Unix socket address holds (107 bytes). */
  ENAMETOOLONG: { errno: 36, message: "File name too long" },
  /**
   * A server that must authenticate has no one to ask: no ZAP handler and no `authenticate` (a
   * PLAIN server, or one with `zapEnforceDomain`), as libzmq reports it (`handshake:error:other`).
   */
  EFAULT: { errno: 14, message: "Context is closed" },
  /** More sockets than the context's `maxSockets`. */
  EMFILE: { errno: 24, message: "Too many open file descriptors" },
  /** A `swapDirectory` the process may not write in (zeromq.js's code for a permission the OS refused). */
  EACCES: { errno: 13, message: "Permission denied" },
  /** A pgm:// endpoint in a process that may not open a raw IP socket (it needs root or CAP_NET_RAW). */
  EPERM: { errno: 1, message: "Operation not permitted" },
  /** The disk under a `swap` queue is full: the queue stops spilling (a `spill:error` event's `error`). */
  ENOSPC: { errno: 28, message: "No space left on device" },
  /** A record of a `swap` queue failed its checksum: it is skipped, never delivered (a `spill:error` event's `error`). */
  EBADMSG: { errno: 74, message: "Bad message" },
  /** Reading or writing a `swap` queue's files failed otherwise (a `spill:error` event's `error`). */
  EIO: { errno: 5, message: "Input/output error" },
  /** A broken internal invariant: a bug in bunzmq, never a misuse; please report it. */
  EINTERNAL: { errno: -1, message: "bunzmq internal error" },
} as const;

/**
 * zeromq.js's protocol-failure codes (libzmq's ZMQ_PROTOCOL_ERROR_* names), carried by
 * `handshake:error:protocol` events, each with the message zeromq.js shows; their errno is EPROTO's.
 */
const PROTOCOL_CODES = {
  /** A greeting with a bad signature, or a violation with no more specific code. */
  ERR_ZMTP_UNSPECIFIED: "ZMTP protocol error",
  /** A command out of place in the handshake (a second HELLO, a READY before WELCOME, …). */
  ERR_ZMTP_UNEXPECTED_COMMAND: "ZMTP protocol error",
  /** A CURVE MESSAGE whose nonce does not grow: a replay or reordering. */
  ERR_ZMTP_INVALID_SEQUENCE: "ZMTP protocol error",
  /** CURVE's key exchange failed: a key that is not a usable X25519 key, or a vouch for another connection. */
  ERR_ZMTP_KEY_EXCHANGE: "ZMTP protocol error",
  /** A handshake frame that is not a command. */
  ERR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED: "ZMTP protocol error",
  /** A CURVE MESSAGE command too short to hold its nonce and box. */
  ERR_ZMTP_MALFORMED_COMMAND_MESSAGE: "ZMTP protocol error",
  /** A HELLO of the wrong size or CurveZMQ version. */
  ERR_ZMTP_MALFORMED_COMMAND_HELLO: "ZMTP protocol error",
  /** An INITIATE of the wrong size. */
  ERR_ZMTP_MALFORMED_COMMAND_INITIATE: "ZMTP protocol error",
  /** The peer sent ERROR: it refused the handshake (the reason is in `detail`). */
  ERR_ZMTP_MALFORMED_COMMAND_ERROR: "ZMTP protocol error",
  /** A READY whose properties do not parse. */
  ERR_ZMTP_MALFORMED_COMMAND_READY: "ZMTP protocol error",
  /** A WELCOME of the wrong size. */
  ERR_ZMTP_MALFORMED_COMMAND_WELCOME: "ZMTP protocol error",
  /** A READY (or INITIATE) without the `Socket-Type` property. */
  ERR_ZMTP_INVALID_METADATA: "ZMTP protocol error",
  /** A CURVE box that does not open: a wrong key, or tampered bytes. */
  ERR_ZMTP_CRYPTOGRAPHIC: "ZMTP protocol error",
  /** The peer's greeting names another security mechanism. */
  ERR_ZMTP_MECHANISM_MISMATCH: "ZMTP protocol error",
  /** bunzmq addition: a ZMTP 1.0 or 2.0 peer, which has no security mechanism, met a socket using PLAIN, CURVE or a ZAP domain (libzmq refuses it too). */
  ERR_ZMTP_UNSUPPORTED_VERSION: "ZMTP protocol error",
  /** bunzmq addition: the peer's socket type (a 3.x peer's `Socket-Type`, a 2.0 peer's greeting byte) cannot talk to this one (a PUSH meeting a SUB). */
  ERR_ZMTP_SOCKET_TYPE_MISMATCH: "ZMTP protocol error",
  /** The ZAP handler failed in another way (its request could not be sent). */
  ERR_ZAP_UNSPECIFIED: "ZAP protocol error",
  /** The ZAP handler's reply does not have the frames RFC 27 requires. */
  ERR_ZAP_MALFORMED_REPLY: "ZAP protocol error",
  /** The ZAP reply answers another request. */
  ERR_ZAP_BAD_REQUEST_ID: "ZAP protocol error",
  /** The ZAP reply's version is not "1.0". */
  ERR_ZAP_BAD_VERSION: "ZAP protocol error",
  /** The ZAP reply's status is not 200, 300, 400 or 500. */
  ERR_ZAP_INVALID_STATUS_CODE: "ZAP protocol error",
  /** The ZAP reply's metadata does not parse. */
  ERR_ZAP_INVALID_METADATA: "ZAP protocol error",
} as const;

type Errno = keyof typeof ERRNO_CODES;

/** ZAP statuses as zeromq.js words them on handshake:error:auth. */
const AUTH_MESSAGES: Record<number, string> = { 300: "Temporary error", 400: "Authentication failure", 500: "Internal error" };

/** A protocol failure's code: what a `handshake:error:protocol` event's `error.code` holds. */
export type ProtocolErrorCode = keyof typeof PROTOCOL_CODES;

/** Every code a ZmqError carries: errno names, and the protocol-failure codes of handshake events. */
export type ZmqErrorCode = Errno | ProtocolErrorCode;

/** The message zeromq.js shows for a code. */
function messageFor(code: ZmqErrorCode): string {
  return code in PROTOCOL_CODES ? PROTOCOL_CODES[code as ProtocolErrorCode] : (ERRNO_CODES[code as Errno]?.message ?? "Unknown error");
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
  /** What went wrong, as zeromq.js names it (`"EAGAIN"`, `"ERR_ZMTP_CRYPTOGRAPHIC"`; see `ZmqErrorCode`). */
  readonly code: ZmqErrorCode;
  /** The code's number: Linux's errno, or libzmq's own (EFSM is 156384763). */
  readonly errno: number;
  /** The endpoint concerned, for errors of bind, connect and their kin. */
  readonly address: string | undefined;
  /** bunzmq addition: what was wrong in this call and how to fix it; shown on the stack's second line. */
  readonly detail: string | undefined;

  /**
   * bunzmq's own errors are made inside the library; `message` is the code's standard text unless
   * `options.message` replaces it.
   */
  constructor(code: ZmqErrorCode, detail?: string, address?: string, options?: ZmqErrorOptions) {
    const message = options?.message ?? messageFor(code);
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "Error";
    this.code = code;
    this.errno = ERRNO_CODES[code as Errno]?.errno ?? ERRNO_CODES.EPROTO.errno;
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
