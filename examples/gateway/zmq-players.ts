// Players that are ZeroMQ sockets over WebSocket: a page running bunzmq/browser (or jszmq, or any
// DEALER) connects to the gateway's ROUTER at ws://host:port/zmq and speaks the same frames as the
// WebSocket players (u32 client sequence + payload), one ZeroMQ message each way. A browser offers
// only bare ZWS2.0, so the ROUTER is a NULL server (it accepts bare); each player is known by its
// routing id, made up by the ROUTER unless the player sets its own.
//
// Why a ROUTER: one bound socket takes every player, and replies go back by routing id, which is all
// the gateway's result path needs. A player joins with its first action; it leaves when its
// connection ends (the ROUTER's `disconnect` event, matched to the `handshake` that named it by the
// peer's address), so the gateway's player count includes ZeroMQ players only while they are there.

import { Router } from "../../src/index.ts";

/** What the gateway keeps per player, WebSocket or ZeroMQ: where its results go. */
export interface PlayerLink<Data> {
  readonly data: Data;
  send(frame: Uint8Array): unknown;
  close(code?: number, reason?: string): void;
}

export interface ZmqPlayerHost<Data> {
  /** A new player: the gateway gives it its data (id, in-flight count) and remembers the link. */
  join(link: Omit<PlayerLink<Data>, "data">): PlayerLink<Data>;
  /** A frame from a player. */
  message(link: PlayerLink<Data>, frame: Uint8Array): void;
  /** A player's connection ended. */
  leave(link: PlayerLink<Data>): void;
}

export class ZmqPlayers<Data> {
  readonly router = new Router({ linger: 0, receiveHighWaterMark: 10_000, sendHighWaterMark: 10_000 });
  readonly #host: ZmqPlayerHost<Data>;
  /** Routing id (hex) -> the player. */
  readonly #players = new Map<string, PlayerLink<Data>>();
  /** Peer address -> routing id (hex), from `handshake`, so a `disconnect` finds its player. */
  readonly #addresses = new Map<string, string>();

  constructor(host: ZmqPlayerHost<Data>) {
    this.#host = host;
  }

  get endpoint(): string {
    return this.router.lastEndpoint!;
  }

  get count(): number {
    return this.#players.size;
  }

  async start(endpoint: string): Promise<void> {
    this.router.events.on("handshake", (event) => {
      const id = event.peer?.routingId;
      if (id !== undefined && id.length > 0 && event.peer?.remoteAddress) this.#addresses.set(event.peer.remoteAddress, hex(id));
    });
    this.router.events.on("disconnect", (event) => {
      const address = event.peer?.remoteAddress;
      const key = address === undefined ? undefined : this.#addresses.get(address);
      if (address !== undefined) this.#addresses.delete(address);
      const player = key === undefined ? undefined : this.#players.get(key);
      if (key === undefined || player === undefined) return;
      this.#players.delete(key);
      this.#host.leave(player);
    });
    await this.router.bind(endpoint);
    void this.#read();
  }

  async #read(): Promise<void> {
    for (;;) {
      let batch: Buffer[][];
      try {
        batch = await this.router.receiveBatch(1024);
      } catch {
        return; // closed
      }
      for (const [id, frame] of batch) if (id !== undefined && frame !== undefined) this.#onMessage(id, frame);
    }
  }

  #onMessage(id: Buffer, frame: Buffer): void {
    const key = hex(id);
    let player = this.#players.get(key);
    if (player === undefined) {
      const joined = this.#host.join({
        // A player that does not read is not waited for: at the high-water mark its results are dropped.
        send: (reply) => this.router.trySend([id, reply]),
        // Dropped by the gateway (a flood): forgotten here; a ROUTER cannot end one peer's connection.
        close: () => {
          if (this.#players.delete(key)) this.#host.leave(joined);
        },
      });
      player = joined;
      this.#players.set(key, player);
    }
    this.#host.message(player, frame);
  }

  close(): void {
    this.router.close();
  }
}

function hex(id: Uint8Array): string {
  return Buffer.from(id).toString("hex");
}
