// Socket options as the lower layers read them, with libzmq 4.3.4's defaults (zmtp-notes §7.1).
// Imports nothing. The public API validates and exposes them under zeromq.js's property names.

export interface SocketOptions {
  /** Messages queued per peer towards it before send blocks or drops (0 = unlimited). */
  sendHighWaterMark: number;
  /** Messages queued per peer towards the socket before reading that peer pauses (0 = unlimited). */
  receiveHighWaterMark: number;
  /** ms a send may wait for room; -1 forever, 0 fail at once. */
  sendTimeout: number;
  /** ms a receive may wait for a message; -1 forever, 0 fail at once. */
  receiveTimeout: number;
  /** ms close() keeps flushing queued messages; -1 until done, 0 drop at once. */
  linger: number;
  /** Queue only for connected peers: a connecting socket attaches its pipe after the handshake. */
  immediate: boolean;
  /** Largest frame accepted from a peer, in bytes; -1 unlimited. A bigger one closes that connection. */
  maxMessageSize: number;
  /** ms the greeting and handshake may take before the connection is dropped; 0 = no limit. */
  handshakeInterval: number;
  /** ms before a lost or refused connection is retried; ≤ 0 disables reconnection. */
  reconnectInterval: number;
  /** Upper bound of exponential reconnect back-off, ms; 0 = no back-off. */
  reconnectMaxInterval: number;
  /** ms a TCP connect may take; 0 = the OS default. */
  connectTimeout: number;
  /** listen() backlog. */
  backlog: number;
  /** SO_KEEPALIVE on TCP connections: 1 on, 0 off, -1 the OS default (ZMQ_TCP_KEEPALIVE). */
  tcpKeepalive: number;
  /** With keep-alive on: unanswered probes before the connection is dropped; -1 the OS default. */
  tcpKeepaliveCount: number;
  /** With keep-alive on: seconds idle before the first probe; -1 the OS default. */
  tcpKeepaliveIdle: number;
  /** With keep-alive on: seconds between probes; -1 the OS default. */
  tcpKeepaliveInterval: number;
  /** IP_TOS (and IPV6_TCLASS) of every TCP connection and listener (ZMQ_TOS); 0 leaves the OS default. */
  typeOfService: number;
  /** Network device TCP sockets are bound to, SO_BINDTODEVICE (ZMQ_BINDTODEVICE); empty for none. */
  interface: string;
  /** TCP_USER_TIMEOUT in ms on TCP connections (ZMQ_TCP_MAXRT); 0 leaves the OS default. */
  tcpMaxRetransmitTimeout: number;
  /** ZMQ_LOOPBACK_FASTPATH: a Windows-only ioctl in libzmq; stored, and nothing else anywhere. */
  loopbackFastPath: boolean;
  /** ZMQ_TCP_ACCEPT_FILTER: accepted TCP peers must match one of these "address[/bits]" masks; empty accepts all. */
  tcpAcceptFilter: readonly string[];
  /** ZMQ_SOCKS_PROXY "host:port": tcp:// connects go through this SOCKS5 proxy; empty for none. */
  socksProxy: string;
  /** ZMQ_SOCKS_USERNAME / _PASSWORD (RFC 1929), at most 255 bytes each; a non-empty username offers authentication. */
  socksUsername: string;
  socksPassword: string;
  /** ZMQ_METADATA: application properties ("X-" names) sent in READY after Socket-Type and Identity. */
  metadata: ReadonlyMap<string, string>;
  /** ZMQ_WSS_CERT_PEM / _KEY_PEM: a wss:// bind's certificate chain and private key, PEM; "" for none. */
  wssCertPem: string;
  wssKeyPem: string;
  /** ZMQ_WSS_TRUST_PEM: certificates a wss:// connect trusts, PEM; "" for none beyond the system's. */
  wssTrustPem: string;
  /** ZMQ_WSS_TRUST_SYSTEM: whether wss:// connects trust the system's certificate authorities too. */
  wssTrustSystem: boolean;
  /** ZMQ_WSS_HOSTNAME: the name a wss:// connect checks the certificate against; "" for the endpoint's host. */
  wssHostname: string;
  /** ws:// and wss:// connects offer only bare "ZWS2.0" (jszmq's and browsers' way); a bunzmq addition. */
  wsBareProtocol: boolean;
  /** ZMQ_IN_BATCH_SIZE: bytes libzmq reads per recv(); stored only, since Bun sizes its own reads. */
  inBatchSize: number;
  /** SO_SNDBUF / SO_RCVBUF of each new TCP connection, bytes; -1 leaves the OS default (ZMQ_SNDBUF, ZMQ_RCVBUF). */
  sendBufferSize: number;
  receiveBufferSize: number;
  /** I/O threads new connections may run in, a bit each (ZMQ_AFFINITY); 0 = any. */
  affinity: number;
  /**
   * Multicast settings (ZMQ_RATE, ZMQ_RECOVERY_IVL, ZMQ_MULTICAST_HOPS, ZMQ_MULTICAST_MAXTPDU),
   * read by each pgm:// or epgm:// endpoint as it starts (session/pgm-session.ts).
   */
  rate: number;
  recoveryInterval: number;
  multicastHops: number;
  multicastMaxTransportDataUnit: number;
  /** IP_MULTICAST_LOOP for pgm:// and epgm://: whether members on this host hear what this socket sends. */
  multicastLoop: boolean;
  /** Initial bytes per coalesced write; batches grow past it while the kernel keeps up. */
  outBatchSize: number;
  /**
   * bunzmq addition: bytes of protocol output (greeting, handshake commands, ERROR, PING, PONG) a
   * peer may leave unread in the kernel's stead before it is dropped with ENOBUFS; -1 = no bound.
   */
  maxProtocolBacklog: number;
  /** bunzmq addition (`swap`): bytes a socket may keep on disk beyond its high-water marks; 0 = off. */
  swap: number;
  /** Where `swap` files go; null = a private temporary directory. */
  swapDirectory: string | null;
  /** What a durable swap queue fsyncs: "none", "batch" (each written batch) or "message". */
  swapSync: "none" | "batch" | "message";
  /** Accept IPv6 on bind wildcards and connect to IPv6 addresses. */
  ipv6: boolean;
  /** Keep only the newest message per connection and direction (ZMQ_CONFLATE); HWMs are then ignored. */
  conflate: boolean;
  /** Identity sent in READY by REQ/DEALER/ROUTER; empty when unset. */
  routingId: Uint8Array;
  /** ms between heartbeat PINGs after the handshake; 0 = none (ZMQ_HEARTBEAT_IVL). */
  heartbeatInterval: number;
  /** ms TTL our PINGs announce, a multiple of 100 (sent in deciseconds); 0 = none (ZMQ_HEARTBEAT_TTL). */
  heartbeatTimeToLive: number;
  /** ms without any inbound frame after a PING before the connection closes; -1 = heartbeatInterval. */
  heartbeatTimeout: number;
  /** Security mechanism for new connections (ZMQ_MECHANISM); set through the plain* and curve* options, as in libzmq. */
  mechanism: "NULL" | "PLAIN" | "CURVE";
  /** Server role of the mechanism (ZMQ_PLAIN_SERVER, ZMQ_CURVE_SERVER); meaningful only with a mechanism other than NULL. */
  asServer: boolean;
  /** ZMQ_PLAIN_USERNAME / ZMQ_PLAIN_PASSWORD, 1-255 bytes of UTF-8, or null when unset. */
  plainUsername: string | null;
  plainPassword: string | null;
  /** ZMQ_CURVE_PUBLICKEY / _SECRETKEY / _SERVERKEY: 32-byte keys, or null when unset. */
  curvePublicKey: Uint8Array | null;
  curveSecretKey: Uint8Array | null;
  curveServerKey: Uint8Array | null;
  /** ZMQ_ZAP_DOMAIN: sent in ZAP requests; empty when unset. */
  zapDomain: string;
  /** ZMQ_ZAP_ENFORCE_DOMAIN: RFC 27's rule that ZAP needs a domain, with libzmq's consequences per mechanism. */
  zapEnforceDomain: boolean;
  /** bunzmq addition: judges PLAIN and CURVE clients (and NULL peers, with a zapDomain) where no ZAP handler answers; null when unset. */
  authenticate: Authenticate | null;
}

