// One life of a soak peer: the sockets that face the hub (soak's long-lived sockets) and the
// traffic they carry, paced so the soak measures leaks, not throughput on a shared machine.
//   PUSH → hub PULL      5 messages every 50 ms, numbered; the hub checks order and completeness.
//   DEALER → hub ROUTER  up to 4 requests in flight, echoed; replies must come back in order.
//   SUB ← hub PUB        three topics held, one swapped each second; per topic, numbers only rise.
//   REP (bound)          the hub's DEALER sends requests here; answered as they come.
// Runs in a peer process (peer-fixture.ts) or, for inproc, inside the soak. Imports src/ and the
// soak's message and config modules.

import { Dealer, Push, Reply, Subscriber } from "../../src/index.ts";
import { checkMessage, makeMessage } from "./messages.ts";
import { emptyStats, type PeerConfig, type PeerStats } from "./peer-config.ts";

const TICK_MS = 50;
const PUSH_BATCH = 5;
const IN_FLIGHT = 4;
const HELD_TOPICS = 3;
const RESUBSCRIBE_MS = 1000;
/** Violations kept in full; later ones only counted, so a broken run cannot fill memory. */
const KEPT_VIOLATIONS = 20;

/** The socket options of a connection of this peer: CURVE client keys when it is encrypted. */
function clientOptions(config: PeerConfig) {
  const c = config.curve;
  return c ? { curveServerKey: c.serverPublicKey, curvePublicKey: c.clientPublicKey, curveSecretKey: c.clientSecretKey } : {};
}

export class PeerTraffic {
  readonly #config: PeerConfig;
  readonly #stream: string;
  readonly #stats: PeerStats = emptyStats();
  #running = true;
  readonly #push: Push;
  readonly #dealer: Dealer;
  readonly #sub: Subscriber;
  readonly #rep: Reply;
  readonly #loops: Promise<void>[] = [];
  /** Wakes each pending pause, so close() need not wait out a tick or a subscription period. */
  readonly #sleepers = new Set<() => void>();
  /** Settled by the first echo and the first publication (or by close(), so start() cannot hang). */
  readonly #firstEcho = Promise.withResolvers<void>();
  readonly #firstPublication = Promise.withResolvers<void>();

  constructor(config: PeerConfig) {
    this.#config = config;
    this.#stream = `${config.name}#${config.instance}`;
    // linger 0: a restart drops what is queued, as a killed process would.
    this.#push = new Push({ linger: 0, ...clientOptions(config) });
    this.#dealer = new Dealer({ linger: 0, ...clientOptions(config) });
    this.#sub = new Subscriber({ linger: 0, ...clientOptions(config) });
    const c = config.curve;
    this.#rep = new Reply({
      linger: 0,
      ...(c ? { curveServer: true, curvePublicKey: c.serverPublicKey, curveSecretKey: c.serverSecretKey } : {}),
    });
  }

  /**
   * Binds the REP, connects to the hub and starts the traffic; resolves to the REP's endpoint once
   * the DEALER has had an echo and the SUB a message, so the life's connections are all up (a sample
   * taken next compares descriptors like with like).
   */
  async start(): Promise<string> {
    await this.#rep.bind(this.#config.repEndpoint);
    const { hub, topics } = this.#config;
    this.#push.connect(hub.pull);
    this.#dealer.connect(hub.router);
    this.#sub.connect(hub.pub);
    this.#sub.subscribe(...topics.slice(0, HELD_TOPICS));
    this.#loops.push(this.#run("push", () => this.#pushLoop()));
    this.#loops.push(this.#run("dealer", () => this.#dealerLoop()));
    this.#loops.push(this.#run("subscriber", () => this.#subLoop()));
    this.#loops.push(this.#run("subscriptions", () => this.#rotateLoop()));
    this.#loops.push(this.#run("rep", () => this.#repLoop()));
    await Promise.all([this.#firstEcho.promise, this.#firstPublication.promise]);
    return this.#rep.lastEndpoint!;
  }

  /** The counts so far (a copy). */
  stats(): PeerStats {
    return { ...this.#stats, violations: [...this.#stats.violations] };
  }

  /** Closes every socket (dropping what is queued) and waits for the loops to end. */
  async close(): Promise<void> {
    this.#running = false;
    for (const wake of this.#sleepers) wake();
    this.#firstEcho.resolve();
    this.#firstPublication.resolve();
    for (const socket of [this.#push, this.#dealer, this.#sub, this.#rep]) socket.close();
    await Promise.all(this.#loops);
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#sleepers.add(wake);
    });
  }

  #violation(text: string): void {
    this.#stats.violationCount++;
    const list = this.#stats.violations;
    if (list.length < KEPT_VIOLATIONS) list.push(`${this.#stream}: ${text}`);
  }

  /** Runs a loop; an error while running is a violation, one after close() is the close itself. */
  async #run(what: string, loop: () => Promise<void>): Promise<void> {
    try {
      await loop();
    } catch (error) {
      if (this.#running) this.#violation(`${what} failed: ${(error as Error).message}`);
    }
  }

  async #pushLoop(): Promise<void> {
    let seq = 0;
    while (this.#running) {
      for (let i = 0; i < PUSH_BATCH && this.#running; i++) {
        await this.#push.send(makeMessage(this.#stream, seq++));
        this.#stats.pushed++;
      }
      await this.#pause(TICK_MS);
    }
  }

  async #dealerLoop(): Promise<void> {
    const pending: number[] = [];
    let seq = 0;
    const replies = (async () => {
      for await (const frames of this.#dealer) {
        const checked = checkMessage(frames);
        const expected = pending.shift();
        if (typeof checked === "string") this.#violation(`echo: ${checked}`);
        else if (checked.seq !== expected) this.#violation(`echo: reply #${checked.seq} where #${expected} was due (lost or reordered)`);
        else {
          this.#stats.echoed++;
          this.#firstEcho.resolve();
        }
      }
    })();
    while (this.#running) {
      while (pending.length < IN_FLIGHT && this.#running) {
        pending.push(seq);
        await this.#dealer.send(makeMessage(this.#stream, seq++));
      }
      await this.#pause(TICK_MS);
    }
    await replies;
  }

  async #subLoop(): Promise<void> {
    const last = new Map<string, number>();
    for await (const [topic, seqFrame] of this.#sub) {
      const name = topic!.toString();
      const seq = Number(seqFrame!.toString());
      // PUB/SUB may drop (high-water mark, subscription changes), never repeat or reorder.
      if (seq <= (last.get(name) ?? -1)) this.#violation(`sub: ${name} #${seq} after #${last.get(name)}`);
      last.set(name, seq);
      this.#stats.published++;
      this.#firstPublication.resolve();
    }
  }

  async #rotateLoop(): Promise<void> {
    const { topics } = this.#config;
    for (let next = HELD_TOPICS; this.#running; next++) {
      await this.#pause(RESUBSCRIBE_MS);
      if (!this.#running) break;
      this.#sub.unsubscribe(topics[(next - HELD_TOPICS) % topics.length]!);
      this.#sub.subscribe(topics[next % topics.length]!);
      this.#stats.resubscribed++;
    }
  }

  async #repLoop(): Promise<void> {
    for await (const request of this.#rep) {
      await this.#rep.send(request);
      this.#stats.served++;
    }
  }
}
