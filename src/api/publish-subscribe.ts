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
import type { SwapProperties } from "./swap-options.ts";
import { type Readable, type Writable, installReadable, installWritable } from "./verbs.ts";

const utf8 = new TextEncoder();

function topicBytes(topic: unknown): Uint8Array {
  if (typeof topic === "string") return utf8.encode(topic);
  if (topic instanceof Uint8Array) return topic;
  throw new ZmqError("EINVAL", `A topic must be a string or a Buffer, got ${String(topic)}`);
}

/**
 * PUB (RFC 29): sends only, each message to every subscriber whose subscriptions match its first
 * frame (by prefix). A subscriber at its high-water mark misses messages (unless `noDrop`); one
 * that has not subscribed yet gets nothing, so early messages are lost by design.
 */
export class Publisher extends Socket {
  /** A new Publisher; `options` sets any of its options and its `context`. */
  constructor(options?: SocketOptions<Publisher>) {
    super(SocketType.Publisher, options);
  }
}

/**
 * XPUB (RFC 29): a Publisher that also receives its subscribers' subscriptions, as messages of one
 * frame: byte 1 and the topic for a subscribe, byte 0 and the topic for a cancel. For proxies and
 * last-value caches.
 */
export class XPublisher extends Socket {
  /** A new XPublisher; `options` sets any of its options and its `context`. */
  constructor(options?: SocketOptions<XPublisher>) {
    super(SocketType.XPublisher, options);
  }

  /**
   * For `manual` mode: applies a subscription to the subscriber whose subscription or cancel was
   * received last (libzmq's ZMQ_SUBSCRIBE on an XPUB). No argument subscribes it to everything.
   */
  subscribe(...prefixes: Array<Uint8Array | string>): void {
    const core = this.core as XPubSocket;
    eachTopic(this, prefixes, (topic) => core.subscribeLast(topic));
  }

  /** For `manual` mode: removes a subscription from that subscriber, as subscribe() adds one (ZMQ_UNSUBSCRIBE). */
  unsubscribe(...prefixes: Array<Uint8Array | string>): void {
    const core = this.core as XPubSocket;
    eachTopic(this, prefixes, (topic) => core.unsubscribeLast(topic));
  }
}

/**
 * SUB (RFC 29): receives only, the messages whose first frame starts with one of its
 * subscriptions. It receives nothing until subscribe() is called.
 */
export class Subscriber extends Socket {
  /** A new Subscriber; `options` sets any of its options and its `context`. */
  constructor(options?: SocketOptions<Subscriber>) {
    super(SocketType.Subscriber, options);
  }

  /**
   * Subscribes to messages whose first frame starts with any of these prefixes (strings as UTF-8);
   * no argument subscribes to everything. Takes effect once the publishers have heard of it.
   */
  subscribe(...prefixes: Array<Uint8Array | string>): void {
    const core = this.core as SubSocket;
    eachTopic(this, prefixes, (topic) => core.subscribe(topic));
  }

  /** Removes one subscribe() of each prefix (they are counted); no argument removes the subscribe-to-everything one. */
  unsubscribe(...prefixes: Array<Uint8Array | string>): void {
    const core = this.core as SubSocket;
    eachTopic(this, prefixes, (topic) => core.unsubscribe(topic));
  }
}

/**
 * XSUB (RFC 29): a Subscriber that subscribes by sending: a message of byte 1 and a topic
 * subscribes, byte 0 and a topic cancels; other messages go to the publishers. For proxies.
 */
export class XSubscriber extends Socket {
  /** A new XSubscriber; `options` sets any of its options and its `context`. */
  constructor(options?: SocketOptions<XSubscriber>) {
    super(SocketType.XSubscriber, options);
  }
}

// Publisher only sends and Subscriber only receives, at runtime too; the X types do both.
/** The options Publisher and XPublisher share. */
interface PublishingOptions {
  /**
   * Wait at a subscriber that is at its high-water mark instead of dropping its copy: send() waits
   * (or rejects with EAGAIN after `sendTimeout`). Write-only.
   * @defaultValue false
   * @libzmq ZMQ_XPUB_NODROP (69)
   */
  noDrop: boolean;
  /**
   * Send each message to the subscribers whose subscriptions do not match it instead.
   * @defaultValue false
   * @libzmq ZMQ_INVERT_MATCHING (74)
   */
  invertMatching: boolean;
  /**
   * The most one subscriber's subscriptions may cost, each distinct topic counting its length plus
   * 64 bytes; -1 for no limit (libzmq's behaviour). Further subscriptions from that peer are dropped
   * (neither applied nor reported); the connection and other peers carry on. An XPublisher bounds by
   * the same amount, separately, what of one peer waits for the application to receive
   * (notifications and upstream messages); while that is full, the peer's subscriptions and upstream
   * messages are dropped and its cancels applied unreported. Applies at once.
   * @defaultValue 67108864 (64 MiB)
   * @unit bytes
   * @libzmq none (bunzmq addition)
   */
  maxSubscriptionBytes: number;
}

export interface Publisher extends Writable, PublishingOptions, SwapProperties {
  /**
   * Keep only the newest message queued for each subscriber. Write-only.
   * @defaultValue false
   * @libzmq ZMQ_CONFLATE (54)
   */
  conflate: boolean;
}
export interface XPublisher extends Writable, Readable, PublishingOptions, SwapProperties {
  /**
   * Hand every subscribe and cancel to the application and apply none: it applies them with
   * `subscribe()` / `unsubscribe()`, which act on the subscriber whose message it received last.
   * Write-only.
   * @defaultValue false
   * @libzmq ZMQ_XPUB_MANUAL (71)
   */
  manual: boolean;
  /**
   * `manual`, and the first send after a subscription was received goes only to that subscriber, if
   * it matches: a topic's last value for the newcomer alone. Setting it sets `manual`, clearing it
   * clears `manual`. DRAFT in libzmq, left out by zeromq.js.
   * @defaultValue false
   * @libzmq ZMQ_XPUB_MANUAL_LAST_VALUE (98)
   */
  manualLastValue: boolean;
  /**
   * A message sent to each new subscriber as it connects; null or "" for none. Write-only.
   * @defaultValue null
   * @libzmq ZMQ_XPUB_WELCOME_MSG (72)
   */
  welcomeMessage: string | Uint8Array | null;
  /**
   * Which subscription messages are passed up: null only new topics and the last cancel of each,
   * "allSubs" every subscribe (duplicates too), "allSubsUnsubs" every subscribe and cancel.
   * Write-only; applies at once. (Spelled out here so the public declarations stay in api/ and core/.)
   * @defaultValue null
   * @libzmq ZMQ_XPUB_VERBOSE (40), ZMQ_XPUB_VERBOSER (78)
   */
  verbosity: null | "allSubs" | "allSubsUnsubs";
}
export interface Subscriber extends Readable {
  /**
   * Keep only the newest message received from each publisher. Write-only.
   * @defaultValue false
   * @libzmq ZMQ_CONFLATE (54)
   */
  conflate: boolean;
  /**
   * Receive only the messages that match none of the subscriptions.
   * @defaultValue false
   * @libzmq ZMQ_INVERT_MATCHING (74)
   */
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
