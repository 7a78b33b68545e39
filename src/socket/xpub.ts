// XPUB (RFC 29/PUBSUB): PUB that also hands subscriptions and other upstream messages to the app.
// Imports routing, pipe and core only. PUB (pub.ts) is this class with the app-facing receive removed.

import type { Frame, Message } from "../core/message.ts";
import { DEFAULT_MAX_SUBSCRIPTION_BYTES, SUBSCRIPTION_OVERHEAD_BYTES } from "../core/options.ts";
import { SocketType } from "../core/socket-type.ts";
import type { Pipe } from "../pipe/pipe.ts";
import type { PipeEnd } from "../pipe/pipe-end.ts";
import { Distribute } from "../routing/distribute.ts";
import { CancelResult, PipeSubscriptions, SubscribeResult } from "../routing/subscription-trie.ts";
import { SocketBase } from "./socket-base.ts";

const NOOP = (): void => {};

/** XPUB_VERBOSE / XPUB_VERBOSER as zeromq.js names them. */
export type Verbosity = null | "allSubs" | "allSubsUnsubs";

export class XPubSocket extends SocketBase {
  // A subscriber that falls behind spills in its own queue; the others are not held up.
  protected override readonly spillsPerPipe = true;
  /** ZMQ_XPUB_NODROP: a send waits (returns false) while any matching subscriber is full. */
  noDrop = false;
  /** ZMQ_INVERT_MATCHING: send to the subscribers whose subscriptions do NOT match. */
  invertMatching = false;
  /** ZMQ_XPUB_WELCOME_MSG: queued as the first message to every new subscriber; null for none. */
  welcomeMessage: Uint8Array | null = null;
  verbosity: Verbosity = null;
  /**
   * ZMQ_XPUB_MANUAL: subscriptions from peers are only reported (every one), never applied; the app
   * applies them with `subscribeLast`/`unsubscribeLast` for the peer of the notification it took last.
   */
  manual = false;
  /**
   * bunzmq addition (libzmq has no such bound): the most a peer's subscriptions may cost this
   * socket, each distinct topic counting its length plus SUBSCRIPTION_OVERHEAD_BYTES; -1 unlimited.
   * Past it, further SUBSCRIBEs from that peer are dropped, not applied and not reported. An XPUB
   * bounds by the same amount, separately, what of that peer waits for the app (notifications and
   * upstream messages, each frame counting its length plus the overhead): while that is full, its
   * SUBSCRIBEs and upstream messages are dropped, and its CANCELs applied but not reported.
   * Dropping rather than disconnecting: a subscriber re-sends all its subscriptions on reconnect, so
   * closing would only replay the same flood in a loop, whereas an honest peer over the bound keeps
   * what fitted and the messages matching it. Other peers are unaffected either way.
   */
  maxSubscriptionBytes = DEFAULT_MAX_SUBSCRIPTION_BYTES;

  readonly #distribute = new Distribute(true);
  readonly #subscriptions = new PipeSubscriptions<Pipe>();
  readonly #inverted = new Set<Pipe>();
  /**
   * Notifications and upstream messages waiting for the app, oldest at `#head`. Subscriptions are read
   * eagerly so that matching is never stale (libzmq `_pending_data`); what one peer has waiting here
   * is bounded by `maxSubscriptionBytes` (libzmq bounds nothing), so an app that never receives from
   * an XPUB cannot be grown by a peer that subscribes and cancels in a loop.
   */
  #pending: Message[] = [];
  /** The pipe each pending entry came from (null: it has left, or a departure's cancel), like `#pending`. */
  #pendingPipes: Array<Pipe | null> = [];
  /** What each pending entry costs its peer, like `#pending`. */
  #pendingCosts: number[] = [];
  #head = 0;
  /** Manual mode: what each peer asked for, to report as cancels when it leaves (libzmq). */
  readonly #requested = new PipeSubscriptions<Pipe>();
  /** What each peer's subscriptions cost, counted against `maxSubscriptionBytes`. */
  readonly #charged = new Map<Pipe, number>();
  /** What each peer's entries in `#pending` cost, bounded by `maxSubscriptionBytes` too. */
  readonly #waiting = new Map<Pipe, number>();
  /** Manual mode: the peer behind the notification the app received last (libzmq `_last_pipe`). */
  #lastPipe: Pipe | null = null;
  /** ZMQ_XPUB_MANUAL_LAST_VALUE's half beyond `manual`: the next send goes to `#lastPipe` only. */
  #sendLastPipe = false;
  /** The one-pipe target set of a last-value send, reused. */
  readonly #lastOnly = new Set<Pipe>();
  /** PUB keeps the table but hands nothing to the app. */
  readonly #forwardsUpstream: boolean;

