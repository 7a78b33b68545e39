// Publisher, Subscriber, XPublisher, XSubscriber: the public classes of RFC 29/PUBSUB, thin verbs
// and type-specific options over the routing cores. Publisher has no receive and Subscriber no send.
// Imports socket and core.

import { ZmqError } from "../core/errors.ts";
import { PubSocket } from "../socket/pub.ts";
import { SubSocket } from "../socket/sub.ts";
import { XPubSocket } from "../socket/xpub.ts";
import { XSubSocket } from "../socket/xsub.ts";
import { installConflateProperty, installCoreFlags, validateMaxSubscriptionBytes } from "./socket-options.ts";
import type { SocketOptions } from "./option-types.ts";
import { Socket } from "./socket.ts";
import { type Readable, type Writable, installReadable, installWritable } from "./verbs.ts";

const utf8 = new TextEncoder();

function topicBytes(topic: unknown): Uint8Array {
  if (typeof topic === "string") return utf8.encode(topic);
  if (topic instanceof Uint8Array) return topic;
  throw new ZmqError("EINVAL", `A topic must be a string or a Buffer, got ${String(topic)}`);
}

/** Options shared by Publisher and XPublisher. */
abstract class PublishingSocket extends Socket {
  /**
   * bunzmq addition: the most one subscriber's subscriptions may cost, each distinct topic counting
   * its length plus 64 bytes; default 64 MiB, -1 unlimited (as libzmq). Further subscriptions from a
   * peer over it are dropped (not applied, not reported); other peers are unaffected.
   */
  get maxSubscriptionBytes(): number {
    return (this.core as XPubSocket).maxSubscriptionBytes;
  }

  set maxSubscriptionBytes(value: number) {
    (this.core as XPubSocket).maxSubscriptionBytes = validateMaxSubscriptionBytes(value);
  }
}

export class Publisher extends PublishingSocket {
  constructor(options?: SocketOptions<Publisher>) {
    super(new PubSocket(), options);
  }
}

export class XPublisher extends PublishingSocket {
  constructor(options?: SocketOptions<XPublisher>) {
    super(new XPubSocket(), options);
  }





  /**
   * ZMQ_XPUB_MANUAL: every subscribe and cancel from peers is handed to the app and none is applied;
   * the app applies them with `subscribe`/`unsubscribe`, which act on the peer whose notification it
   * received last (libzmq's ZMQ_SUBSCRIBE on an XPUB).
   */

  /** bunzmq addition (libzmq ZMQ_SUBSCRIBE on XPUB), for `manual` mode: see `manual`. */
  subscribe(...prefixes: Array<Uint8Array | string>): void {
    if (this.closed) throw new ZmqError("EBADF", "Socket is closed");
    const core = this.core as XPubSocket;
    if (prefixes.length === 0) core.subscribeLast(new Uint8Array(0));
    for (const prefix of prefixes) core.subscribeLast(topicBytes(prefix));
  }

  /** bunzmq addition (libzmq ZMQ_UNSUBSCRIBE on XPUB), for `manual` mode: see `manual`. */
  unsubscribe(...prefixes: Array<Uint8Array | string>): void {
    if (this.closed) throw new ZmqError("EBADF", "Socket is closed");
    const core = this.core as XPubSocket;
    if (prefixes.length === 0) core.unsubscribeLast(new Uint8Array(0));
    for (const prefix of prefixes) core.unsubscribeLast(topicBytes(prefix));
  }

  get welcomeMessage(): string | null {
    const bytes = (this.core as XPubSocket).welcomeMessage;
    return bytes === null ? null : new TextDecoder().decode(bytes);
  }

  set welcomeMessage(value: string | Uint8Array | null) {
    // Copied: the same bytes are queued to every future subscriber, so later edits must not leak in.
    (this.core as XPubSocket).welcomeMessage = value === null || value === undefined ? null : topicBytes(value).slice();
  }