/** What the `authenticate` option is asked (bunzmq addition; ZAP's request in object form). */
export type AuthenticateRequest =
  /** A NULL connection of a socket with a zapDomain: no credentials, only the address. */
  (
    | { mechanism: "NULL" }
    | { mechanism: "PLAIN"; username: string; password: string }
    /** The client's permanent public key, as Z85 text (40 characters). */
    | { mechanism: "CURVE"; publicKey: string }
  ) & {
    /** The peer's IP address without port, as in a ZAP request ("" for ipc). */
    address: string;
    /** The socket's `zapDomain`. */
    domain: string;
  };

/** The `authenticate` option: true (or a promise of it) accepts the peer, false refuses it. */
export type Authenticate = (request: AuthenticateRequest) => boolean | Promise<boolean>;

export function defaultSocketOptions(): SocketOptions {
  return {
    sendHighWaterMark: 1000,
    receiveHighWaterMark: 1000,
    sendTimeout: -1,
    receiveTimeout: -1,
    linger: -1,
    immediate: false,
    maxMessageSize: -1,
    handshakeInterval: 30_000,
    reconnectInterval: 100,
    reconnectMaxInterval: 0,
    connectTimeout: 0,
    backlog: 100,
    tcpKeepalive: -1,
    tcpKeepaliveCount: -1,
    tcpKeepaliveIdle: -1,
    tcpKeepaliveInterval: -1,
    typeOfService: 0,
    interface: "",
    tcpMaxRetransmitTimeout: 0,
    loopbackFastPath: false,
    tcpAcceptFilter: [],
    socksProxy: "",
    socksUsername: "",
    socksPassword: "",
    metadata: new Map(),
    wssCertPem: "",
    wssKeyPem: "",
    wssTrustPem: "",
    wssTrustSystem: true,
    wssHostname: "",
    wsBareProtocol: false,
    inBatchSize: 8192,
    sendBufferSize: -1,
    receiveBufferSize: -1,
    affinity: 0,
    rate: 100,
    recoveryInterval: 10_000,
    multicastHops: 1,
    multicastMaxTransportDataUnit: 1500,
    multicastLoop: true,
    outBatchSize: 8192,
    maxProtocolBacklog: DEFAULT_MAX_PROTOCOL_BACKLOG,
    swap: 0,
    swapDirectory: null,
    swapSync: "batch",
    ipv6: false,
    conflate: false,
    routingId: new Uint8Array(0),
    heartbeatInterval: 0,
    heartbeatTimeToLive: 0,
    heartbeatTimeout: -1,
    mechanism: "NULL",
    asServer: false,
    plainUsername: null,
    plainPassword: null,
    curvePublicKey: null,
    curveSecretKey: null,
    curveServerKey: null,
    zapDomain: "",
    zapEnforceDomain: false,
    authenticate: null,
  };
}

/**
 * What one subscription costs against XPUB/PUB's `maxSubscriptionBytes`, on top of its topic's
 * length: roughly the subscription table's bookkeeping per topic (a radix-trie node and its label).
 */
export const SUBSCRIPTION_OVERHEAD_BYTES = 64;
/** Default bound on what one peer's subscriptions may cost a publisher: 64 MiB (about a million topics). */
export const DEFAULT_MAX_SUBSCRIPTION_BYTES = 64 * 1024 * 1024;
/**
 * Default bound on the protocol output one peer may leave unread (`maxProtocolBacklog`): 1 MiB, far
 * above what a well-behaved peer ever leaves (a few hundred bytes of handshake, one PONG).
 */
export const DEFAULT_MAX_PROTOCOL_BACKLOG = 1024 * 1024;
