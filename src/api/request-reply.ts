// Request, Reply, Dealer, Router: the public classes of RFC 28/REQREP, thin verbs and type-specific
// options over the routing cores (socket/req.ts, rep.ts, dealer.ts, router.ts). Imports core.

import { SocketType } from "../core/socket-type.ts";
import { installTypeOptions } from "./option-access.ts";
import type { SocketOptions } from "./option-types.ts";
import { Socket } from "./socket.ts";
import { validateRoutingId } from "./type-option-table.ts";
import { type Readable, type Writable, installReadable, installWritable } from "./verbs.ts";

export class Request extends Socket {
  constructor(options?: SocketOptions<Request>) {
    super(SocketType.Request, options);
  }
}

export class Reply extends Socket {
  constructor(options?: SocketOptions<Reply>) {
    super(SocketType.Reply, options);
  }
}

export class Dealer extends Socket {
  constructor(options?: SocketOptions<Dealer>) {
    super(SocketType.Dealer, options);
  }
}

export interface RouterConnectOptions {
  /** ZMQ_CONNECT_ROUTING_ID: the routing id this connection's peer is known by, instead of its own. */
  routingId?: string;
}

export class Router extends Socket {
  constructor(options?: SocketOptions<Router>) {
    super(SocketType.Router, options);
  }

  /** Connects; with `routingId`, messages to and from this peer carry that id (ZMQ_CONNECT_ROUTING_ID). */
  override connect(address: string, options: RouterConnectOptions = {}): void {
    const routingId = options.routingId === undefined ? null : validateRoutingId(options.routingId);
    this.connectWith(address, routingId);
  }
}

/** ZMQ_ROUTING_ID: announced in READY's Identity by REQ, DEALER and ROUTER; 1 to 255 bytes, read back as text. */
interface RoutingId {
  routingId: string | null;
}

/** ZMQ_PROBE_ROUTER (write-only): send an empty message to each peer as it connects. */
interface ProbeRouter {
  probeRouter: boolean;
}

// All four request-reply types both send and receive.
export interface Request extends Writable, Readable, RoutingId, ProbeRouter {
  /** ZMQ_REQ_CORRELATE (write-only): tag each request with an id and accept only the reply carrying it. */
  correlate: boolean;
  /** ZMQ_REQ_RELAXED (write-only): a new request may be sent before the reply; the unanswered one is abandoned. */
  relaxed: boolean;
}
export interface Reply extends Writable, Readable, RoutingId {}
export interface Dealer extends Writable, Readable, RoutingId, ProbeRouter {
  /** ZMQ_CONFLATE (write-only): each connection keeps only its newest message. */
  conflate: boolean;
}
export interface Router extends Writable, Readable, RoutingId, ProbeRouter {
  /** ZMQ_ROUTER_MANDATORY: send() to an unknown routing id rejects with EHOSTUNREACH (trySend throws it); a full peer makes send wait. */
  mandatory: boolean;
  /** ZMQ_ROUTER_HANDOVER (write-only): a new peer with a routing id in use takes it over from the old one. */
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
