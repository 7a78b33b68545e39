// The push-pull bench's handle on one receiver child (bench/fixtures/pull-fixture.ts, or zeromq.js's under
// Node in bench/fixtures/zeromqjs/): a Child (bench/harness/child.ts) plus the batch protocol: ask for
// "<count> <size>", read back "OK <count> <bad>" or "STALL <got>".
// Control traffic only; the measured messages never pass through here.

import { Child } from "../harness/child.ts";
import type { BatchReceiver } from "./pairs.ts";
import { bindEndpoint, type Transport } from "../harness/transports.ts";

export interface Ack {
  count: number;
  bad: number;
}

export class Receiver implements BatchReceiver {
  readonly impl: string;
  readonly #child: Child;

  private constructor(impl: string, child: Child) {
    this.impl = impl;
    this.#child = child;
  }

  /**
   * Starts `bench/fixtures/pull-fixture.ts <impl> <receiveHighWaterMark> <bind endpoint> [--curve <secret key>]`
   * and waits for its endpoint. With `curveSecretKey` (Z85) the receiver is a CURVE server.
   */
  static async spawn(
    impl: "bunzmq" | "libzmq",
    receiveHighWaterMark: number,
    transport: "tcp" | "ipc" | "ws",
    curveSecretKey?: string,
  ): Promise<Receiver> {
    const args = [impl, String(receiveHighWaterMark), bindEndpoint(transport)];
    if (curveSecretKey !== undefined) args.push("--curve", curveSecretKey);
    const name = `${impl} ${transport}${curveSecretKey !== undefined ? " CURVE" : ""} receiver`;
    const child = await Child.spawn(name, new URL("../fixtures/pull-fixture.ts", import.meta.url), args);
    return new Receiver(impl, child);
  }

  /**
   * Starts zeromq.js's receiver under `node`: over tcp and ipc `bench/fixtures/zeromqjs/pull-fixture.mjs`;
   * over inproc `bench/fixtures/zeromqjs/push-fixture.mjs inproc`, whose PUSH and PULL share one process
   * and which answers batch requests with the same protocol.
   */
  static async spawnZeromqjs(node: string, receiveHighWaterMark: number, transport: Transport): Promise<Receiver> {
    const [fixture, args] =
      transport === "inproc"
        ? [new URL("../fixtures/zeromqjs/push-fixture.mjs", import.meta.url), ["inproc", String(receiveHighWaterMark)]]
        : [new URL("../fixtures/zeromqjs/pull-fixture.mjs", import.meta.url), [String(receiveHighWaterMark), bindEndpoint(transport)]];
    const child = await Child.spawn(`zeromq.js ${transport} receiver`, fixture, args, node);
    return new Receiver("zeromq.js", child);
  }

  /** The receiver's process id (bench/harness/thread-cpu.ts reads its CPU time). */
  get pid(): number {
    return this.#child.pid;
  }

  get endpoint(): string {
    return this.#child.endpoint;
  }

  /** Asks for a batch of `count` messages of `size` bytes; resolves when the receiver has them all. */
  async request(count: number, size: number): Promise<Ack> {
    const text = await this.#child.ask(`${count} ${size}`);
    const [word, got, bad] = text.split(" ");
    if (word === "STALL") {
      throw new Error(`${this.impl} receiver stalled: ${got} of ${count} messages of ${size} B arrived, then none for 2 s`);
    }
    const result = { count: Number(got), bad: Number(bad) };
    if (word !== "OK" || result.count !== count || result.bad !== 0) {
      throw new Error(`${this.impl} receiver answered "${text}" for ${count} messages of ${size} B`);
    }
    return result;
  }

  stop(): Promise<void> {
    return this.#child.stop();
  }
}
