// The option properties as TypeScript sees them, merged into the socket classes' declarations; the
// accessors themselves come from the option tables (option-access.ts), and what a constructor takes
// is derived from these (option-types.ts's SocketOptions<S>). Imports types only, from core.

import type { SocketType } from "../core/socket-type.ts";

/** Options every socket has (zeromq.js's Socket), with libzmq's defaults. */
export interface CommonOptionProperties {
  /** ZMQ_AFFINITY (0): a bit per I/O thread that may run this socket's new connections; 0 = any. */
  affinity: number;
  /** ZMQ_RATE (100), ZMQ_RECOVERY_IVL (10000): multicast settings, validated and kept with no effect (no pgm://). */
  rate: number;
  recoveryInterval: number;
  /** ZMQ_LINGER (-1, or 0 in a context whose `blocky` is false): ms close() keeps flushing. */
  linger: number;
  /** ZMQ_RECONNECT_IVL (100) and ZMQ_RECONNECT_IVL_MAX (0), ms. */
  reconnectInterval: number;
  reconnectMaxInterval: number;
  /** ZMQ_BACKLOG (100): the listen() backlog. */
  backlog: number;
  /** ZMQ_MAXMSGSIZE (-1): the largest frame accepted from a peer; negative = no limit. */
  maxMessageSize: number;
  /** ZMQ_TCP_KEEPALIVE* (-1 each: the OS default), applied to each new TCP connection. */
  tcpKeepalive: number;
  tcpKeepaliveCount: number;
  tcpKeepaliveIdle: number;
  tcpKeepaliveInterval: number;
  /** ZMQ_IMMEDIATE (false): queue only for connected peers. */
  immediate: boolean;
  /** ZMQ_IPV6 (the context's ipv6): IPv6 on bind wildcards and connects. */
  ipv6: boolean;
  /** ZMQ_HANDSHAKE_IVL (30000): ms the greeting and handshake may take; 0 = no limit. */
  handshakeInterval: number;
  /** ZMQ_HEARTBEAT_IVL (0), ZMQ_HEARTBEAT_TTL (0, whole deciseconds), ZMQ_HEARTBEAT_TIMEOUT (-1: the interval), ms. */
  heartbeatInterval: number;
  heartbeatTimeToLive: number;
  heartbeatTimeout: number;
  /** ZMQ_CONNECT_TIMEOUT (0: the OS default), ms. */
  connectTimeout: number;
  /** ZMQ_MULTICAST_MAXTPDU (1500): validated and kept with no effect (no pgm://). */
  multicastMaxTransportDataUnit: number;
  /** ZMQ_VMCI_*: there is no vmci:// transport, so reading or setting them throws EINVAL, as libzmq without VMCI does. */
  vmciBufferSize: number;
  vmciBufferMinSize: number;
  vmciBufferMaxSize: number;
  vmciConnectTimeout: number;
  /** bunzmq addition (8192): the first write batch of each connection, in bytes; batches grow while the kernel keeps up. */
  outBatchSize: number;
  /**
   * bunzmq addition (1048576): bytes of protocol output (greeting, handshake commands, ERROR, PING,
   * PONG) a peer may leave unread, refused by the kernel, before its connection is dropped with a
   * `disconnect` event carrying ENOBUFS; -1 = no bound. Taken by each new connection.
   */
  maxProtocolBacklog: number;
  /** ZMQ_TYPE. */
  readonly type: SocketType;
  /** ZMQ_LAST_ENDPOINT: the last endpoint bound (with the real port for `*`) or connected, or null. */
  readonly lastEndpoint: string | null;
  /** ZMQ_THREAD_SAFE: false, as for every non-DRAFT type. */
  readonly threadSafe: boolean;
}

/** Options of the sockets that send (zeromq.js's Writable). */
export interface SendOptionProperties {
  /** ZMQ_SNDBUF (-1: the OS default): SO_SNDBUF of each new TCP connection, bytes. */
  sendBufferSize: number;
  /** ZMQ_SNDHWM (1000): messages queued per peer before send waits or drops; 0 = no limit. */
  sendHighWaterMark: number;
  /** ZMQ_SNDTIMEO (-1): ms send() may wait; 0 = fail at once. */
  sendTimeout: number;
  /** ZMQ_MULTICAST_HOPS (1): validated and kept with no effect (no pgm://). */
  multicastHops: number;
}

/** Options of the sockets that receive (zeromq.js's Readable). */
export interface ReceiveOptionProperties {
  /** ZMQ_RCVBUF (-1: the OS default): SO_RCVBUF of each new TCP connection, bytes. */
  receiveBufferSize: number;
  /** ZMQ_RCVHWM (1000): messages queued per peer before reading that peer pauses; 0 = no limit. */
  receiveHighWaterMark: number;
  /** ZMQ_RCVTIMEO (-1): ms receive() may wait; 0 = fail at once. */
  receiveTimeout: number;
}
