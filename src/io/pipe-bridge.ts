// One thread's half of a connection whose two halves live on different threads: the socket's pipe
// on the application thread, the engine's pipe in an I/O Worker. Each half takes what its local
// pipe end holds for the far side and writes it into the outgoing message ring, and moves what the
// incoming ring holds into the local pipe end, as far as the pipe's high-water mark allows. Imports
// thread and pipe.
//
// Flow control crosses threads both ways: a full ring leaves messages in the local pipe (whose
// high-water mark then holds the writer back, as it would a slow peer), and a full local pipe leaves
// messages in the ring until the pipe has room (`onWritable`).
//
// A bridge wakes the far half after it published, or freed room the far half waited for. Between
// an I/O thread and the application thread that goes through their ready lists (`bridgeRings`), so
// each thread pumps only the bridges given work; cross-thread inproc links, few, ring the far
// thread, whose loop pumps all of them. A connection's rings start at RING_BYTES and move to larger
// ones (up to RING_MAX_BYTES) as the traffic needs: the new ring goes to the far thread by
// `handOver`, and arrives at the far half's `follow` (thread/byte-ring.ts). Buffers from
// `Socket.allocate` that the application thread sends are lent through the Context's arena instead
// of the ring's bytes (thread/frame-arena.ts).

import type { PipeEnd } from "../pipe/pipe-end.ts";
import { MessageReader, MessageWriter } from "../thread/message-ring.ts";
import type { RingMover } from "../thread/byte-ring.ts";
import type { FrameArena, LentFrames } from "../thread/frame-arena.ts";
import type { ReadyReceiver, ReadySender, ReadySource } from "../thread/ready-list.ts";
import type { LoopSource, ThreadLoop } from "../thread/thread-loop.ts";

const NOOP = (): void => {};

/**
 * A connection's ring starts this small: request/reply traffic never outgrows it, so thousands of
 * connections cost a few KiB each. Rings move to larger ones for bursts and large frames; frames
 * larger than a quarter of RING_MAX_BYTES cross in chunks.
 */
export const RING_BYTES = 512;
export const RING_MAX_BYTES = 256 * 1024;

/** What joins this thread to an I/O thread (or an I/O thread to the application thread). */
export interface ThreadLink {
  readonly loop: ThreadLoop;
  /** Names this thread's halves that the far thread gave work. */
  readonly incoming: ReadyReceiver;
  /** Names the far thread's halves that this thread gave work. */
  readonly outgoing: ReadySender;
  /** Posts the ring connection `id`'s half moved to; the far half gets it in order, for `follow`. */
  handOver(id: number, ring: SharedArrayBuffer): void;
  /**
   * The application thread's side of the Context's arena, once the far thread has it: Buffers from
   * `Socket.allocate` are lent, not copied. Null until then, and on an I/O thread.
   */
  arena: FrameArena | null;
  /** An I/O thread's side of it: views of the frames the application thread lent. */
  lent: LentFrames | null;
}

/**
 * Bridges `end` to connection `id`'s rings (`out` written here, `in` read here) through `link`:
 * local events wake this bridge alone, and the far half is queued on the far thread's ready list
 * unless it is queued already. `moved`: rings the far half moved to before this bridge existed.
 * Undo with `bridge.close()` and `link.incoming.delete(id)`.
 */
export function bridgeRings(
  id: number,
  end: PipeEnd,
  rings: { out: SharedArrayBuffer; in: SharedArrayBuffer },
  link: ThreadLink,
  moved: SharedArrayBuffer[] = [],
): PipeBridge {
  const mover: RingMover = { maxCapacity: RING_MAX_BYTES, moved: (ring) => link.handOver(id, ring) };
  const out = new MessageWriter(rings.out, mover, link);
  const incoming = new MessageReader(rings.in, link);
  for (const ring of moved) incoming.follow(ring);
  const wakeFar = () => {
    if (out.markReaderQueued()) link.outgoing.queue(id);
  };
  const bridge: PipeBridge = new PipeBridge(end, out, incoming, wakeFar, () => link.loop.wake(bridge));
  // The far half may have written before this one existed: pump once now.
  link.incoming.add(id, bridge);
  link.loop.wake(bridge);
  return bridge;
}

