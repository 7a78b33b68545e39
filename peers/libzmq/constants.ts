// libzmq 4.3's numbers as its C header defines them: socket types, socket and context option ids,
// send/receive flags, monitor event bits and the errno values it reports. Plain data, no FFI, so a
// file that needs only the numbers loads on a machine without libzmq. Imports nothing.

/** libzmq 4.3 constants: socket types, socket option ids and send/receive flags. */
export const ZMQ = {
  PAIR: 0,
  PUB: 1,
  SUB: 2,
  REQ: 3,
  REP: 4,
  DEALER: 5,
  ROUTER: 6,
  PULL: 7,
  PUSH: 8,
  XPUB: 9,
  XSUB: 10,
  STREAM: 11,

  AFFINITY: 4,
  ROUTING_ID: 5,
  SUBSCRIBE: 6,
  UNSUBSCRIBE: 7,
  SNDBUF: 11,
  RCVBUF: 12,
  RCVMORE: 13,
  EVENTS: 15,
  TYPE: 16,
  LINGER: 17,
  RECONNECT_IVL: 18,
  BACKLOG: 19,
  RECONNECT_IVL_MAX: 21,
  MAXMSGSIZE: 22,
  SNDHWM: 23,
  RCVHWM: 24,
  RCVTIMEO: 27,
  SNDTIMEO: 28,
  LAST_ENDPOINT: 32,
  ROUTER_MANDATORY: 33,
  TCP_KEEPALIVE: 34,
  IMMEDIATE: 39,
  XPUB_VERBOSE: 40,
  IPV6: 42,
  MECHANISM: 43,
  PLAIN_SERVER: 44,
  PLAIN_USERNAME: 45,
  PLAIN_PASSWORD: 46,
  CURVE_SERVER: 47,
  CURVE_PUBLICKEY: 48,
  CURVE_SECRETKEY: 49,
  CURVE_SERVERKEY: 50,
  PROBE_ROUTER: 51,
  REQ_CORRELATE: 52,
  REQ_RELAXED: 53,
  CONFLATE: 54,
  ZAP_DOMAIN: 55,
  ROUTER_HANDOVER: 56,
  CONNECT_ROUTING_ID: 61,
  HANDSHAKE_IVL: 66,
  XPUB_NODROP: 69,
  XPUB_MANUAL: 71,
  XPUB_WELCOME_MSG: 72,
  INVERT_MATCHING: 74,
  HEARTBEAT_IVL: 75,
  HEARTBEAT_TTL: 76,
  HEARTBEAT_TIMEOUT: 77,
  XPUB_VERBOSER: 78,
  CONNECT_TIMEOUT: 79,
  TOS: 57,
  SOCKS_PROXY: 68,
  ZAP_ENFORCE_DOMAIN: 93,
  // libzmq's DRAFT option ids (zmq_draft.h), which 4.3.4 honours in non-DRAFT builds too (Debian's).
  METADATA: 95,
  XPUB_MANUAL_LAST_VALUE: 98,
  SOCKS_USERNAME: 99,
  SOCKS_PASSWORD: 100,
  // wss:// TLS (zmq_draft.h); only the 4.3.5 DRAFT build has a ws transport to use them.
  WSS_KEY_PEM: 103,
  WSS_CERT_PEM: 104,
  WSS_TRUST_PEM: 105,
  WSS_HOSTNAME: 106,
  WSS_TRUST_SYSTEM: 107,

  DONTWAIT: 1,
  SNDMORE: 2,
} as const;

/** Context option ids for `LibzmqContext.set` (they overlap socket option ids, hence a separate table). */
export const ZMQ_CTX = { IO_THREADS: 1, MAX_SOCKETS: 2, BLOCKY: 70 } as const;

/** zmq_socket_monitor event bits (version 1 events). */
export const ZMQ_EVENT = {
  CONNECTED: 0x0001,
  CONNECT_DELAYED: 0x0002,
  CONNECT_RETRIED: 0x0004,
  LISTENING: 0x0008,
  BIND_FAILED: 0x0010,
  ACCEPTED: 0x0020,
  ACCEPT_FAILED: 0x0040,
  CLOSED: 0x0080,
  CLOSE_FAILED: 0x0100,
  DISCONNECTED: 0x0200,
  MONITOR_STOPPED: 0x0400,
  HANDSHAKE_FAILED_NO_DETAIL: 0x0800,
  HANDSHAKE_SUCCEEDED: 0x1000,
  HANDSHAKE_FAILED_PROTOCOL: 0x2000,
  HANDSHAKE_FAILED_AUTH: 0x4000,
  ALL: 0xffff,
} as const;

export type MonitorEventName = Exclude<keyof typeof ZMQ_EVENT, "ALL">;

/** Socket type names, indexed by the ZMQ socket type number. */
export const TYPE_NAMES = ["PAIR", "PUB", "SUB", "REQ", "REP", "DEALER", "ROUTER", "PULL", "PUSH", "XPUB", "XSUB", "STREAM"];

/** Options whose C type is int64_t/uint64_t; libzmq rejects them with EINVAL unless optvallen is 8. */
export const INT64_OPTIONS: ReadonlySet<number> = new Set<number>([ZMQ.AFFINITY, ZMQ.MAXMSGSIZE]);

/** Linux errno values libzmq reports, plus libzmq's own (ZMQ_HAUSNUMERO + n). */
export const ERRNO_NAMES: Readonly<Record<number, string>> = {
  2: "ENOENT",
  4: "EINTR",
  9: "EBADF",
  11: "EAGAIN",
  12: "ENOMEM",
  14: "EFAULT",
  19: "ENODEV",
  22: "EINVAL",
  24: "EMFILE",
  36: "ENAMETOOLONG",
  71: "EPROTO",
  88: "ENOTSOCK",
  90: "EMSGSIZE",
  93: "EPROTONOSUPPORT",
  95: "ENOTSUP",
  97: "EAFNOSUPPORT",
  98: "EADDRINUSE",
  99: "EADDRNOTAVAIL",
  100: "ENETDOWN",
  101: "ENETUNREACH",
  103: "ECONNABORTED",
  104: "ECONNRESET",
  105: "ENOBUFS",
  107: "ENOTCONN",
  110: "ETIMEDOUT",
  111: "ECONNREFUSED",
  113: "EHOSTUNREACH",
  115: "EINPROGRESS",
  156384763: "EFSM",
  156384764: "ENOCOMPATPROTO",
  156384765: "ETERM",
  156384766: "EMTHREAD",
};
export const EINTR = 4;
export const EAGAIN = 11;
export const ENOTSOCK = 88;
