// The CHP server (RFC 12): the one copy of the map that counts. It applies the updates clients send
// to its collector (a Subscriber, subscribed to everything), numbers each one, and publishes it to
// every client (KVPUB); it answers each ICANHAZ on its snapshot Router with the keys of the asked
// subtree (KVSYNC) and the sequence the snapshot is good to (KTHXBAI); and it sends HUGZ when it has
// had nothing to publish for an interval, so clients can tell a quiet server from a dead one (and
// learn that their subscription is in place). RFC 12's "ttl" property (a SHOULD) is not handled here.

import { Publisher, Router, Subscriber } from "../../src/index.ts"; // in your project: from "bunzmq"
import type { Print } from "../cli.ts";
import { EMPTY, HUGZ, ICANHAZ, KTHXBAI, type KeyValue, decode, encode } from "./protocol.ts";

export interface Endpoints {
  snapshot: string;
  publisher: string;
  collector: string;
}

export class CloneServer {
  // mandatory: a snapshot larger than the client's high-water mark waits for room instead of being
  // cut short, as a plain Router would drop what does not fit.
  readonly #snapshot = new Router({ mandatory: true });
  readonly #publisher = new Publisher();
  readonly #collector = new Subscriber();
  readonly #print: Print;
  readonly #hugzMs: number;
  /** The map: each key's last update, with the sequence number it was published under. */
  readonly map = new Map<string, KeyValue>();
  #sequence = 0n;
  #publishedSinceHugz = false;
  #ticker: ReturnType<typeof setInterval> | undefined;
  #running: Promise<unknown> = Promise.resolve();

  constructor(hugzMs: number, print: Print) {
    this.#hugzMs = hugzMs;
    this.#print = print;
  }

  /** Binds the three sockets, each to a free port, and serves until close(). */
  async start(): Promise<Endpoints> {
    await this.#snapshot.bind("tcp://127.0.0.1:*");
    await this.#publisher.bind("tcp://127.0.0.1:*");
    await this.#collector.bind("tcp://127.0.0.1:*");
    this.#collector.subscribe();
    this.#running = Promise.all([this.#collect(), this.#serveSnapshots()]);
    this.#ticker = setInterval(() => this.#hugz(), this.#hugzMs);
    return { snapshot: this.#snapshot.lastEndpoint!, publisher: this.#publisher.lastEndpoint!, collector: this.#collector.lastEndpoint! };
  }

  /** KVSET: numbered, applied, published as KVPUB with the client's UUID and properties. */
  async #collect(): Promise<void> {
    for await (const frames of this.#collector) {
      const update = decode(frames);
      if (update === null) continue;
      const published = { ...update, sequence: ++this.#sequence };
      if (published.value.length === 0) this.map.delete(published.key);
      else this.map.set(published.key, published);
      await this.#publisher.send(encode(published));
      this.#publishedSinceHugz = true;
    }
  }

  async #serveSnapshots(): Promise<void> {
    for await (const [client, command, subtree] of this.#snapshot) {
      if (command?.toString() !== ICANHAZ || subtree === undefined) continue;
      try {
        await this.#sendSnapshot(client!, subtree);
      } catch (error) {
        // The client left mid-snapshot; it will ask again when it comes back.
        if ((error as { code?: string }).code !== "EHOSTUNREACH") throw error;
      }
    }
  }

  /** ICANHAZ: the subtree's keys, then KTHXBAI with the highest sequence among them (RFC 12). */
  async #sendSnapshot(client: Buffer, subtreeFrame: Buffer): Promise<void> {
    const subtree = subtreeFrame.toString();
    let highest = 0n;
    let sent = 0;
    for (const entry of this.map.values()) {
      if (!entry.key.startsWith(subtree)) continue;
      await this.#snapshot.send([client, ...encode({ ...entry, uuid: EMPTY, properties: "" })]);
      if (entry.sequence > highest) highest = entry.sequence;
      sent++;
    }
    await this.#snapshot.send([client, ...encode({ key: KTHXBAI, sequence: highest, uuid: EMPTY, properties: "", value: subtreeFrame })]);
    this.#print(`server: snapshot of "${subtree}" sent, ${sent} keys up to sequence ${highest}`);
  }

  #hugz(): void {
    if (!this.#publishedSinceHugz) {
      this.#publisher.trySend(encode({ key: HUGZ, sequence: 0n, uuid: EMPTY, properties: "", value: EMPTY }));
    }
    this.#publishedSinceHugz = false;
  }

  async close(): Promise<void> {
    clearInterval(this.#ticker);
    for (const socket of [this.#snapshot, this.#publisher, this.#collector]) socket.close();
    await this.#running;
  }
}
