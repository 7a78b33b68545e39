// The sender side of bench/scenarios/push-pull.ts: a pair is one sending socket in this process (bunzmq or
// libzmq) and one receiving socket; a row is one way of sending over a pair. One batch = one mitata
// iteration: ask the receiver for N messages, send them, await its answer. The tcp and ipc pairs
// are here (the receiver is a child process); the inproc ones are in inproc-pairs.ts. With CURVE
// keys (bench/scenarios/curve.ts) the sender is the CURVE client of a receiver that is the server.

import { Push } from "../../src/index.ts";
import { cBuffer, LibzmqContext, ZMQ } from "../../peers/libzmq/index.ts";
import { libzmqLibraryFor } from "../harness/transports.ts";
import type { RowFamily } from "../report/table.ts";

/** A libzmq sender that finds no room for this long gives up (its receiver is stuck). */
export const SEND_TIMEOUT_MS = 5_000;

export type SendMode = "trySend" | "send";

/** The receiving end of a pair: a child process (receiver.ts) or an in-process PULL (inproc-pairs.ts). */
export interface BatchReceiver {
  readonly endpoint: string;
  /** Asks for `count` messages of `size` bytes; resolves when they all arrived, rejects on a stall. */
  request(count: number, size: number): Promise<unknown>;
}

export interface Pair {
  name: string;
  /** Sends one batch; resolves when the receiver reports all of it. */
  batch(size: number, count: number, mode?: SendMode): Promise<void>;
  close(): void;
}

export interface Row {
  label: string;
  pair: Pair;
  mode?: SendMode;
  /** This row is the libzmq baseline of the ratio column. */
  baseline?: boolean;
  interop?: boolean;
  /** One implementation end to end: the table's bunzmq ÷ zeromq.js line compares these rows. */
  family?: RowFamily;
}

let lastProgress = performance.now();

/** When a batch of any pair last finished or failed (performance.now()), for the hang watchdog. */
export function lastBatchAt(): number {
  return lastProgress;
}

/**
 * Runs `attempt` unless the pair already failed; a failure marks it broken for good, because
 * messages of the failed batch may still be in flight (or stuck) between the two sockets.
 */
export function guarded(name: string, attempt: Pair["batch"]): Pair["batch"] {
  let broken: Error | null = null;
  return async (size, count, mode) => {
    if (broken) throw new Error(`${name} unusable after an earlier failure: ${broken.message}`);
    try {
      await attempt(size, count, mode);
    } catch (error) {
      broken = error instanceof Error ? error : new Error(String(error));
      throw broken;
    } finally {
      lastProgress = performance.now();
    }
  };
}

/** A CURVE pair's keys, Z85: the receiver (it binds) is the server, the sender the client. */
export interface CurveKeys {
  serverPublicKey: string;
  serverSecretKey: string;
  clientPublicKey: string;
  clientSecretKey: string;
}

export function bodyFor(size: number): Uint8Array {
  const body = cBuffer(size).subarray(0, size);
  for (let i = 0; i < size; i++) body[i] = (i * 31 + 7) & 0xff;
  return body;
}

export function bunzmqPair(name: string, receiver: BatchReceiver, curve?: CurveKeys): Pair {
  const client = curve && {
    curveServerKey: curve.serverPublicKey,
    curvePublicKey: curve.clientPublicKey,
    curveSecretKey: curve.clientSecretKey,
  };
  const push = new Push({ linger: 0, ...client });
  push.connect(receiver.endpoint);
  const bodies = new Map<number, Uint8Array>();
  const sendFast = async (body: Uint8Array, count: number) => {
    for (let i = 0; i < count; i++) if (!push.trySend(body)) await push.send(body);
  };
  const sendPlain = async (body: Uint8Array, count: number) => {
    for (let i = 0; i < count; i++) await push.send(body);
  };
  return {
    name,
    batch: guarded(name, async (size, count, mode = "trySend") => {
      let body = bodies.get(size);
      if (!body) bodies.set(size, (body = bodyFor(size)));
      const ack = receiver.request(count, size);
      // all(): a receiver's STALL must end the iteration even while a send waits for room forever.
      await Promise.all([(mode === "trySend" ? sendFast : sendPlain)(body, count), ack]);
    }),
    close: () => push.close(),
  };
}

export function libzmqPair(name: string, receiver: BatchReceiver, curve?: CurveKeys): Pair {
  const push = new LibzmqContext({ library: libzmqLibraryFor(receiver.endpoint) }).socket(ZMQ.PUSH);
  push.setInt(ZMQ.SNDTIMEO, SEND_TIMEOUT_MS); // a stuck receiver turns a blocked zmq_send into an error
  if (curve) {
    push.setBytes(ZMQ.CURVE_SERVERKEY, curve.serverPublicKey);
    push.setBytes(ZMQ.CURVE_PUBLICKEY, curve.clientPublicKey);
    push.setBytes(ZMQ.CURVE_SECRETKEY, curve.clientSecretKey);
  }
  push.connect(receiver.endpoint);
  const bodies = new Map<number, Uint8Array>();
  return {
    name,
    batch: guarded(name, async (size, count) => {
      let body = bodies.get(size);
      if (!body) bodies.set(size, (body = bodyFor(size)));
      const ack = receiver.request(count, size);
      try {
        push.sendMany(body, size, count); // blocks this thread, like a C sender
      } catch (error) {
        // Prefer the receiver's account (STALL ...) if it has one ready.
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([ack, new Promise((resolve) => (timer = setTimeout(resolve, 100)))]).finally(() => clearTimeout(timer));
        throw error;
      }
      await ack;
    }),
    close: () => push.context.term(),
  };
}
