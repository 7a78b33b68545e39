// Request, Reply, Dealer, Router: the public classes of RFC 28/REQREP, thin verbs and type-specific
// options over the routing cores (socket/req.ts, rep.ts, dealer.ts, router.ts).

import { ZmqError } from "../core/errors.ts";
import { DealerSocket } from "../socket/dealer.ts";
import { RepSocket } from "../socket/rep.ts";
import { ReqSocket } from "../socket/req.ts";
import { RouterSocket } from "../socket/router.ts";
import type { MessageLike } from "./message-like.ts";
import { installConflateProperty, installRoutingIdProperty, validateRoutingId } from "./socket-options.ts";
import { Socket, type SocketInit } from "./socket.ts";

function flag(name: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw new ZmqError("EINVAL", `Option ${name} must be a boolean, got ${String(value)}`);
  return value;
}

/** The verbs every request-reply type has: all four both send and receive. */
abstract class DuplexSocket extends Socket {
  /** Resolves once queued. Request and Reply throw EFSM synchronously when out of turn. */
  send(message: MessageLike | MessageLike[]): Promise<void> {
    return this.sendMessage(message);
  }

  /** bunzmq addition: queues at once and returns true, or returns false when it would wait. */
  trySend(message: MessageLike | MessageLike[]): boolean {
    return this.trySendMessage(message);
  }

  /** The next message, always as an array of Buffers. */
  receive(): Promise<Buffer[]> {
    return this.receiveMessage();
  }

  /** bunzmq addition: the next message if one is ready, else null. */
  tryReceive(): Buffer[] | null {
    return this.tryReceiveMessage();
  }

  /** bunzmq addition: waits for a message, then returns all that are ready, up to `max`. */
  receiveBatch(max = 1024): Promise<Buffer[][]> {
    return this.receiveMessages(max);
  }

  [Symbol.asyncIterator](): AsyncGenerator<Buffer[], undefined> {
    return this.iterateMessages();
  }
}

export type RequestInit = SocketInit & { routingId?: string | null; probeRouter?: boolean; correlate?: boolean; relaxed?: boolean };

export class Request extends DuplexSocket {
  constructor(options?: RequestInit) {
    super(new ReqSocket(), options);
  }

  /** ZMQ_PROBE_ROUTER: send an empty message to each peer as it connects. */
  get probeRouter(): boolean {
    return (this.core as ReqSocket).probeRouter;
  }

  set probeRouter(value: boolean) {
    (this.core as ReqSocket).probeRouter = flag("probeRouter", value);
  }

  /** ZMQ_REQ_CORRELATE: tag each request with an id and accept only the reply carrying it. */
  get correlate(): boolean {
    return (this.core as ReqSocket).correlate;
  }

  set correlate(value: boolean) {
    (this.core as ReqSocket).correlate = flag("correlate", value);
  }

  /** ZMQ_REQ_RELAXED: a new request may be sent before the reply; the unanswered one is abandoned. */
  get relaxed(): boolean {
    return (this.core as ReqSocket).relaxed;
  }

  set relaxed(value: boolean) {
    (this.core as ReqSocket).relaxed = flag("relaxed", value);
  }
}

export type ReplyInit = SocketInit & { routingId?: string | null };

export class Reply extends DuplexSocket {
  constructor(options?: ReplyInit) {
    super(new RepSocket(), options);
  }
}

export type DealerInit = SocketInit & { routingId?: string | null; probeRouter?: boolean; conflate?: boolean };

export class Dealer extends DuplexSocket {
  constructor(options?: DealerInit) {
    super(new DealerSocket(), options);
  }

  /** ZMQ_PROBE_ROUTER: send an empty message to each peer as it connects. */
  get probeRouter(): boolean {
    return (this.core as DealerSocket).probeRouter;
  }

  set probeRouter(value: boolean) {
    (this.core as DealerSocket).probeRouter = flag("probeRouter", value);
  }
}

export interface RouterConnectOptions {
  /** ZMQ_CONNECT_ROUTING_ID: the routing id this connection's peer is known by, instead of its own. */
  routingId?: string;
}

export type RouterInit = SocketInit & { routingId?: string | null; mandatory?: boolean; probeRouter?: boolean; handover?: boolean };

export class Router extends DuplexSocket {
  constructor(options?: RouterInit) {
    super(new RouterSocket(), options);
  }

  /** Connects; with `routingId`, messages to and from this peer carry that id (ZMQ_CONNECT_ROUTING_ID). */
  override connect(address: string, options: RouterConnectOptions = {}): void {
    const routingId = options.routingId === undefined ? null : validateRoutingId(options.routingId);
    this.connectWith(address, routingId);
  }

  /** ZMQ_ROUTER_MANDATORY: unknown routing ids throw EHOSTUNREACH; full peers make send wait. */
  get mandatory(): boolean {
    return (this.core as RouterSocket).mandatory;
  }

  set mandatory(value: boolean) {
    (this.core as RouterSocket).mandatory = flag("mandatory", value);
  }

  /** ZMQ_ROUTER_HANDOVER: a new peer with a routing id in use takes it over from the old one. */
  get handover(): boolean {
    return (this.core as RouterSocket).handover;
  }

  set handover(value: boolean) {
    (this.core as RouterSocket).handover = flag("handover", value);
  }

  /** ZMQ_PROBE_ROUTER: send an empty message to each peer as it connects. */
  get probeRouter(): boolean {
    return (this.core as RouterSocket).probeRouter;
  }

  set probeRouter(value: boolean) {
    (this.core as RouterSocket).probeRouter = flag("probeRouter", value);
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