  constructor(type: SocketType = SocketType.XPublisher) {
    super(type);
    this.#forwardsUpstream = type === SocketType.XPublisher;
  }

  /**
   * ZMQ_XPUB_MANUAL_LAST_VALUE: manual mode, in which the first send after the app received a
   * peer's subscription goes to that peer alone, if one of its subscriptions matches (the last value
   * of a topic, for the newcomer only); later sends go to every match again. Setting it sets
   * `manual` too, and clearing it clears `manual`, as in libzmq.
   */
  get manualLastValue(): boolean {
    return this.#sendLastPipe;
  }

  set manualLastValue(value: boolean) {
    this.manual = value;
    this.#sendLastPipe = value;
  }

  // RFC 29: SHALL send each message to all subscribers whose subscriptions match its first frame;
  // a subscriber at its high-water mark silently misses it (unless noDrop).
  trySend(message: Message): boolean {
    let matched = this.#subscriptions.match(message[0] ?? new Uint8Array(0));
    const last = this.manual && this.#sendLastPipe ? this.#lastPipe : null;
    if (last !== null) {
      this.#lastOnly.clear();
      if (matched.has(last)) this.#lastOnly.add(last);
      matched = this.#lastOnly;
    }
    let targets: ReadonlySet<Pipe> = matched;
    if (this.invertMatching) {
      targets = this.#inverted;
      this.#inverted.clear();
      for (const pipe of this.#distribute.pipes) if (!matched.has(pipe)) this.#inverted.add(pipe);
    }
    if (targets.size === 0 || this.#distribute.sendTo(message, targets, this.noDrop ? "wait" : "drop")) {
      // libzmq forgets the last pipe even when its send fails at a full peer (noDrop); we keep it
      // until the send goes out, so the retried send still reaches only the newcomer.
      if (last !== null) this.#lastPipe = null;
      return true;
    }
    return false;
  }

  tryReceive(): Message | undefined {
    if (this.#head === this.#pending.length) return undefined;
    const pipe = this.#pendingPipes[this.#head] ?? null;
    if (this.manual) this.#lastPipe = pipe;
    if (pipe !== null) charge(this.#waiting, pipe, -this.#pendingCosts[this.#head]!);
    const message = this.#pending[this.#head++];
    if (this.#head === this.#pending.length) {
      this.#pending = [];
      this.#pendingPipes = [];
      this.#pendingCosts = [];
      this.#head = 0;
    }
    return message;
  }

  /** Manual mode: subscribes the peer of the last received notification to `topic` (libzmq ZMQ_SUBSCRIBE on XPUB). */
  subscribeLast(topic: Uint8Array): void {
    if (this.#lastPipe !== null) this.#subscriptions.add(topic, this.#lastPipe);
  }

  /** Manual mode: the reverse of `subscribeLast` (ZMQ_UNSUBSCRIBE on XPUB). */
  unsubscribeLast(topic: Uint8Array): void {
    if (this.#lastPipe !== null) this.#subscriptions.remove(topic, this.#lastPipe);
  }

  get writable(): boolean {
    // libzmq's XPUB is always writable (dist_t::has_out); with noDrop we say whether a send to
    // every subscriber would fit, which is what a waiting sender needs.
    return !this.noDrop || this.#distribute.allHaveRoom;
  }

  get readable(): boolean {
    return this.#head < this.#pending.length;
  }

  protected onPipeAttached(end: PipeEnd): void {
    this.#distribute.attach(end.outbound);
    if (this.welcomeMessage !== null) end.outbound.write([this.welcomeMessage]);
    // Subscriptions arrive on the inbound pipe; read them as they come so matching stays current.
    end.inbound.onReadable = () => this.#readUpstream(end);
    this.#readUpstream(end);
  }

  protected onPipeDetached(end: PipeEnd): void {
    end.inbound.onReadable = NOOP;
    this.#distribute.detach(end.outbound);
    const pipe = end.outbound;
    this.#charged.delete(pipe);
    this.#waiting.delete(pipe);
    const before = this.#pending.length;
    // Its pending entries stay for the app, but no longer point at it (nor charge it).
    for (let i = this.#head; i < this.#pendingPipes.length; i++) if (this.#pendingPipes[i] === pipe) this.#pendingPipes[i] = null;
    if (this.manual) {
      // libzmq reports a cancel for every topic the departed peer asked for; the app decides.
      this.#requested.removePipe(pipe, (topic) => this.#notify(0, topic));
      this.#subscriptions.removePipe(pipe, NOOP);
      if (this.#lastPipe === pipe) this.#lastPipe = null;
    } else {
      // A departed subscriber's subscriptions vanish; report the cancels that leaves (libzmq
      // xpipe_terminated: the last holder's cancel, or every cancel when verbose about unsubscribes).
      this.#subscriptions.removePipe(pipe, (topic, last) => {
        if (last || this.verbosity === "allSubsUnsubs") this.#notify(0, topic);
      });
    }
    if (this.#pending.length > before) this.onReadable();
  }

  #readUpstream(end: PipeEnd): void {
    const before = this.#pending.length;
    for (let message = end.inbound.read(); message !== undefined; message = end.inbound.read()) {
      this.#upstream(end.outbound, message);
    }
    if (this.#pending.length > before) this.onReadable();
  }

  // RFC 29: a subscription is a message whose first byte is 1 (subscribe) or 0 (unsubscribe),
  // followed by the topic; the engine turns ZMTP 3.1 SUBSCRIBE/CANCEL commands into the same shape.
  // Like libzmq (only_first_subscribe off), every frame of such a message is taken as one.
  #upstream(pipe: Pipe, message: Message): void {
    if (!isSubscription(message[0]!)) {
      // libzmq: XPUB hands other upstream data to the app; PUB drops it. Over the peer's bound it is dropped.
      if (this.#forwardsUpstream) this.#push(message, pipe);
      return;
    }
    for (const frame of message) if (isSubscription(frame)) this.#apply(pipe, frame);
  }

  #apply(pipe: Pipe, frame: Frame): void {
    const topic = frame.subarray(1);
    // Manual mode keeps what peers ask for in #requested; otherwise they go straight into the table.
    const table = this.manual ? this.#requested : this.#subscriptions;
    const cost = topic.length + SUBSCRIPTION_OVERHEAD_BYTES;
    let notify: boolean;
    if (frame[0] === 1) {
      if (!this.#fits(this.#charged, pipe, cost) && !table.has(topic, pipe)) return;
      // No room for its notification: dropped whole, so what the app learns matches what applies.
      if (this.#forwardsUpstream && !this.#fits(this.#waiting, pipe, frame.length + SUBSCRIPTION_OVERHEAD_BYTES)) return;
      const result = table.add(topic, pipe);
      if (result !== SubscribeResult.DUPLICATE) charge(this.#charged, pipe, cost);
      notify = result === SubscribeResult.FIRST || this.verbosity !== null;
    } else {
      // libzmq reports a cancel unless other subscribers remain, even one for an unknown topic.
      const result = table.remove(topic, pipe);
      if (result !== CancelResult.NOT_FOUND) charge(this.#charged, pipe, -cost);
      notify = result !== CancelResult.REMAINING || this.verbosity === "allSubsUnsubs";
    }
    if (this.manual) notify = true;
    if (notify && this.#forwardsUpstream) this.#push([frame], pipe);
  }

  // A peer's entry waits only while its bound has room for it; a departure's cancels (pipe null) always do.
  #push(message: Message, pipe: Pipe | null): void {
    let cost = 0;
    if (pipe !== null) {
      for (const frame of message) cost += frame.length + SUBSCRIPTION_OVERHEAD_BYTES;
      if (!this.#fits(this.#waiting, pipe, cost)) return;
      charge(this.#waiting, pipe, cost);
    }
    this.#pending.push(message);
    this.#pendingPipes.push(pipe);
    this.#pendingCosts.push(cost);
  }

  #fits(costs: Map<Pipe, number>, pipe: Pipe, cost: number): boolean {
    const limit = this.maxSubscriptionBytes;
    return limit < 0 || (costs.get(pipe) ?? 0) + cost <= limit;
  }

  #notify(kind: 0 | 1, topic: Uint8Array): void {
    if (!this.#forwardsUpstream) return;
    const body = new Uint8Array(topic.length + 1);
    body[0] = kind;
    body.set(topic, 1);
    this.#push([body], null);
  }
}

/** Adds `delta` to a peer's cost, never below 0. */
function charge(costs: Map<Pipe, number>, pipe: Pipe, delta: number): void {
  costs.set(pipe, Math.max(0, (costs.get(pipe) ?? 0) + delta));
}

function isSubscription(frame: Frame): boolean {
  return frame.length > 0 && (frame[0] === 0 || frame[0] === 1);
}