export class PipeBridge implements LoopSource, ReadySource {
  readonly #end: PipeEnd;
  readonly #out: MessageWriter;
  readonly #in: MessageReader;
  readonly #wakeFar: () => void;
  readonly #schedule: () => void;
  /** The local pipe refused a message: wait for its `onWritable` rather than spin on the ring. */
  #localFull = false;
  #closed = false;
  /** The wait of `whenDrained`, if any: checked after every pump. */
  #then: (() => void) | null = null;
  #waitingFor: "out" | "in" = "out";

  /**
   * `end`: the local pipe end; its `inbound` holds what goes to the far thread, its `outbound` takes
   * what comes from there. `wakeFar`: makes the far thread pump the far half. `schedule`: pumps
   * soon, called on local events.
   */
  constructor(end: PipeEnd, out: MessageWriter, incoming: MessageReader, wakeFar: () => void, schedule: () => void) {
    this.#end = end;
    this.#out = out;
    this.#in = incoming;
    this.#wakeFar = wakeFar;
    this.#schedule = schedule;
    end.inbound.onReadable = schedule;
    end.outbound.onWritable = () => {
      this.#localFull = false;
      schedule();
    };
  }

  pump(): void {
    if (this.#closed) return;
    this.#pumpOut();
    this.#pumpIn();
    if (this.#then !== null) this.#checkDrained();
  }

  /**
   * How a closing connection learns that its messages have moved: pumps, and runs `then` once
   * `direction` is drained ("out": `outDrained`, "in": `inDrained`), checked after this pump and after
   * every later one, so `then` may run before this returns. One wait at a time: a later call replaces
   * an earlier one that has not run yet, and `close()` drops it. Returns whether it still waits.
   */
  whenDrained(direction: "out" | "in", then: () => void): boolean {
    this.#waitingFor = direction;
    this.#then = then;
    this.pump();
    return this.#then !== null;
  }

  /** Everything the local side queued for the far thread is in the ring (published). */
  get outDrained(): boolean {
    return !this.#out.busy && this.#end.inbound.size === 0;
  }

  /** Nothing waits in the incoming ring, nor in one it moved to. */
  get inDrained(): boolean {
    return this.#in.drained;
  }

  hasWork(): boolean {
    if (this.#closed) return false;
    if (this.#in.readable && !this.#localFull) return true;
    // Room again in a ring we had filled, or local messages queued and the ring free to take them.
    if (this.#out.busy) return this.#out.waitForSpace();
    return this.#end.inbound.size > 0;
  }

  /** The far half's ring moved to `ring` (its handover arrived): read on there, soon. */
  follow(ring: SharedArrayBuffer): void {
    if (this.#closed) return;
    this.#in.follow(ring);
    this.#schedule();
  }

  /** Called by a ready list before it pumps this bridge. */
  clearQueued(): void {
    this.#in.clearQueued();
  }

  /** Stops moving messages; what is in flight is dropped (the connection is gone). */
  close(): void {
    this.#closed = true;
    this.#then = null;
    this.#end.inbound.onReadable = NOOP;
    this.#end.outbound.onWritable = NOOP;
  }

  #checkDrained(): void {
    if (!(this.#waitingFor === "out" ? this.outDrained : this.inDrained)) return;
    const then = this.#then;
    this.#then = null;
    then?.();
  }

  #pumpOut(): void {
    const out = this.#out;
    const away = this.#end.inbound;
    // A full ring: announce the wait, and the far thread rings us once it has drained (see
    // MessageReader.takeWriterWaiting). If room appeared meanwhile, nobody will ring: go on now.
    do {
      if (out.resume()) {
        for (let message = away.read(); message !== undefined; message = away.read()) {
          if (!out.write(message)) break;
        }
      }
      if (out.publish()) this.#wakeFar();
    } while (out.busy && out.waitForSpace());
  }

  #pumpIn(): void {
    const arriving = this.#end.outbound;
    this.#in.read((message) => {
      if (!arriving.canWrite()) {
        this.#localFull = true;
        return false;
      }
      arriving.write(message);
      return true;
    });
    if (this.#in.takeWriterWaiting()) this.#wakeFar();
  }
}
