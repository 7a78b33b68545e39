// Everything a soak run holds open: the hub (the long-lived bound sockets), a peer of each kind, a
// long-lived DEALER following each peer's REP, the churn of short-lived sockets, the CURVE keys and
// the folder of ipc endpoints. Opened once, then driven one step at a time by run.ts: a restart of
// the next peer, a churn operation, or the books settled before a sample. Imports src/ and the
// soak's own modules.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { curveKeyPair } from "../../src/index.ts";
import { Churn } from "./churn.ts";
import { Hub } from "./hub.ts";
import { type CurveConfig, PEER_KINDS, type PeerConfig, type PeerKind, TOPICS } from "./peer-config.ts";
import { InprocPeer, type Peer, ProcessPeer } from "./peers.ts";
import { Requester } from "./requester.ts";
import { Tally } from "./tally.ts";

/** A peer that moves no message of a pattern for this long, while alive, has stopped. */
const STALL_MS = 10_000;
/** How long a new peer life has to get its traffic to the hub. */
const FLOWING_TIMEOUT_MS = 10_000;

function repEndpoint(kind: PeerKind, dir: string, life: number): string {
  if (kind.transport === "tcp") return "tcp://127.0.0.1:*"; // a new port each life: the DEALER must follow it
  if (kind.transport === "ipc") return `ipc://${join(dir, `${kind.name}-rep.ipc`)}`; // the same path: the DEALER reconnects
  return `inproc://soak-rep-${life}`;
}

function newCurveConfig(): CurveConfig {
  const [server, client] = [curveKeyPair(), curveKeyPair()];
  return {
    serverPublicKey: server.publicKey,
    serverSecretKey: server.secretKey,
    clientPublicKey: client.publicKey,
    clientSecretKey: client.secretKey,
  };
}

export class SoakWorld {
  readonly tally: Tally;
  readonly churn: Churn;
  readonly #dir: string;
  readonly #curve: CurveConfig;
  readonly #hub: Hub;
  readonly #peers: Peer[];
  readonly #requesters: Map<string, Requester>;
  #restarts = 0;

  private constructor(tally: Tally, dir: string, curve: CurveConfig, hub: Hub) {
    this.tally = tally;
    this.#dir = dir;
    this.#curve = curve;
    this.#hub = hub;
    this.#peers = PEER_KINDS.map((k) =>
      k.transport === "inproc" ? new InprocPeer(k) : new ProcessPeer(k, (text) => this.tally.violation(text)),
    );
    this.#requesters = new Map(PEER_KINDS.map((k) => [k.name, new Requester(k, this.tally, curve)]));
    this.churn = new Churn(hub, this.tally, curve, dir);
  }

  /** Binds the hub, starts every peer's first life and points a DEALER at each. */
  static async open(): Promise<SoakWorld> {
    const dir = mkdtempSync(join(tmpdir(), "bunzmq-soak-"));
    const curve = newCurveConfig();
    const tally = new Tally();
    const world = new SoakWorld(tally, dir, curve, await Hub.open(tally, dir, curve));
    await Promise.all(world.#peers.map(async (peer) => await world.#follow(peer, await peer.start(world.#configFor(peer.kind)))));
    return world;
  }

  /** Ends the next peer's life abruptly (in turn) and starts its next one. */
  async restartNext(): Promise<void> {
    const peer = this.#peers[this.#restarts++ % this.#peers.length]!;
    const ended = peer.life;
    try {
      await this.#follow(peer, await peer.restart(this.tally, this.#configFor(peer.kind)));
    } catch (error) {
      this.tally.violation(`restart of ${peer.kind.name} failed: ${(error as Error).message}`);
    }
    // Late messages of the life just ended are still checked against its record; the one before goes.
    this.#hub.forget(`${peer.kind.name}#${ended - 1}`);
  }

  /** Books what every peer reported, and any traffic that has stopped: done before each sample. */
  settle(): void {
    for (const peer of this.#peers) peer.account(this.tally);
    this.tally.checkStalls(
      this.#peers.map((p) => ({ peer: p.kind.name, life: p.life, since: p.readyAt })),
      STALL_MS,
    );
  }

  /** Books the last reports, then stops the DEALERs, the peers (gracefully) and the hub. */
  async close(): Promise<void> {
    for (const peer of this.#peers) peer.account(this.tally);
    await Promise.all([...this.#requesters.values()].map((r) => r.close()));
    await Promise.all(this.#peers.map((p) => p.stop(this.tally)));
    await this.#hub.close();
    rmSync(this.#dir, { recursive: true, force: true });
  }

  /**
   * Points the peer's DEALER at its new life's REP and waits until that life's traffic reaches the
   * hub both ways (its PUSH stream arrives, its REP answers), so every connection of the new life is
   * up and every one of the old life closed when the next sample counts descriptors.
   */
  async #follow(peer: Peer, rep: string): Promise<void> {
    const requester = this.#requesters.get(peer.kind.name)!;
    requester.follow(rep, peer.life);
    const stream = `${peer.kind.name}#${peer.life}`;
    const [pushed, answered] = await Promise.all([
      this.#hub.whenReceived(stream, 1, FLOWING_TIMEOUT_MS),
      requester.whenAnswered(FLOWING_TIMEOUT_MS),
    ]);
    if (!pushed || !answered) {
      const missing = [pushed ? "" : "its PUSH stream", answered ? "" : "its REP's answers"].filter(Boolean).join(" and ");
      this.tally.violation(`${stream}: ${missing} did not reach the hub within ${FLOWING_TIMEOUT_MS} ms of its start`);
    }
  }

  #configFor(kind: PeerKind): (life: number) => PeerConfig {
    return (life) => ({
      ...kind,
      instance: life,
      curve: kind.curve ? this.#curve : null,
      hub: this.#hub.endpointsFor(kind),
      repEndpoint: repEndpoint(kind, this.#dir, life),
      topics: [...TOPICS],
    });
  }
}
