// The option properties as TypeScript sees them, merged into the socket classes' declarations; the
// accessors themselves come from the option tables (option-access.ts), and what a constructor takes
// is derived from these (option-types.ts's SocketOptions<S>). Imports types only, from core.

import type { SocketType } from "../core/socket-type.ts";

/**
 * Options every socket has (zeromq.js's Socket), with libzmq 4.3.4's defaults. Unless a member says
 * it applies at once, an option shapes the connections made after it is set; setting one after a
 * bind or connect emits zeromq.js's warning "Socket option will not take effect until next
 * connect/bind."
 */
export interface CommonOptionProperties {
  /**
   * Which I/O threads may run this socket's new tcp:// and ipc:// connections: bit n allows the
   * context's thread n; 0 lets the least loaded thread take each. Nothing to choose with
   * `ioThreads` 0.
   * @defaultValue 0
   * @unit bit mask
   * @libzmq ZMQ_AFFINITY (4)
   */
  affinity: number;
  /**
   * epgm:// sending rate, for ODATA, RDATA and SPMs together (at least 1). Read as an epgm://
   * endpoint starts.
   * @defaultValue 100
   * @unit kbit/s
   * @libzmq ZMQ_RATE (8)
   */
  rate: number;
  /**
   * How long an epgm:// sender keeps what it sent for repairs: its transmit window holds
   * `rate` × this much data (at most 65 536 packets). Read as an endpoint starts.
   * @defaultValue 10000
   * @unit ms
   * @libzmq ZMQ_RECOVERY_IVL (9)
   */
  recoveryInterval: number;
  /**
   * How long `close()` keeps delivering what is queued for connected peers, holding the event loop
   * meanwhile: -1 until all is written and the peer closes, 0 drops it at once. A positive linger
   * also waits that long for a peer that is not connected. Applies at once.
   * @defaultValue -1 (0 in a context whose `blocky` is false)
   * @unit ms
   * @libzmq ZMQ_LINGER (17)
   */
  linger: number;
  /**
   * The wait before a lost or refused connection is redialled, plus up to one interval of random
   * jitter; -1 (or 0) never redials.
   * @defaultValue 100
   * @unit ms
   * @libzmq ZMQ_RECONNECT_IVL (18)
   */
  reconnectInterval: number;
  /**
   * The ceiling of exponential back-off: when larger than `reconnectInterval`, each failed attempt
   * doubles the wait up to this; 0 keeps every wait at `reconnectInterval`.
   * @defaultValue 0
   * @unit ms
   * @libzmq ZMQ_RECONNECT_IVL_MAX (21)
   */
  reconnectMaxInterval: number;
  /**
   * The listen() backlog of tcp:// and ipc:// binds: connections the kernel queues before they are
   * accepted.
   * @defaultValue 100
   * @unit connections
   * @libzmq ZMQ_BACKLOG (19)
   */
  backlog: number;
  /**
   * The largest frame accepted from a peer; a larger one closes that connection (a `disconnect`
   * event whose `error` is EMSGSIZE). Any negative value means no limit.
   * @defaultValue -1
   * @unit bytes
   * @libzmq ZMQ_MAXMSGSIZE (22)
   */
  maxMessageSize: number;
  /**
   * SO_KEEPALIVE of each new TCP connection: 1 on, 0 off, -1 leaves the OS default.
   * @defaultValue -1
   * @libzmq ZMQ_TCP_KEEPALIVE (34)
   */
  tcpKeepalive: number;
  /**
   * With keep-alive on, unanswered probes before the kernel drops the connection (TCP_KEEPCNT);
   * -1 leaves the OS default.
   * @defaultValue -1
   * @unit probes
   * @libzmq ZMQ_TCP_KEEPALIVE_CNT (35)
   */
  tcpKeepaliveCount: number;
  /**
   * With keep-alive on, idle time before the first probe (TCP_KEEPIDLE); -1 leaves the OS default.
   * @defaultValue -1
   * @unit s
   * @libzmq ZMQ_TCP_KEEPALIVE_IDLE (36)
   */
  tcpKeepaliveIdle: number;
  /**
   * With keep-alive on, time between probes (TCP_KEEPINTVL); -1 leaves the OS default.
   * @defaultValue -1
   * @unit s
   * @libzmq ZMQ_TCP_KEEPALIVE_INTVL (37)
   */
  tcpKeepaliveInterval: number;
  /**
   * Queue messages only for peers whose handshake has completed: a connecting socket attaches each
   * connection's queue only once it is up, so nothing waits for a peer that is not there.
   * @defaultValue false
   * @libzmq ZMQ_IMMEDIATE (39)
   */
  immediate: boolean;
  /**
   * Lets tcp:// use IPv6: a bind to `*` listens on `::` (both families), and a bind to an IPv6
   * address (`tcp://[::1]:*`) or an IPv6 `tcpAcceptFilter` mask needs it.
   * @defaultValue false (the context's `ipv6`)
   * @libzmq ZMQ_IPV6 (42)
   */
  ipv6: boolean;
  /**
   * How long the greeting and security handshake of a connection may take; a slower one ends with a
   * `handshake:error:other` event (ETIMEDOUT). 0 means no limit.
   * @defaultValue 30000
   * @unit ms
   * @libzmq ZMQ_HANDSHAKE_IVL (66)
   */
  handshakeInterval: number;
  /**
   * Sends a ZMTP PING on each connection every interval; 0 sends none.
   * @defaultValue 0
   * @unit ms
   * @libzmq ZMQ_HEARTBEAT_IVL (75)
   */
  heartbeatInterval: number;
  /**
   * How long the peer should wait for traffic from us before dropping the connection, sent in our
   * PINGs in whole deciseconds (so set in ms and rounded down to 100); 0 leaves it to the peer.
   * @defaultValue 0
   * @unit ms
   * @libzmq ZMQ_HEARTBEAT_TTL (76)
   */
  heartbeatTimeToLive: number;
  /**
   * How long to wait for any traffic after a PING before dropping the connection (a `disconnect`
   * event whose `error` is ETIMEDOUT; a connecting socket redials). Reads -1, meaning
   * `heartbeatInterval`, until set to 0 or more.
   * @defaultValue -1
   * @unit ms
   * @libzmq ZMQ_HEARTBEAT_TIMEOUT (77)
   */
  heartbeatTimeout: number;
  /**
   * Bound on one TCP dial, a SOCKS5 exchange included; 0 leaves it to the OS.
   * @defaultValue 0
   * @unit ms
   * @libzmq ZMQ_CONNECT_TIMEOUT (79)
   */
  connectTimeout: number;
  /**
   * The largest epgm:// packet, IP and UDP headers included; each carries this less 52 bytes of
   * the message stream. Read as an endpoint starts.
   * @defaultValue 1500
   * @unit bytes
   * @libzmq ZMQ_MULTICAST_MAXTPDU (84)
   */
  multicastMaxTransportDataUnit: number;
  /**
   * Whether other members of the group on this host hear what an epgm:// endpoint, or a Radio's
   * multicast udp:// endpoint, sends (IP_MULTICAST_LOOP). DRAFT in libzmq, left out by zeromq.js: a bunzmq addition.
   * @defaultValue true
   * @libzmq ZMQ_MULTICAST_LOOP (96)
   */
  multicastLoop: boolean;
  /**
   * A VMCI option: there is no vmci:// transport, so reading or setting it throws EINVAL, as in a
   * libzmq built without VMCI.
   * @defaultValue none (reading throws EINVAL)
   * @unit bytes
   * @libzmq ZMQ_VMCI_BUFFER_SIZE (85)
   */
  vmciBufferSize: number;
  /**
   * A VMCI option: reading or setting it throws EINVAL (see `vmciBufferSize`).
   * @defaultValue none (reading throws EINVAL)
   * @unit bytes
   * @libzmq ZMQ_VMCI_BUFFER_MIN_SIZE (86)
   */
  vmciBufferMinSize: number;
  /**
   * A VMCI option: reading or setting it throws EINVAL (see `vmciBufferSize`).
   * @defaultValue none (reading throws EINVAL)
   * @unit bytes
   * @libzmq ZMQ_VMCI_BUFFER_MAX_SIZE (87)
   */
  vmciBufferMaxSize: number;
  /**
   * A VMCI option: reading or setting it throws EINVAL (see `vmciBufferSize`).
   * @defaultValue none (reading throws EINVAL)
   * @unit ms
   * @libzmq ZMQ_VMCI_CONNECT_TIMEOUT (88)
   */
  vmciConnectTimeout: number;
  /**
   * The first write batch of each connection; later batches grow while the kernel keeps up. At
   * least 256. Applies at once.
   * @defaultValue 8192
   * @unit bytes
   * @libzmq none (bunzmq addition)
   */
  outBatchSize: number;
  /**
   * Bytes of protocol output (greeting, handshake commands, ERROR, PING, PONG) a peer may leave
   * unread, refused by the kernel, before its connection is dropped with a `disconnect` event whose
   * `error` is ENOBUFS (`handshake:error:other` before the handshake ends); -1 means no bound. The
   * application's messages do not count: the high-water marks bound them. Taken by each new
   * connection.
   * @defaultValue 1048576 (1 MiB)
   * @unit bytes
   * @libzmq none (bunzmq addition)
   */
  maxProtocolBacklog: number;
  /**
   * The socket's type number (`SocketType` in bunzmq/extras).
   * @libzmq ZMQ_TYPE (16)
   */
  readonly type: SocketType;
  /**
   * The endpoint of the last bind (with the real port or path where `*` was given) or connect, or
   * null before any.
   * @defaultValue null
   * @libzmq ZMQ_LAST_ENDPOINT (32)
   */
  readonly lastEndpoint: string | null;
  /**
   * Whether libzmq would let several threads share the socket: true for the DRAFT types of
   * bunzmq/draft but Datagram (libzmq makes them thread-safe), false for the others.
   * @defaultValue false
   * @libzmq ZMQ_THREAD_SAFE (81)
   */
  readonly threadSafe: boolean;
}

