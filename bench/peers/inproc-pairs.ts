// The inproc pairs of bench/scenarios/push-pull.ts. inproc only connects sockets of one context, so sender
// and receiver share this process, and each library gets the layout its users would pick:
// - bunzmq: PUSH and PULL in this event loop. The sender is bunzmqPair's (trySend / await send);
//   the receiver drains with receiveBatch() in the same loop, counting messages and checking sizes.
// - libzmq: the blocking PUSH on this thread and the blocking PULL in a Worker sharing the context
//   (bench/fixtures/libzmq-inproc.ts), so neither side waits for the other to be polled.
// A batch is the same as for tcp and ipc: request N, send N, wait until the receiver holds all N.

import { Pull } from "../../src/index.ts";
import { LibzmqInprocPeer } from "../fixtures/libzmq-inproc.ts";
import { LibzmqContext, ZMQ } from "../../peers/libzmq/index.ts";
import { bodyFor, bunzmqPair, guarded, SEND_TIMEOUT_MS, type BatchReceiver, type Pair } from "./pairs.ts";
import { inprocEndpoint } from "../harness/transports.ts";

/** A batch with no message for this long fails, as a child receiver's STALL does. */
const STALL_S = 2;

/** bunzmq's receiving end: a PULL bound in this process, drained by receiveBatch() per request. */
class InprocPull implements BatchReceiver {
  readonly endpoint: string;
  readonly #pull: Pull;

  private constructor(endpoint: string, pull: Pull) {
    this.endpoint = endpoint;
    this.#pull = pull;
  }

  static async bind(receiveHighWaterMark: number): Promise<InprocPull> {
    const endpoint = inprocEndpoint("bunzmq-pull");
    const pull = new Pull({ linger: 0, receiveHighWaterMark });
    await pull.bind(endpoint);
    return new InprocPull(endpoint, pull);
  }

  async request(count: number, size: number): Promise<void> {
    let received = 0;
    let bad = 0;
    const drain = async () => {
      while (received < count) {
        const messages = await this.#pull.receiveBatch(Math.min(4096, count - received));
        for (let i = 0; i < messages.length; i++) {
          const message = messages[i]!;
          if (message.length !== 1 || message[0]!.length !== size) bad++;
        }
        received += messages.length;
      }
    };
    // Sampled once a second, like the child receivers: cheap next to a 20–100 ms batch.
    let timer: ReturnType<typeof setInterval> | undefined;
    const stalled = new Promise<never>((_, reject) => {
      let lastSample = -1;
      let idleSeconds = 0;
      timer = setInterval(() => {
        idleSeconds = received === lastSample ? idleSeconds + 1 : 0;
        lastSample = received;
        if (idleSeconds >= STALL_S)
          reject(
            new Error(`bunzmq inproc receiver stalled: ${received} of ${count} messages of ${size} B arrived, then none for ${STALL_S} s`),
          );
      }, 1000);
    });
    try {
      await Promise.race([drain(), stalled]);
    } finally {
      clearInterval(timer);
    }
    if (bad > 0) throw new Error(`bunzmq inproc receiver got ${bad} of ${count} messages not one frame of ${size} B`);
  }

  close(): void {
    this.#pull.close();
  }
}

export async function bunzmqInprocPair(name: string, receiveHighWaterMark: number): Promise<Pair> {
  const receiver = await InprocPull.bind(receiveHighWaterMark);
  const pair = bunzmqPair(name, receiver);
  return {
    ...pair,
    close: () => {
      pair.close();
      receiver.close();
    },
  };
}

export function libzmqInprocPair(name: string, receiveHighWaterMark: number): Pair {
  const context = new LibzmqContext();
  const endpoint = inprocEndpoint("libzmq-pull");
  const peer = LibzmqInprocPeer.start("pull", context, endpoint, receiveHighWaterMark);
  const push = context.socket(ZMQ.PUSH);
  push.setInt(ZMQ.SNDTIMEO, SEND_TIMEOUT_MS); // a stuck receiver turns a blocked zmq_send into an error
  push.connect(endpoint);
  const bodies = new Map<number, Uint8Array>();
  return {
    name,
    batch: guarded(name, async (size, count) => {
      let body = bodies.get(size);
      if (!body) bodies.set(size, (body = bodyFor(size)));
      peer.request(count, size);
      let sendError: unknown = null;
      try {
        push.sendMany(body, size, count); // blocks this thread, like a C sender
      } catch (error) {
        sendError = error;
      }
      // The worker's STALL (after 2 s) is ready before SNDTIMEO (5 s) expires, and says more.
      const answer = peer.waitForAnswer(sendError ? 1_000 : 30_000);
      if (!answer.ok)
        throw new Error(`libzmq inproc receiver stalled: ${answer.received} of ${count} messages of ${size} B arrived, then none for 2 s`);
      if (sendError) throw sendError;
      if (answer.bad > 0) throw new Error(`libzmq inproc receiver got ${answer.bad} of ${count} messages not of ${size} B`);
    }),
    close: () => {
      push.close();
      // zmq_ctx_term waits for the Worker's socket too; if the Worker could not close it, leak the context.
      if (peer.stop()) context.term();
    },
  };
}
