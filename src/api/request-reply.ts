// Request, Reply, Dealer, Router: the public classes of RFC 28/REQREP, thin verbs and type-specific
// options over the routing cores (socket/req.ts, rep.ts, dealer.ts, router.ts). Imports socket.

import { DealerSocket } from "../socket/dealer.ts";
import { RepSocket } from "../socket/rep.ts";
import { ReqSocket } from "../socket/req.ts";
import { RouterSocket } from "../socket/router.ts";
import { installConflateProperty, installCoreFlags, installRoutingIdProperty, validateRoutingId } from "./socket-options.ts";
import type { SocketOptions } from "./option-types.ts";
import { Socket } from "./socket.ts";
import { type Readable, type Writable, installReadable, installWritable } from "./verbs.ts";

export class Request extends Socket {
  constructor(options?: SocketOptions<Request>) {
    super(new ReqSocket(), options);
  }
}

export class Reply extends Socket {
  constructor(options?: SocketOptions<Reply>) {
    super(new RepSocket(), options);
  }
}

export class Dealer extends Socket {
  constructor(options?: SocketOptions<Dealer>) {
    super(new DealerSocket(), options);
  }
}

export interface RouterConnectOptions {
  /** ZMQ_CONNECT_ROUTING_ID: the routing id this connection's peer is known by, instead of its own. */
  routingId?: string;
}

export class Router extends Socket {
  constructor(options?: SocketOptions<Router>) {
    super(new RouterSocket(), options);
  }

  /** Connects; with `routingId`, messages to and from this peer carry that id (ZMQ_CONNECT_ROUTING_ID). */
  override connect(address: string, options: RouterConnectOptions = {}): void {
    const routingId = options.routingId === undefined ? null : validateRoutingId(options.routingId);
    this.connectWith(address, routingId);
  }
}

// ZMQ_ROUTING_ID (announced in READY's Identity by REQ, DEALER and ROUTER) and ZMQ_CONFLATE.
export interface Request {
  routingId: string | null;
}
export interface Reply {
  routingId: string | null;
}
export interface Dealer {
  routingId: string | null;
  conflate: boolean;
}
export interface Router {
  routingId: string | null;
}
installRoutingIdProperty(Request.prototype);
installRoutingIdProperty(Reply.prototype);
installRoutingIdProperty(Dealer.prototype);
installRoutingIdProperty(Router.prototype);
installConflateProperty(Dealer.prototype);

// All four request-reply types both send and receive.
export interface Request extends Writable, Readable {}
export interface Reply extends Writable, Readable {}
export interface Dealer extends Writable, Readable {}
export interface Router extends Writable, Readable {}
for (const type of [Request, Reply, Dealer, Router]) {
  installWritable(type.prototype);
  installReadable(type.prototype);
}

// Boolean options kept on the routing cores.
export interface Request {
  /** ZMQ_PROBE_ROUTER: send an empty message to each peer as it connects. */
  probeRouter: boolean;
  /** ZMQ_REQ_CORRELATE: tag each request with an id and accept only the reply carrying it. */
  correlate: boolean;
  /** ZMQ_REQ_RELAXED: a new request may be sent before the reply; the unanswered one is abandoned. */
  relaxed: boolean;
}
export interface Dealer {
  /** ZMQ_PROBE_ROUTER: send an empty message to each peer as it connects. */
  probeRouter: boolean;
}
export interface Router {
  /** ZMQ_ROUTER_MANDATORY: send() to an unknown routing id rejects with EHOSTUNREACH (trySend throws it); a full peer makes send wait. */
  mandatory: boolean;
  /** ZMQ_ROUTER_HANDOVER: a new peer with a routing id in use takes it over from the old one. */
  handover: boolean;
  /** ZMQ_PROBE_ROUTER: send an empty message to each peer as it connects. */
  probeRouter: boolean;
}
installCoreFlags(Request.prototype, ["probeRouter", "correlate", "relaxed"]);
installCoreFlags(Dealer.prototype, ["probeRouter"]);
installCoreFlags(Router.prototype, ["mandatory", "handover", "probeRouter"]);
