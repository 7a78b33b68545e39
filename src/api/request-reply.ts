// Request, Reply, Dealer, Router: the public classes of RFC 28/REQREP, thin verbs and type-specific
// options over the routing cores (socket/req.ts, rep.ts, dealer.ts, router.ts). Imports core.

import { SocketType } from "../core/socket-type.ts";
import { installTypeOptions } from "./option-access.ts";
import type { SocketOptions } from "./option-types.ts";
import { Socket } from "./socket.ts";
import type { DurableSwapProperties, SwapProperties } from "./swap-options.ts";
import { validateRoutingId } from "./type-option-table.ts";
import { type Readable, type Writable, installReadable, installWritable } from "./verbs.ts";

/**
 * REQ (RFC 28): a client that alternates strictly, one request then its reply. Each request goes
 * to the next peer in turn (Reply or Router). Sending twice without receiving rejects with EFSM
 * (unless `relaxed`), as does receiving before sending.
 */
export class Request extends Socket {
  /** A new Request; `options` sets any of its options and its `context`. */
  constructor(options?: SocketOptions<Request>) {
    super(SocketType.Request, options);
  }
}

/**
 * REP (RFC 28): a server that alternates strictly, receiving a request and then sending its reply,
 * which goes back to the peer that asked. Sending before receiving rejects with EFSM.
 */
export class Reply extends Socket {
  /** A new Reply; `options` sets any of its options and its `context`. */
  constructor(options?: SocketOptions<Reply>) {
    super(SocketType.Reply, options);
  }
}

/**
 * DEALER (RFC 28): sends and receives freely, with no envelope: outgoing messages go round robin to
 * peers with room, incoming ones are fair-queued. Talks to Router, Reply and other Dealers; to a
 * Reply, send an empty delimiter frame first (`["", request]`).
 */
export class Dealer extends Socket {
  /** A new Dealer; `options` sets any of its options and its `context`. */
  constructor(options?: SocketOptions<Dealer>) {
    super(SocketType.Dealer, options);
  }
}

/** The second argument of `Router.connect()`. */
export interface RouterConnectOptions {
  /** ZMQ_CONNECT_ROUTING_ID: the routing id this connection's peer is known by, instead of its own. */
  routingId?: string;
}

/**
 * ROUTER (RFC 28): addresses peers by routing id. Each received message starts with the sender's
 * id (its `routingId`, or 5 bytes the Router made up); a sent message's first frame names the peer
 * to send the rest to. A message for an unknown or full peer is dropped, unless `mandatory`.
 */
export class Router extends Socket {
  /** A new Router; `options` sets any of its options and its `context`. */
  constructor(options?: SocketOptions<Router>) {
    super(SocketType.Router, options);
  }

  /** Connects; with `routingId`, messages to and from this peer carry that id (ZMQ_CONNECT_ROUTING_ID). */
  override connect(address: string, options: RouterConnectOptions = {}): void {
    const routingId = options.routingId === undefined ? null : validateRoutingId(options.routingId);
    this.connectWith(address, routingId);
  }
}

/** The `routingId` option of Request, Reply, Dealer and Router. */
interface RoutingId {
  /**
   * The id this socket announces to its peers (READY's Identity; a Reply announces none), so a
   * Router peer addresses it by this instead of an id of its own making: 1 to 255 bytes, set as
   * text or bytes, read back as text. Applies to connections made afterwards.
   * @defaultValue null
   * @libzmq ZMQ_ROUTING_ID (5)
   */
  routingId: string | null;
}

/** The `probeRouter` option of Request, Dealer and Router. */
interface ProbeRouter {
  /**
   * Send an empty message to each peer as it connects, so a Router peer learns this socket's
   * routing id before any request. Write-only.
   * @defaultValue false
   * @libzmq ZMQ_PROBE_ROUTER (51)
   */
  probeRouter: boolean;
}

// All four request-reply types both send and receive.
export interface Request extends Writable, Readable, RoutingId, ProbeRouter, SwapProperties {
  /**
   * Tag each request with an id and accept only the reply that carries it back, so a late reply to
   * an abandoned request is dropped (use with `relaxed`). Write-only; applies at once.
   * @defaultValue false
   * @libzmq ZMQ_REQ_CORRELATE (52)
   */
  correlate: boolean;
  /**
   * Allow a new request before the reply to the last one: the unanswered one is abandoned (a
   * client that gives up on a slow server and retries). Write-only; applies at once.
   * @defaultValue false
   * @libzmq ZMQ_REQ_RELAXED (53)
   */
  relaxed: boolean;
}
export interface Reply extends Writable, Readable, RoutingId {}
export interface Dealer extends Writable, Readable, RoutingId, ProbeRouter, SwapProperties, DurableSwapProperties {
  /**
   * Keep only the newest message queued for each connection, each way. Write-only.
   * @defaultValue false
   * @libzmq ZMQ_CONFLATE (54)
   */
  conflate: boolean;
}
export interface Router extends Writable, Readable, RoutingId, ProbeRouter, SwapProperties {
  /**
   * Refuse instead of dropping: send() to an unknown routing id rejects with EHOSTUNREACH (trySend
   * throws it), and a peer at its high-water mark makes send() wait. Applies at once.
   * @defaultValue false
   * @libzmq ZMQ_ROUTER_MANDATORY (33)
   */
  mandatory: boolean;
  /**
   * A new peer announcing a routing id already in use takes it over from the old connection
   * (otherwise the newcomer is ignored). Write-only; applies at once.
   * @defaultValue false
   * @libzmq ZMQ_ROUTER_HANDOVER (56)
   */
  handover: boolean;
}
for (const [type, socketType] of [
  [Request, SocketType.Request],
  [Reply, SocketType.Reply],
  [Dealer, SocketType.Dealer],
  [Router, SocketType.Router],
] as const) {
  installWritable(type.prototype);
  installReadable(type.prototype);
  installTypeOptions(type.prototype, socketType);
}
