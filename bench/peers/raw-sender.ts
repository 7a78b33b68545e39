// The raw limit's sending side (bench/scenarios/cost-curves/): Bun.connect to a byte-counting
// receiver (bench/fixtures/raw-stream-fixture.ts) and write pre-framed ZMTP data frames, as many as
// fit in BATCH_BYTES per write (one frame per write when it is larger), with no ZeroMQ logic in
// between: no pipes, no encoder, no handshake. What it reaches is what Bun and the kernel carry
// here over the same kind of socket, so every ZeroMQ figure reads as a fraction of it.

import type { Socket } from "bun";
import { Child } from "../harness/child.ts";

/** Bytes per write: a ZeroMQ engine's batches are of this order (bunzmq coalesces a tick's frames). */
const BATCH_BYTES = 256 * 1024;

/** A data frame of `size` bytes as ZMTP 3 puts it on the wire: flags, length (1 or 8 bytes), body. */
export function framed(size: number): Uint8Array {
  const long = size > 255;
  const header = long ? 9 : 2;
  const frame = new Uint8Array(header + size).fill(0x2a);
  frame[0] = long ? 0x02 : 0x00;
  if (long) new DataView(frame.buffer).setBigUint64(1, BigInt(size));
  else frame[1] = size;
  return frame;
}

/** `count` copies of `frame` back to back. */
function repeated(frame: Uint8Array, count: number): Uint8Array {
  const batch = new Uint8Array(frame.length * count);
  for (let i = 0; i < count; i++) batch.set(frame, i * frame.length);
  return batch;
}

export class RawSender {
  readonly #child: Child;
  readonly #socket: Socket<undefined>;
  readonly #batches = new Map<number, Uint8Array>();
  #drained: (() => void) | null = null;

  private constructor(child: Child, socket: Socket<undefined>, onDrain: (wake: () => void) => void) {
    this.#child = child;
    this.#socket = socket;
    onDrain(() => {
      const wake = this.#drained;
      this.#drained = null;
      wake?.();
    });
  }

  static async start(): Promise<RawSender> {
    const child = await Child.spawn("raw receiver", new URL("../fixtures/raw-stream-fixture.ts", import.meta.url), []);
    const url = new URL(child.endpoint.replace("tcp://", "http://"));
    let wake = () => {};
    const socket = await Bun.connect({
      hostname: url.hostname,
      port: Number(url.port),
      socket: { data() {}, drain: () => wake() },
    });
    socket.setNoDelay(true);
    return new RawSender(child, socket, (w) => (wake = w));
  }

  /** Writes `count` frames of `size` bytes; resolves once the receiver has every byte. */
  async batch(size: number, count: number): Promise<void> {
    let batch = this.#batches.get(size);
    const frame = framed(size);
    if (!batch) this.#batches.set(size, (batch = repeated(frame, Math.max(1, Math.floor(BATCH_BYTES / frame.length)))));
    const perWrite = batch.length / frame.length;
    const ack = this.#child.ask(String(frame.length * count));
    for (let sent = 0; sent < count; sent += perWrite)
      await this.#write(batch.subarray(0, Math.min(perWrite, count - sent) * frame.length));
    const answer = await ack;
    if (answer !== `OK ${frame.length * count}`) throw new Error(`raw receiver answered "${answer}"`);
  }

  /** One write; the rest, if the kernel took only part, after each drain. */
  async #write(bytes: Uint8Array): Promise<void> {
    for (let offset = 0; offset < bytes.length; ) {
      const written = this.#socket.write(bytes.subarray(offset));
      if (written < 0) throw new Error("raw socket closed");
      offset += written;
      if (offset < bytes.length) await new Promise<void>((resolve) => (this.#drained = resolve));
    }
  }

  async stop(): Promise<void> {
    this.#socket.end();
    await this.#child.stop();
  }
}
