// The two ends of an inproc:// connection between threads (inproc-links.ts sets them up): in the
// binding thread the connecting socket appears as a local connector, in the connecting thread the
// bound socket appears as a local binder, so the inproc sessions link them as any other. Each end
// bridges its local pipes to the connection's rings in its thread's loop; of its thread it knows only
// inproc-protocol.ts's LinkThread. Imports thread, pipe, reactor, transport and core.
//
// Letting go keeps inproc's promise that what a socket queued before it closed is still delivered:
// the closing side moves its queue into the ring (holding its thread up to its linger meanwhile)
// before it says "closed", and the other side takes everything left in the ring, as its socket
// reads, before it detaches.

import type { SocketType } from "../core/socket-type.ts";
import { type HighWaterMarks, type PipeEnd, createPipePair } from "../pipe/pipe-end.ts";
import { holdEventLoop } from "../reactor/keep-alive.ts";
import { AtomicsRinger, type DoorbellAddress } from "../thread/doorbell.ts";
import { MessageReader, MessageWriter } from "../thread/message-ring.ts";
import type { InprocBinder, InprocConnector } from "../transport/inproc.ts";
import type { InprocMessage, LinkThread, PendingConnect } from "./inproc-protocol.ts";
import { PipeBridge } from "./pipe-bridge.ts";

/** One end of a cross-thread connection, as the thread's protocol sees it. */
export interface LinkEnd {
  /** The other side let go: take what it sent, as the socket reads, then detach. */
  closedByPeer(): void;
  /** Give up at once (this thread is ending, or the link is unwanted): publish what fits, tell the other side. */
  abandon(): void;
}

/** The shared life of both ends: open, then letting go (draining our queue), then closed. */
abstract class BridgedEnd implements LinkEnd {
  protected readonly links: LinkThread;
  readonly #link: string;
  readonly #peerThread: number;
  #bridge: PipeBridge | null = null;
  #state: "open" | "letting-go" | "closed" = "open";
  /** Ends the wait of a drain in progress (ours, or the peer's queue into our pipe). */
  #stopDraining: (() => void) | null = null;

  constructor(links: LinkThread, link: string, peerThread: number) {
    this.links = links;
    this.#link = link;
    this.#peerThread = peerThread;
  }

  /** Starts moving messages between `end` and the rings. */
  protected bridge(end: PipeEnd, out: SharedArrayBuffer, incoming: SharedArrayBuffer, farDoorbell: DoorbellAddress): void {
    const loop = this.links.loop;
    const farThread = new AtomicsRinger(farDoorbell);
    this.#bridge = new PipeBridge(
      end,
      new MessageWriter(out),
      new MessageReader(incoming),
      () => farThread.ring(),
      () => loop.schedule(),
    );
    loop.add(this.#bridge);
  }

  /** The local socket's end is to detach (the far side has gone and everything it sent is taken). */
  protected abstract detachLocal(): void;

