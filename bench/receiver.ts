// The push-pull bench's handle on one receiver child (bench/pull-fixture.ts): a Child (bench/child.ts)
// plus the batch protocol: ask for "<count> <size>", read back "OK <count> <bad>" or "STALL <got>".
// Control traffic only; the measured messages never pass through here.

import { Child } from "./child.ts";
import type { BatchReceiver } from "./pairs.ts";
import { bindEndpoint } from "./transports.ts";

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

  /** Starts `bench/pull-fixture.ts <impl> <receiveHighWaterMark> <bind endpoint>` and waits for its endpoint. */
  static async spawn(impl: "bunzmq" | "libzmq", receiveHighWaterMark: number, transport: "tcp" | "ipc"): Promise<Receiver> {
    const args = [impl, String(receiveHighWaterMark), bindEndpoint(transport)];
    const child = await Child.spawn(`${impl} ${transport} receiver`, "pull-fixture.ts", args);
    return new Receiver(impl, child);
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
