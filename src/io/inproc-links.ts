// inproc:// connections between threads (the main thread and Workers sharing the default context):
// this thread's side of the protocol that sets them up (its messages: inproc-protocol.ts); their
// ends are in inproc-link-ends.ts. Imports thread and transport (and node:worker_threads for this
// thread's id).
//
// Setting up goes over one BroadcastChannel per shared namespace (it can carry SharedArrayBuffers,
// and reaches every thread of the process without a handle on it): the connecting thread sends
// "connect" with two fresh message rings, the binding thread answers "accepted" or "refused", and
// either side sends "closed" when its socket lets go. Messages then cross as they do for I/O threads:
// each side's pipe is bridged to the rings (pipe-bridge.ts), and a thread loop woken by Atomics moves
// them. Neither the channel nor the loop keeps a thread alive: only pending operations do.

import { threadId } from "node:worker_threads";
import { createRing } from "../thread/byte-ring.ts";
import { AtomicsDoorbell } from "../thread/doorbell.ts";
import { ThreadLoop } from "../thread/thread-loop.ts";
import type { InprocBinder, InprocConnector } from "../transport/inproc.ts";
import { type LinkEnd, RemoteBinder, RemoteConnector } from "./inproc-link-ends.ts";
import { type InprocMessage, type LinkThread, type PendingConnect, RING_BYTES } from "./inproc-protocol.ts";

/** What the thread asks of the namespace that owns it. */
export interface LinkOwner {
  /** This thread's binder at `name`, for a connect request from another thread. */
  binderOf(name: string): InprocBinder | undefined;
  /** Another thread bound `name`: connectors waiting for it may go ahead. */
  nameBound(name: string): void;
  /** The binder in another thread was gone by the time our request came: `connector` waits again. */
  refused(name: string, connector: InprocConnector): void;
  /** This thread is ending: its names are free for others. */
  threadEnding(): void;
}

/** This thread's part in one shared namespace: its channel, its loop, its cross-thread connections. */
export class ThreadLinks implements LinkThread {
  readonly thread = threadId;
  readonly loop = new ThreadLoop(new AtomicsDoorbell());
  readonly #channel: BroadcastChannel;
  readonly #owner: LinkOwner;
  readonly #links = new Map<string, LinkEnd>();
  readonly #pending = new Map<string, PendingConnect>();
  #nextLink = 0;

  constructor(channelName: string, owner: LinkOwner) {
    this.#owner = owner;
    this.#channel = new BroadcastChannel(channelName);
    // Listening must not keep this thread alive: idle sockets never do (reactor/keep-alive.ts).
    (this.#channel as BroadcastChannel & { unref?(): void }).unref?.();
    this.#channel.onmessage = (event: { data: unknown }) => this.#receive(event.data as InprocMessage);
    this.loop.start();
    // A Worker that ends on its own (not one terminated from outside, which runs no code) lets go
    // of its connections, so that the far sides detach.
    process.on("exit", () => {
      for (const link of [...this.#links.values()]) link.abandon();
      // An acceptance still on its way is undone by the binding thread when this "closed" follows it.
      for (const [link, pending] of this.#pending) this.post({ type: "closed", to: pending.to, link });
      owner.threadEnding();
    });
  }

  post(message: InprocMessage): void {
    this.#channel.postMessage(message);
  }

  /** Asks thread `to`, which binds `name`, to link `connector`; the answer comes by the channel. */
  connect(to: number, name: string, connector: InprocConnector): void {
    const link = `${this.thread}.${++this.#nextLink}`;
    const pending: PendingConnect = {
      to,
      name,
      connector,
      toBinder: createRing(RING_BYTES),
      toConnector: createRing(RING_BYTES),
      cancelled: false,
    };
    this.#pending.set(link, pending);
    this.post({
      type: "connect",
      to,
      from: this.thread,
      link,
      name,
      socketType: connector.socketType,
      routingId: connector.routingId,
      sendHighWaterMark: connector.sendHighWaterMark,
      receiveHighWaterMark: connector.receiveHighWaterMark,
      toBinder: pending.toBinder,
      toConnector: pending.toConnector,
      doorbell: this.loop.doorbell.address,
    });
  }

  /** `connector` closed before its request was answered: an acceptance is undone at once. */
  cancel(connector: InprocConnector): void {
    for (const pending of this.#pending.values()) if (pending.connector === connector) pending.cancelled = true;
  }

  forget(link: string): void {
    this.#links.delete(link);
  }

  #receive(message: InprocMessage): void {
    if (message.type === "bound") return this.#owner.nameBound(message.name);
    if (message.to !== this.thread) return;
    switch (message.type) {
      case "connect":
        return this.#accept(message);
      case "accepted":
        return this.#accepted(message);
      case "refused": {
        const pending = this.#pending.get(message.link);
        this.#pending.delete(message.link);
        if (pending !== undefined && !pending.cancelled) this.#owner.refused(pending.name, pending.connector);
        return;
      }
      case "closed":
        return this.#links.get(message.link)?.closedByPeer();
    }
  }

  #accept(request: Extract<InprocMessage, { type: "connect" }>): void {
    const binder = this.#owner.binderOf(request.name);
    if (binder === undefined) return this.post({ type: "refused", to: request.from, link: request.link });
    const connector = new RemoteConnector(this, request, binder.marks);
    this.#links.set(request.link, connector);
    const { sendHighWaterMark, receiveHighWaterMark } = binder.marks;
    this.post({
      type: "accepted",
      to: request.from,
      from: this.thread,
      link: request.link,
      socketType: binder.socketType,
      routingId: binder.routingId,
      sendHighWaterMark,
      receiveHighWaterMark,
      doorbell: this.loop.doorbell.address,
    });
    binder.link(connector);
  }

  #accepted(answer: Extract<InprocMessage, { type: "accepted" }>): void {
    const pending = this.#pending.get(answer.link);
    if (pending === undefined) return;
    this.#pending.delete(answer.link);
    const binder = new RemoteBinder(this, answer, pending);
    this.#links.set(answer.link, binder);
    if (pending.cancelled) return binder.abandon();
    try {
      pending.connector.linkTo(binder);
    } catch {
      // Incompatible after all (the name was bound anew by another socket type): let it go.
      binder.abandon();
    }
  }
}
