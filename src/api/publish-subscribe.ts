// Publisher, Subscriber, XPublisher, XSubscriber: the public classes of RFC 29/PUBSUB, thin verbs
// and type-specific options over the routing cores. Publisher has no receive and Subscriber no send.
// Imports socket and core.

import { ZmqError } from "../core/errors.ts";
import { SocketType } from "../core/socket-type.ts";
import type { SubSocket } from "../socket/sub.ts";
import type { XPubSocket } from "../socket/xpub.ts";
import { installTypeOptions } from "./option-access.ts";
import type { SocketOptions } from "./option-types.ts";
import { Socket } from "./socket.ts";
import { type Readable, type Writable, installReadable, installWritable } from "./verbs.ts";

const utf8 = new TextEncoder();

function topicBytes(topic: unknown): Uint8Array {
  if (typeof topic === "string") return utf8.encode(topic);
  if (topic instanceof Uint8Array) return topic;
  throw new ZmqError("EINVAL", `A topic must be a string or a Buffer, got ${String(topic)}`);
}

export class Publisher extends Socket {
  constructor(options?: SocketOptions<Publisher>) {
    super(SocketType.Publisher, options);
  }
}

export class XPublisher extends Socket {
  constructor(options?: SocketOptions<XPublisher>) {
    super(SocketType.XPublisher, options);
  }

  /** bunzmq addition (libzmq ZMQ_SUBSCRIBE on XPUB), for `manual` mode: see `manual`. */
  subscribe(...prefixes: Array<Uint8Array | string>): void {
    const core = this.core as XPubSocket;
    eachTopic(this, prefixes, (topic) => core.subscribeLast(topic));
  }

  /** bunzmq addition (libzmq ZMQ_UNSUBSCRIBE on XPUB), for `manual` mode: see `manual`. */
  unsubscribe(...prefixes: Array<Uint8Array | string>): void {
    const core = this.core as XPubSocket;
    eachTopic(this, prefixes, (topic) => core.unsubscribeLast(topic));
  }
}

export class Subscriber extends Socket {
  constructor(options?: SocketOptions<Subscriber>) {
    super(SocketType.Subscriber, options);
  }

  /** Subscribes to each prefix (strings as UTF-8); no argument subscribes to everything. */
  subscribe(...prefixes: Array<Uint8Array | string>): void {
    const core = this.core as SubSocket;
    eachTopic(this, prefixes, (topic) => core.subscribe(topic));
  }

  /** Removes one reference to each prefix; no argument removes the subscribe-to-everything one. */
  unsubscribe(...prefixes: Array<Uint8Array | string>): void {
    const core = this.core as SubSocket;
    eachTopic(this, prefixes, (topic) => core.unsubscribe(topic));
  }
}

export class XSubscriber extends Socket {
  constructor(options?: SocketOptions<XSubscriber>) {
    super(SocketType.XSubscriber, options);
  }
}

// Publisher only sends and Subscriber only receives, at runtime too; the X types do both.
export interface Publisher extends Writable {
  /** ZMQ_XPUB_NODROP (write-only): wait (or EAGAIN) at a full subscriber instead of dropping for it. */
  noDrop: boolean;
  /** ZMQ_CONFLATE (write-only): each connection keeps only its newest message. */
  conflate: boolean;
  /** ZMQ_INVERT_MATCHING: deliver to subscribers whose subscriptions do NOT match. */
  invertMatching: boolean;
  /**
   * bunzmq addition: the most one subscriber's subscriptions may cost, each distinct topic counting
   * its length plus 64 bytes; default 64 MiB, -1 unlimited (as libzmq). Further subscriptions from a
   * peer over it are dropped (not applied, not reported); other peers are unaffected.
   */
  maxSubscriptionBytes: number;
}
export interface XPublisher extends Writable, Readable {
  noDrop: boolean;
  invertMatching: boolean;
  maxSubscriptionBytes: number;
  /**
   * ZMQ_XPUB_MANUAL (write-only): every subscribe and cancel from peers is handed to the app and none
   * is applied; the app applies them with `subscribe`/`unsubscribe`, which act on the peer whose
   * notification it received last (libzmq's ZMQ_SUBSCRIBE on an XPUB).
   */
  manual: boolean;
  /**
   * ZMQ_XPUB_MANUAL_LAST_VALUE (DRAFT in libzmq, left out by zeromq.js): `manual`, and the first send
   * after receiving a subscription goes only to that subscriber, if it matches: a topic's last value
   * for the newcomer alone. Setting it sets `manual`; clearing it clears `manual`.
   */
  manualLastValue: boolean;
  /** ZMQ_XPUB_WELCOME_MSG (write-only): sent to each new subscriber; null or "" for none. */
  welcomeMessage: string | Uint8Array | null;
  /**
   * ZMQ_XPUB_VERBOSE / ZMQ_XPUB_VERBOSER (write-only): pass duplicate subscriptions (and cancels) up
   * too. Spelled out rather than socket/xpub.ts's Verbosity, so the public declarations stay in api/ and core/.
   */
  verbosity: null | "allSubs" | "allSubsUnsubs";
}
export interface Subscriber extends Readable {
  /** ZMQ_CONFLATE (write-only): each connection keeps only its newest message. */
  conflate: boolean;
  /** ZMQ_INVERT_MATCHING: accept only messages that match no subscription. */
  invertMatching: boolean;
}
export interface XSubscriber extends Writable, Readable {}
installWritable(Publisher.prototype);
installWritable(XPublisher.prototype);
installReadable(XPublisher.prototype);
installReadable(Subscriber.prototype);
installWritable(XSubscriber.prototype);
installReadable(XSubscriber.prototype);
installTypeOptions(Publisher.prototype, SocketType.Publisher);
installTypeOptions(XPublisher.prototype, SocketType.XPublisher);
installTypeOptions(Subscriber.prototype, SocketType.Subscriber);
installTypeOptions(XSubscriber.prototype, SocketType.XSubscriber);

/** Applies a (un)subscribe to each prefix as bytes, or to the empty topic when none is given. */
function eachTopic(socket: Socket, prefixes: Array<Uint8Array | string>, apply: (topic: Uint8Array) => void): void {
  if (socket.closed) throw new ZmqError("EBADF");
  if (prefixes.length === 0) apply(new Uint8Array(0));
  for (const prefix of prefixes) apply(topicBytes(prefix));
}
