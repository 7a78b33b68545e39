// A Paranoid Pirate worker (RFC 6/PPP): a Dealer that opens each conversation with READY, sends a
// HEARTBEAT every interval, busy or not, and takes the queue for gone when nothing has come from it
// for LIVENESS intervals. Then, as RFC 6 requires, it starts a new conversation: a new socket (so
// nothing queued for the old queue is replayed), a pause that doubles at each failure, and READY
// again. Each socket gets its own routing id, `name#conversation`, so the queue's log tells them
// apart. `crashOnRequest` makes it fail on purpose, as a program that dies mid-request would.

import { Dealer } from "../../src/index.ts"; // in your project: from "bunzmq"
import type { Print } from "../cli.ts";
import { HEARTBEAT, LIVENESS, READY, type Timing, isCommand, pause, splitEnvelope } from "./protocol.ts";

export interface WorkerOptions {
  name: string;
  /** The queue's back end. */
  endpoint: string;
  timing: Timing;
  /** Die without replying when this request (1 = the first) arrives. */
  crashOnRequest?: number;
}

export class PirateWorker {
  readonly #options: WorkerOptions;
  readonly #print: Print;
  #socket: Dealer | null = null;
  #stopped = false;
  #received = 0;
  /** Requests answered, and conversations started after losing the queue. */
  answered = 0;
  reconnects = 0;

  constructor(options: WorkerOptions, print: Print) {
    this.#options = options;
    this.#print = print;
  }

  /** Serves until stop() or a crash; one conversation per turn of the loop. */
  async run(): Promise<void> {
    let reconnectMs = this.#options.timing.reconnectMs;
    for (let conversation = 1; !this.#stopped; conversation++) {
      const outcome = await this.#converse(conversation);
      if (outcome !== "queue lost") return;
      this.reconnects++;
      this.#print(`${this.#options.name}: queue silent, reconnecting in ${reconnectMs} ms`);
      await pause(reconnectMs);
      reconnectMs = Math.min(reconnectMs * 2, this.#options.timing.reconnectMs * 32);
    }
  }

  /** One conversation on a fresh socket: READY, then requests and heartbeats until one side stops. */
  async #converse(conversation: number): Promise<"queue lost" | "stopped" | "crashed"> {
    const { name, endpoint, timing } = this.#options;
    // receive() times out after one interval: each time-out is one interval of the queue's silence.
    const socket = new Dealer({ routingId: `${name}#${conversation}`, receiveTimeout: timing.heartbeatMs, linger: 0 });
    this.#socket = socket;
    socket.connect(endpoint);
    await socket.send(READY);
    const heartbeat = setInterval(() => socket.trySend(HEARTBEAT), timing.heartbeatMs);
    let liveness = LIVENESS;
    try {
      while (liveness > 0) {
        let frames: Buffer[];
        try {
          frames = await socket.receive();
        } catch (error) {
          if (socket.closed) return "stopped";
          if ((error as { code?: string }).code !== "EAGAIN") throw error;
          liveness--;
          continue;
        }
        liveness = LIVENESS;
        if (isCommand(frames, HEARTBEAT)) continue;
        // REQUEST: the address stack, then the content; the REPLY puts the same stack before the answer.
        const { envelope, content } = splitEnvelope(frames);
        if (++this.#received === this.#options.crashOnRequest) {
          this.#print(`${name}: crashing with "${content.join(" ")}" unanswered`);
          return "crashed";
        }
        await socket.send([...envelope, `${content.join(" ")} (by ${name})`]);
        this.answered++;
      }
      return "queue lost";
    } finally {
      clearInterval(heartbeat);
      socket.close();
    }
  }

  stop(): void {
    this.#stopped = true;
    this.#socket?.close();
  }
}
