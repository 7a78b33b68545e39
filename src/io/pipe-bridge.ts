// One thread's half of a connection whose two halves live on different threads: the socket's pipe
// on the application thread, the engine's pipe in an I/O Worker. Each half takes what its local
// pipe end holds for the far side and writes it into the outgoing message ring, and moves what the
// incoming ring holds into the local pipe end, as far as the pipe's high-water mark allows. Imports
// thread and pipe.
//
// Flow control crosses threads both ways: a full ring leaves messages in the local pipe (whose
// high-water mark then holds the writer back, as it would a slow peer), and a full local pipe leaves
// messages in the ring until the pipe has room (`onWritable`).

import type { PipeEnd } from "../pipe/pipe-end.ts";
import type { DoorbellRinger } from "../thread/doorbell.ts";
import type { MessageReader, MessageWriter } from "../thread/message-ring.ts";
import type { LoopSource } from "../thread/thread-loop.ts";

const NOOP = (): void => {};

export class PipeBridge implements LoopSource {
  readonly #end: PipeEnd;
  readonly #out: MessageWriter;
  readonly #in: MessageReader;
  readonly #farThread: DoorbellRinger;
  /** The local pipe refused a message: wait for its `onWritable` rather than spin on the ring. */
  #localFull = false;
  #closed = false;
  /** The wait of `whenDrained`, if any: checked after every pump. */
  #then: (() => void) | null = null;
  #waitingFor: "out" | "in" = "out";

  /**
   * `end`: the local pipe end; its `inbound` holds what goes to the far thread, its `outbound` takes
   * what comes from there. `schedule`: pumps soon, called on local events.
   */
  constructor(end: PipeEnd, out: MessageWriter, incoming: MessageReader, farThread: DoorbellRinger, schedule: () => void) {
    this.#end = end;
    this.#out = out;
    this.#in = incoming;
    this.#farThread = farThread;
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

  /** Nothing waits in the incoming ring. */
  get inDrained(): boolean {
    return !this.#in.readable;
  }

  hasWork(): boolean {
    if (this.#closed) return false;
    if (this.#in.readable && !this.#localFull) return true;
    // Room again in a ring we had filled, or local messages queued and the ring free to take them.
    if (this.#out.busy) return this.#out.waitForSpace();
    return this.#end.inbound.size > 0;
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
      if (out.publish()) this.#farThread.ring();
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
    if (this.#in.takeWriterWaiting()) this.#farThread.ring();
  }
}
