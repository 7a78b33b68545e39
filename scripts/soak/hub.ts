// The soak's long-lived bound sockets, the ones whose memory and descriptors the soak watches: for
// NULL and for CURVE, a PULL (checks every stream it receives: order, completeness, content), a
// ROUTER (echoes each request to its sender) and a PUB (publishes every topic every 50 ms), each
// bound on tcp and ipc, the NULL ones on inproc too. Peers come and go; these stay for the run.
// Imports src/ and the soak's message, config and tally modules.

import { join } from "node:path";
import { Publisher, Pull, Router } from "../../src/index.ts";
import { checkMessage, makePublication, SequenceCheck } from "./messages.ts";
import { type CurveConfig, type HubEndpoints, TOPICS } from "./peer-config.ts";
import type { Tally } from "./tally.ts";

const PUBLISH_MS = 50;

interface Bound {
  pull: Pull;
  router: Router;
  pub: Publisher;
  /** Endpoints per transport, as each socket reports them after binding. */
  endpoints: Map<string, HubEndpoints>;
}

/** The peer a stream belongs to: "tcp+curve#3" → "tcp+curve" ("churned#12" → "churned"). */
export function peerOf(stream: string): string {
  const hash = stream.indexOf("#");
  return hash < 0 ? stream : stream.slice(0, hash);
}

export class Hub {
  readonly #tally: Tally;
  readonly #plain: Bound;
  readonly #curve: Bound;
  readonly #check = new SequenceCheck();
  /** Churn operations waiting for their stream to be complete: stream → [count, resolve]. */
  readonly #waiters = new Map<string, [number, () => void]>();
  #running = true;
  readonly #loops: Promise<void>[] = [];
  #publishTimer: ReturnType<typeof setInterval> | undefined;

  private constructor(tally: Tally, plain: Bound, curve: Bound) {
    this.#tally = tally;
    this.#plain = plain;
    this.#curve = curve;
  }

  /** Binds everything (ipc sockets in `dir`) and starts receiving and publishing. */
  static async open(tally: Tally, dir: string, curve: CurveConfig): Promise<Hub> {
    const server = { curveServer: true, curvePublicKey: curve.serverPublicKey, curveSecretKey: curve.serverSecretKey };
    const plain = await bind({ linger: 0 }, ["tcp", "ipc", "inproc"], dir, "null");
    const encrypted = await bind({ linger: 0, ...server }, ["tcp", "ipc"], dir, "curve");
    const hub = new Hub(tally, plain, encrypted);
    for (const bound of [plain, encrypted]) {
      hub.#loops.push(hub.#receive(bound.pull), hub.#echo(bound.router));
    }
    const seqs = TOPICS.map(() => 0);
    hub.#publishTimer = setInterval(() => {
      TOPICS.forEach((topic, i) => {
        const message = makePublication(topic, seqs[i]!++);
        // PUB never blocks: at a subscriber's high-water mark the message is dropped for it.
        for (const bound of [plain, encrypted]) {
          bound.pub.send(message).catch((error: Error) => hub.#running && tally.violation(`the hub's PUB failed: ${error.message}`));
        }
      });
    }, PUBLISH_MS);
    return hub;
  }

  /** Where a peer of `kind` connects. */
  endpointsFor(kind: { transport: string; curve: boolean }): HubEndpoints {
    const endpoints = (kind.curve ? this.#curve : this.#plain).endpoints.get(kind.transport);
    if (endpoints === undefined) throw new Error(`the hub has no ${kind.transport} endpoint${kind.curve ? " with CURVE" : ""}`);
    return endpoints;
  }

  /** Resolves true once `count` messages of `stream` have arrived in order, false after `timeoutMs`. */
  whenReceived(stream: string, count: number, timeoutMs: number): Promise<boolean> {
    if (this.#check.received(stream) >= count) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(stream);
        resolve(false);
      }, timeoutMs);
      this.#waiters.set(stream, [count, () => (clearTimeout(timer), resolve(true))]);
    });
  }

  /** Drops the record of a stream whose sender is gone for good. */
  forget(stream: string): void {
    this.#check.forget(stream);
    this.#waiters.delete(stream);
  }

  /** How many messages of `stream` arrived in order (for a peer life's summary). */
  received(stream: string): number {
    return this.#check.received(stream);
  }

  async close(): Promise<void> {
    this.#running = false;
    clearInterval(this.#publishTimer);
    for (const bound of [this.#plain, this.#curve]) for (const s of [bound.pull, bound.router, bound.pub]) s.close();
    await Promise.all(this.#loops);
  }

  async #receive(pull: Pull): Promise<void> {
    try {
      for await (const frames of pull) {
        const checked = checkMessage(frames);
        if (typeof checked === "string") {
          this.#tally.violation(`PUSH→PULL: ${checked}`);
          continue;
        }
        const wrong = this.#check.accept(checked.stream, checked.seq);
        if (wrong !== null) this.#tally.violation(`PUSH→PULL: ${wrong}`);
        this.#tally.add("PUSH→PULL", peerOf(checked.stream));
        const waiter = this.#waiters.get(checked.stream);
        if (waiter && this.#check.received(checked.stream) >= waiter[0]) {
          this.#waiters.delete(checked.stream);
          waiter[1]();
        }
      }
    } catch (error) {
      if (this.#running) this.#tally.violation(`the hub's PULL failed: ${(error as Error).message}`);
    }
  }

  async #echo(router: Router): Promise<void> {
    try {
      for await (const [id, ...request] of router) {
        const checked = checkMessage(request);
        if (typeof checked === "string") this.#tally.violation(`DEALER→ROUTER: ${checked}`);
        // Not mandatory: a reply to a peer that has just been killed is dropped, as ZeroMQ does.
        await router.send([id!, ...request]);
      }
    } catch (error) {
      if (this.#running) this.#tally.violation(`the hub's ROUTER failed: ${(error as Error).message}`);
    }
  }
}

/** One PULL, ROUTER and PUB with `options`, each bound on every transport of `transports`. */
async function bind(options: object, transports: string[], dir: string, tag: string): Promise<Bound> {
  const bound: Bound = { pull: new Pull(options), router: new Router(options), pub: new Publisher(options), endpoints: new Map() };
  for (const transport of transports) {
    const at = (role: string) =>
      transport === "tcp"
        ? "tcp://127.0.0.1:*"
        : transport === "ipc"
          ? `ipc://${join(dir, `${tag}-${role}.ipc`)}`
          : `inproc://soak-${tag}-${role}`;
    const endpoints: Partial<HubEndpoints> = {};
    for (const role of ["pull", "router", "pub"] as const) {
      await bound[role].bind(at(role));
      endpoints[role] = bound[role].lastEndpoint!;
    }
    bound.endpoints.set(transport, endpoints as HubEndpoints);
  }
  return bound;
}