/** Options of the sockets that send (zeromq.js's Writable). */
export interface SendOptionProperties {
  /**
   * SO_SNDBUF of each new TCP connection; -1 leaves the OS default.
   * @defaultValue -1
   * @unit bytes
   * @libzmq ZMQ_SNDBUF (11)
   */
  sendBufferSize: number;
  /**
   * Messages queued per peer before the socket stops queueing for it: then `send()` waits (up to
   * `sendTimeout`), or a Publisher drops for that subscriber (unless `noDrop`) and a Router drops
   * (unless `mandatory`). 0 means no limit. A change applies at once, to existing queues too.
   * @defaultValue 1000
   * @unit messages
   * @libzmq ZMQ_SNDHWM (23)
   */
  sendHighWaterMark: number;
  /**
   * How long `send()` waits for room before it rejects with EAGAIN: -1 waits for ever, 0 rejects at
   * once. Applies at once.
   * @defaultValue -1
   * @unit ms
   * @libzmq ZMQ_SNDTIMEO (28)
   */
  sendTimeout: number;
  /**
   * The TTL of what an epgm:// endpoint, or a Radio's multicast udp:// endpoint, sends
   * (IP_MULTICAST_TTL); 1 keeps it on the local network.
   * @defaultValue 1
   * @unit hops
   * @libzmq ZMQ_MULTICAST_HOPS (25)
   */
  multicastHops: number;
}

/** Options of the sockets that receive (zeromq.js's Readable). */
export interface ReceiveOptionProperties {
  /**
   * SO_RCVBUF of each new TCP connection, set as it opens; -1 leaves the OS default.
   * @defaultValue -1
   * @unit bytes
   * @libzmq ZMQ_RCVBUF (12)
   */
  receiveBufferSize: number;
  /**
   * Messages queued per peer towards the application before bunzmq stops reading that peer's
   * connection (it resumes below the low-water mark). 0 means no limit. A change applies at once.
   * @defaultValue 1000
   * @unit messages
   * @libzmq ZMQ_RCVHWM (24)
   */
  receiveHighWaterMark: number;
  /**
   * How long `receive()` waits for a message before it rejects with EAGAIN: -1 waits for ever, 0
   * rejects at once when nothing is queued. Applies at once.
   * @defaultValue -1
   * @unit ms
   * @libzmq ZMQ_RCVTIMEO (27)
   */
  receiveTimeout: number;
}