  /**
   * Our socket let go: its queue goes into the ring (for up to `linger` ms, -1 without limit, 0 not
   * at all; the thread is held meanwhile), then the far side hears "closed".
   */
  letGo(linger: number): void {
    if (this.#state !== "open") return;
    this.#state = "letting-go";
    this.#drain(linger, "out", () => this.#close(true));
  }

  closedByPeer(): void {
    if (this.#state === "closed") return;
    // Both let go at once: the far side reads no more, so our queue has nowhere to go.
    if (this.#state === "letting-go") return this.#close(false);
    this.#state = "letting-go";
    this.#drain(
      -1,
      "in",
      () => {
        this.#close(false);
        this.detachLocal();
      },
      false,
    );
  }

  abandon(): void {
    if (this.#state !== "closed") this.#close(true);
  }

  /** Pumps until `direction` is drained, or `linger` ms (0: no wait), then `finish`; holds the loop if asked. */
  #drain(linger: number, direction: "out" | "in", finish: () => void, hold = true): void {
    const bridge = this.#bridge;
    if (bridge === null) return finish();
    if (linger === 0) {
      bridge.pump();
      return finish();
    }
    // Drained by the first pump: `finish` at once, nothing to wait for. Later, the drain ends the wait
    // (and once the wait has ended, by linger or close, a late drain does nothing).
    let waiting = false;
    waiting = bridge.whenDrained(direction, () => (waiting ? this.#stopDraining?.() : finish()));
    if (!waiting) return;
    const held = hold ? holdEventLoop() : null;
    const timer = linger > 0 ? setTimeout(() => this.#stopDraining?.(), linger) : undefined;
    this.#stopDraining = () => {
      this.#stopDraining = null;
      clearTimeout(timer);
      held?.release();
      finish();
    };
  }

  #close(tellPeer: boolean): void {
    if (this.#state === "closed") return;
    this.#state = "closed";
    this.#stopDraining?.();
    const bridge = this.#bridge;
    if (bridge !== null) {
      bridge.pump();
      bridge.close();
      this.links.loop.delete(bridge);
    }
    this.links.forget(this.#link);
    if (tellPeer) this.links.post({ type: "closed", to: this.#peerThread, link: this.#link });
  }
}

type ConnectRequest = Extract<InprocMessage, { type: "connect" }>;
type Acceptance = Extract<InprocMessage, { type: "accepted" }>;

/** In the binding thread: the socket in another thread that connected, seen as a local connector. */
export class RemoteConnector extends BridgedEnd implements InprocConnector {
  readonly socketType: SocketType;
  readonly routingId: Uint8Array;
  readonly sendHighWaterMark: number;
  readonly receiveHighWaterMark: number;
  onUnlink: ((linger: number) => void) | null = null;
  readonly #mine: PipeEnd;

  /** `binderMarks`: the bound socket's high-water marks, which with the connector's size our pipes. */
  constructor(links: LinkThread, request: ConnectRequest, binderMarks: HighWaterMarks) {
    super(links, request.link, request.from);
    this.socketType = request.socketType;
    this.routingId = request.routingId;
    this.sendHighWaterMark = request.sendHighWaterMark;
    this.receiveHighWaterMark = request.receiveHighWaterMark;
    // Our end queues towards the connector what it may receive, and holds what it sends.
    const peer = { routingId: request.routingId, address: `inproc://${request.name}` };
    const { socketEnd, peerEnd } = createPipePair(request.receiveHighWaterMark, request.sendHighWaterMark, peer);
    this.#mine = socketEnd;
    // Both sockets' marks size the pipes, as a local inproc connection's (the connector's as it connected).
    this.#mine.peerMarks = request;
    this.#mine.resize(binderMarks);
    this.bridge(peerEnd, request.toConnector, request.toBinder, request.doorbell);
  }

  linkTo(): void {
    throw new Error("a connector in another thread is linked by its own thread");
  }

  peerEnd(): PipeEnd {
    return this.#mine;
  }

  /** The binding socket closed or unbound: what it queued for the connector still goes. */
  peerGone(linger: number): void {
    this.letGo(linger);
  }

  protected detachLocal(): void {
    const unlink = this.onUnlink;
    this.onUnlink = null;
    unlink?.(0);
  }
}

/** In the connecting thread: the socket in another thread that is bound, seen as a local binder. */
export class RemoteBinder extends BridgedEnd implements InprocBinder {
  readonly socketType: SocketType;
  readonly routingId: Uint8Array;
  /** The bound socket's marks as it accepted. */
  readonly marks: HighWaterMarks;
  readonly #answer: Acceptance;
  readonly #rings: PendingConnect;
  #connector: InprocConnector | null = null;

  constructor(links: LinkThread, answer: Acceptance, rings: PendingConnect) {
    super(links, answer.link, answer.from);
    this.#answer = answer;
    this.#rings = rings;
    this.socketType = answer.socketType;
    this.routingId = answer.routingId;
    this.marks = { sendHighWaterMark: answer.sendHighWaterMark, receiveHighWaterMark: answer.receiveHighWaterMark };
  }

  link(connector: InprocConnector): void {
    this.#connector = connector;
    this.bridge(connector.peerEnd(), this.#rings.toBinder, this.#rings.toConnector, this.#answer.doorbell);
    // The connector closed: what it queued for the binder still goes.
    connector.onUnlink = (linger) => this.letGo(linger);
  }

  protected detachLocal(): void {
    const connector = this.#connector;
    if (connector === null) return;
    connector.onUnlink = null;
    connector.peerGone(0);
  }
}
