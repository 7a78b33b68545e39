// The soak's short-lived sockets: each operation opens sockets, carries a few messages, checks
// every one arrived, and closes them, so sockets, connections, listeners (and their descriptors)
// are opened and closed all run long. The operations take turns, over tcp, ipc and inproc, with
// and without CURVE:
//   push  a PUSH connects to the hub's PULL, sends 20 messages and closes at once, before its
//         connection is up: linger must still deliver all of them (the hub's PULL checks them).
//   echo  a DEALER connects to the hub's ROUTER, 10 round trips, closes.
//   sub   a SUB connects to the hub's PUB, subscribes to one topic, takes 3 messages, closes.
//   pair  a REP binds a new endpoint, a REQ connects to it, 10 round trips, both close.
// Imports src/ and the soak's own modules.

import { join } from "node:path";
import { Dealer, Push, Reply, Request, Subscriber } from "../../src/index.ts";
import type { Hub } from "./hub.ts";
import { checkMessage, makeMessage } from "./messages.ts";
import { type CurveConfig, PEER_KINDS, type PeerKind, TOPICS } from "./peer-config.ts";
import { CHURNED, type Tally } from "./tally.ts";

const PUSHED = 20;
const ROUND_TRIPS = 10;
const SUBSCRIBED = 3;
/** Bounds every wait of an operation; a message not there by then is lost. */
const TIMEOUT_MS = 10_000;

const OPS = ["push", "echo", "sub", "pair"] as const;

export class Churn {
  readonly #hub: Hub;
  readonly #tally: Tally;
  readonly #curve: CurveConfig;
  readonly #dir: string;
  #turn = 0;
  readonly #ops: Record<(typeof OPS)[number], (kind: PeerKind, n: number) => Promise<void>> = {
    push: (kind, n) => this.#push(kind, n),
    echo: (kind, n) => this.#echo(kind, n),
    sub: (kind, n) => this.#sub(kind, n),
    pair: (kind, n) => this.#pair(kind, n),
  };

  constructor(hub: Hub, tally: Tally, curve: CurveConfig, dir: string) {
    this.#hub = hub;
    this.#tally = tally;
    this.#curve = curve;
    this.#dir = dir;
  }

  /** Runs the next operation on the next transport; a failure is booked as a violation. */
  async next(): Promise<void> {
    const n = this.#turn++;
    const op = OPS[n % OPS.length]!;
    // Every operation meets every transport: the kinds advance once per round of operations.
    const kind = PEER_KINDS[Math.floor(n / OPS.length) % PEER_KINDS.length]!;
    try {
      await this.#ops[op](kind, n);
      this.#tally.churned(`${op} ${kind.name}`);
    } catch (error) {
      this.#tally.violation(`churn ${op} over ${kind.name}: ${(error as Error).message}`);
    }
  }

  /** A CURVE client's keys when `kind` is encrypted. */
  #keys(kind: PeerKind) {
    const c = this.#curve;
    return kind.curve ? { curveServerKey: c.serverPublicKey, curvePublicKey: c.clientPublicKey, curveSecretKey: c.clientSecretKey } : {};
  }

  /** Options of a connecting socket that receives: the keys, and a bounded wait. */
  #client(kind: PeerKind) {
    return { receiveTimeout: TIMEOUT_MS, ...this.#keys(kind) };
  }

  async #push(kind: PeerKind, n: number): Promise<void> {
    const stream = `${CHURNED}#${n}`;
    // A positive linger: the connection may not be up yet at close(), and only a positive linger
    // waits for it (README "What is dropped, when"; -1 drops what waits for an absent peer).
    const push = new Push({ linger: TIMEOUT_MS, ...this.#keys(kind) });
    try {
      push.connect(this.#hub.endpointsFor(kind).pull);
      for (let seq = 0; seq < PUSHED; seq++) await push.send(makeMessage(stream, seq));
    } finally {
      push.close();
    }
    const complete = await this.#hub.whenReceived(stream, PUSHED, TIMEOUT_MS);
    const received = this.#hub.received(stream);
    this.#hub.forget(stream);
    if (!complete) throw new Error(`${received} of ${PUSHED} messages arrived after close() (linger delivers them all)`);
  }

  async #echo(kind: PeerKind, n: number): Promise<void> {
    const dealer = new Dealer(this.#client(kind));
    try {
      dealer.connect(this.#hub.endpointsFor(kind).router);
      for (let seq = 0; seq < ROUND_TRIPS; seq++) {
        await dealer.send(makeMessage(`${CHURNED}#${n}`, seq));
        this.#expect(await dealer.receive(), seq);
        this.#tally.add("DEALER→ROUTER", CHURNED);
      }
    } finally {
      dealer.close();
    }
  }

  async #sub(kind: PeerKind, n: number): Promise<void> {
    const sub = new Subscriber(this.#client(kind));
    const topic = TOPICS[n % TOPICS.length]!;
    try {
      sub.connect(this.#hub.endpointsFor(kind).pub);
      sub.subscribe(topic);
      for (let i = 0; i < SUBSCRIBED; i++) {
        const [received] = await sub.receive();
        if (received?.toString() !== topic) throw new Error(`received topic "${received}" subscribed only to "${topic}"`);
        this.#tally.add("PUB→SUB", CHURNED);
      }
    } finally {
      sub.close();
    }
  }

  async #pair(kind: PeerKind, n: number): Promise<void> {
    const c = this.#curve;
    const server = kind.curve ? { curveServer: true, curvePublicKey: c.serverPublicKey, curveSecretKey: c.serverSecretKey } : {};
    const endpoint =
      kind.transport === "tcp"
        ? "tcp://127.0.0.1:*"
        : kind.transport === "ipc"
          ? `ipc://${join(this.#dir, `churn-${n}.ipc`)}`
          : `inproc://soak-churn-${n}`;
    const rep = new Reply({ receiveTimeout: TIMEOUT_MS, ...server });
    const req = new Request(this.#client(kind));
    try {
      await rep.bind(endpoint);
      req.connect(rep.lastEndpoint!);
      for (let seq = 0; seq < ROUND_TRIPS; seq++) {
        await req.send(makeMessage(`${CHURNED}#${n}`, seq));
        await rep.send(await rep.receive());
        this.#expect(await req.receive(), seq);
        this.#tally.add("REQ→REP", CHURNED);
      }
    } finally {
      req.close();
      rep.close();
    }
  }

  #expect(frames: Uint8Array[], seq: number): void {
    const checked = checkMessage(frames);
    if (typeof checked === "string") throw new Error(checked);
    if (checked.seq !== seq) throw new Error(`reply #${checked.seq} where #${seq} was due`);
  }
}
