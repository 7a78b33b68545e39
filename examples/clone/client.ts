// A CHP client (RFC 12): a local copy of the server's map, or of one subtree of it, kept in step by a
// snapshot and then the published updates. The order is what makes it exact:
//   1. subscribe first, and wait for a first message (a HUGZ at the latest) as proof that the
//      subscription has reached the server, so that no update published from then on is missed;
//   2. ask for the snapshot (ICANHAZ) and apply it; KTHXBAI says which sequence it is good to;
//   3. apply the updates, dropping every one whose sequence is not above what is applied already
//      (RFC 12 MUST): those are in the snapshot.
// Updates go to the server's collector as KVSET, each with a fresh UUID; a client sees its own update
// come back as KVPUB, which tells it the update landed, and sends it again if it did not (a Publisher
// drops what it sends before the server's subscription has reached it).

import { Dealer, Publisher, Subscriber } from "../../src/index.ts"; // in your project: from "bunzmq"
import type { Print } from "../cli.ts";
import { HUGZ, ICANHAZ, KTHXBAI, type KeyValue, decode, encode, newUuid } from "./protocol.ts";
import type { Endpoints } from "./server.ts";

const utf8 = new TextEncoder();

export class CloneClient {
  readonly name: string;
  readonly subtree: string;
  /** The local copy: key to value. */
  readonly map = new Map<string, string>();
  readonly #hugzMs: number;
  readonly #print: Print;
  readonly #subscriber: Subscriber;
  readonly #updates = new Publisher();
  /** The highest sequence applied: from the snapshot, then from each update. */
  #sequence = 0n;
  /** Called after each applied update, for set() and reach() to check what they wait for. */
  readonly #watchers = new Set<(update: KeyValue) => void>();
  #running: Promise<void> = Promise.resolve();
  /** Keys the snapshot brought, and updates applied after it. */
  snapshotKeys = 0;
  updatesApplied = 0;

  constructor(name: string, subtree: string, hugzMs: number, print: Print) {
    this.name = name;
    this.subtree = subtree;
    this.#hugzMs = hugzMs;
    this.#print = print;
    this.#subscriber = new Subscriber({ receiveTimeout: 3 * hugzMs });
  }

  async connect(endpoints: Endpoints): Promise<void> {
    this.#subscriber.connect(endpoints.publisher);
    this.#subscriber.subscribe(this.subtree, HUGZ);
    // 1. The first message proves the subscription is in place. A server busy with other subtrees
    //    sends no HUGZ, so the wait is bounded; the window for a missed update is then tiny.
    const first = await this.#subscriber.receive().catch(() => null);
    this.#subscriber.receiveTimeout = -1;
    // 2. The snapshot.
    for (let attempt = 1; !(await this.#fetchSnapshot(endpoints.snapshot)); attempt++) {
      if (attempt === 3) throw new Error(`${this.name}: no snapshot from ${endpoints.snapshot}`);
      this.#print(`${this.name}: no snapshot yet, asking again`);
    }
    this.#print(`${this.name}: snapshot of "${this.subtree}" has ${this.snapshotKeys} keys, good to sequence ${this.#sequence}`);
    // 3. The updates, starting with the message that proved the subscription.
    this.#updates.connect(endpoints.collector);
    if (first !== null) this.#apply(first);
    this.#running = this.#follow();
  }

  /**
   * One ICANHAZ and its answer, on a socket of its own: false when the answer stops coming, and
   * then a retry's new socket cannot receive the rest of a stale one.
   */
  async #fetchSnapshot(endpoint: string): Promise<boolean> {
    const socket = new Dealer({ receiveTimeout: 10 * this.#hugzMs, linger: 0 });
    this.map.clear();
    this.snapshotKeys = 0;
    try {
      socket.connect(endpoint);
      await socket.send([ICANHAZ, this.subtree]);
      for (;;) {
        const entry = decode(await socket.receive());
        if (entry === null) continue;
        if (entry.key === KTHXBAI) {
          this.#sequence = entry.sequence;
          return true;
        }
        this.map.set(entry.key, new TextDecoder().decode(entry.value));
        this.snapshotKeys++;
      }
    } catch (error) {
      if ((error as { code?: string }).code === "EAGAIN") return false;
      throw error;
    } finally {
      socket.close();
    }
  }

  async #follow(): Promise<void> {
    for await (const frames of this.#subscriber) this.#apply(frames);
  }

  #apply(frames: Buffer[]): void {
    const update = decode(frames);
    if (update === null || update.key === HUGZ || update.sequence <= this.#sequence) return;
    this.#sequence = update.sequence;
    if (update.value.length === 0) this.map.delete(update.key);
    else this.map.set(update.key, new TextDecoder().decode(update.value));
    this.updatesApplied++;
    for (const watcher of this.#watchers) watcher(update);
  }

  /** Resolves once `check` holds for an applied update, or with null after `ms`. */
  #watch(check: (update: KeyValue) => boolean, ms: number): Promise<KeyValue | null> {
    return new Promise((resolve) => {
      const done = (update: KeyValue | null) => {
        clearTimeout(timer);
        this.#watchers.delete(watcher);
        resolve(update);
      };
      const watcher = (update: KeyValue) => check(update) && done(update);
      const timer = setTimeout(() => done(null), ms);
      this.#watchers.add(watcher);
    });
  }

  /** Sets (or, with "", deletes) a key in the shared map; resolves to the sequence it was published under. */
  async set(key: string, value: string, tries = 5): Promise<bigint> {
    const update = { key, sequence: 0n, uuid: newUuid(), properties: "", value: utf8.encode(value) };
    const sameUuid = (seen: KeyValue) => Buffer.from(seen.uuid).equals(update.uuid);
    for (let attempt = 1; attempt <= tries; attempt++) {
      const landed = this.#watch(sameUuid, 3 * this.#hugzMs);
      await this.#updates.send(encode(update));
      const seen = await landed;
      if (seen !== null) return seen.sequence;
      this.#print(`${this.name}: update of ${key} not seen yet, sending it again`);
    }
    throw new Error(`${this.name}: the server never published the update of ${key}`);
  }

  /** Resolves once this copy has applied every update up to `sequence`. */
  async reach(sequence: bigint): Promise<void> {
    if (this.#sequence >= sequence) return;
    if ((await this.#watch((update) => update.sequence >= sequence, 20 * this.#hugzMs)) === null) {
      throw new Error(`${this.name}: sequence ${sequence} never arrived`);
    }
  }

  async close(): Promise<void> {
    for (const socket of [this.#subscriber, this.#updates]) socket.close();
    await this.#running;
  }
}