  // Spelled out rather than socket/xpub.ts's Verbosity, so the public declarations stay in api/ and core/.
  get verbosity(): null | "allSubs" | "allSubsUnsubs" {
    return (this.core as XPubSocket).verbosity;
  }

  set verbosity(value: null | "allSubs" | "allSubsUnsubs") {
    if (value !== null && value !== "allSubs" && value !== "allSubsUnsubs") {
      throw new ZmqError("EINVAL", `Option verbosity must be null, "allSubs" or "allSubsUnsubs", got ${String(value)}`);
    }
    (this.core as XPubSocket).verbosity = value;
  }
}

export class Subscriber extends Socket {
  constructor(options?: SocketOptions<Subscriber>) {
    super(new SubSocket(), options);
  }

  /** Subscribes to each prefix (strings as UTF-8); no argument subscribes to everything. */
  subscribe(...prefixes: Array<Uint8Array | string>): void {
    if (this.closed) throw new ZmqError("EBADF", "Socket is closed");
    const core = this.core as SubSocket;
    if (prefixes.length === 0) core.subscribe(new Uint8Array(0));
    for (const prefix of prefixes) core.subscribe(topicBytes(prefix));
  }

  /** Removes one reference to each prefix; no argument removes the subscribe-to-everything one. */
  unsubscribe(...prefixes: Array<Uint8Array | string>): void {
    if (this.closed) throw new ZmqError("EBADF", "Socket is closed");
    const core = this.core as SubSocket;
    if (prefixes.length === 0) core.unsubscribe(new Uint8Array(0));
    for (const prefix of prefixes) core.unsubscribe(topicBytes(prefix));
  }
}

export class XSubscriber extends Socket {
  constructor(options?: SocketOptions<XSubscriber>) {
    super(new XSubSocket(), options);
  }
}

// ZMQ_CONFLATE: each connection keeps only its newest message (whole, multipart included).
export interface Publisher {
  conflate: boolean;
}
export interface Subscriber {
  conflate: boolean;
}
installConflateProperty(Publisher.prototype);
installConflateProperty(Subscriber.prototype);

// Publisher only sends and Subscriber only receives, at runtime too; the X types do both.
export interface Publisher extends Writable {}
export interface XPublisher extends Writable, Readable {}
export interface Subscriber extends Readable {}
export interface XSubscriber extends Writable, Readable {}
installWritable(Publisher.prototype);
installWritable(XPublisher.prototype);
installReadable(XPublisher.prototype);
installReadable(Subscriber.prototype);
installWritable(XSubscriber.prototype);
installReadable(XSubscriber.prototype);

// Boolean options kept on the routing cores.
export interface Publisher {
  /** ZMQ_XPUB_NODROP: wait (or EAGAIN) at a full subscriber instead of dropping for it. */
  noDrop: boolean;
  /** ZMQ_INVERT_MATCHING: deliver to subscribers whose subscriptions do NOT match. */
  invertMatching: boolean;
}
export interface XPublisher {
  noDrop: boolean;
  invertMatching: boolean;
  /** ZMQ_XPUB_MANUAL: subscriptions go to the application, which applies them with subscribe()/unsubscribe(). */
  manual: boolean;
  /**
   * ZMQ_XPUB_MANUAL_LAST_VALUE (DRAFT in libzmq, left out by zeromq.js): `manual`, and the first send
   * after receiving a subscription goes only to that subscriber, if it matches: a topic's last value
   * for the newcomer alone. Setting it sets `manual`; clearing it clears `manual`.
   */
  manualLastValue: boolean;
}
export interface Subscriber {
  /** ZMQ_INVERT_MATCHING: accept only messages that match no subscription. */
  invertMatching: boolean;
}
installCoreFlags(Publisher.prototype, ["noDrop", "invertMatching"]);
installCoreFlags(XPublisher.prototype, ["noDrop", "invertMatching", "manual", "manualLastValue"]);
installCoreFlags(Subscriber.prototype, ["invertMatching"]);
