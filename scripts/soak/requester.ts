// The soak's long-lived connecting socket: one DEALER per peer, sending requests to the REP of the
// peer's current life with up to 4 in flight, replies due in order. When the peer restarts, the
// DEALER follows it: to a new tcp port by disconnect() and connect() (connections churned), or, for
// ipc and inproc, staying connected to the same endpoint while the library reconnects. Requests of
// an earlier life may still be answered by the new one (they waited in the pipe); those replies
// are recognised by their life's number and set aside. Imports src/ and the soak's own modules.

import { Dealer } from "../../src/index.ts";
import { checkMessage, makeMessage } from "./messages.ts";
import type { CurveConfig, PeerKind } from "./peer-config.ts";
import type { Tally } from "./tally.ts";

const TICK_MS = 50;
const IN_FLIGHT = 4;
const EMPTY = new Uint8Array(0);

export class Requester {
  readonly #kind: PeerKind;
  readonly #tally: Tally;
  readonly #dealer: Dealer;
  #endpoint: string | null = null;
  #life = 0;
  #seq = 0;
  /** Sequence numbers sent to the current life and not yet answered, oldest first. */
  #pending: number[] = [];
  #running = true;
  /** Settled by the first reply of the current life. */
  #answered = Promise.withResolvers<void>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #sending = false;
  readonly #replies: Promise<void>;

  constructor(kind: PeerKind, tally: Tally, curve: CurveConfig) {
    this.#kind = kind;
    this.#tally = tally;
    const client = kind.curve
      ? { curveServerKey: curve.serverPublicKey, curvePublicKey: curve.clientPublicKey, curveSecretKey: curve.clientSecretKey }
      : {};
    this.#dealer = new Dealer({ linger: 0, ...client });
    this.#replies = this.#receive();
  }

  /** Points the DEALER at life `life` of the peer, whose REP listens on `endpoint`, and (re)starts sending. */
  follow(endpoint: string, life: number): void {
    if (endpoint !== this.#endpoint) {
      if (this.#endpoint !== null) this.#dealer.disconnect(this.#endpoint);
      this.#dealer.connect(endpoint);
      this.#endpoint = endpoint;
    }
    this.#life = life;
    this.#seq = 0;
    this.#pending = [];
    this.#answered = Promise.withResolvers<void>();
    this.#timer ??= setInterval(() => void this.#topUp(), TICK_MS);
  }

  /** Resolves true once the current life has answered a request, false after `timeoutMs`. */
  async whenAnswered(timeoutMs: number): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const answered = await Promise.race([this.#answered.promise.then(() => true), late]);
    clearTimeout(timer);
    return answered;
  }

  async close(): Promise<void> {
    this.#running = false;
    clearInterval(this.#timer);
    this.#dealer.close();
    await this.#replies;
  }

  /** Sends until IN_FLIGHT requests are pending; one run at a time (a DEALER takes one send at once). */
  async #topUp(): Promise<void> {
    if (this.#sending) return;
    this.#sending = true;
    try {
      while (this.#running && this.#pending.length < IN_FLIGHT) {
        const seq = this.#seq++;
        this.#pending.push(seq);
        // A DEALER talking to a REP writes the empty delimiter a REQ would (RFC 28).
        await this.#dealer.send([EMPTY, ...makeMessage(`${this.#kind.name}#${this.#life}`, seq)]);
      }
    } catch (error) {
      if (this.#running) this.#tally.violation(`DEALER→REP ${this.#kind.name}: send failed: ${(error as Error).message}`);
    } finally {
      this.#sending = false;
    }
  }

  async #receive(): Promise<void> {
    try {
      for await (const [delimiter, ...reply] of this.#dealer) {
        const checked = delimiter?.length === 0 ? checkMessage(reply) : "a reply without the empty delimiter";
        if (typeof checked === "string") {
          this.#tally.violation(`DEALER→REP ${this.#kind.name}: ${checked}`);
          continue;
        }
        // A reply from an earlier life's request: nothing to check it against.
        if (checked.stream !== `${this.#kind.name}#${this.#life}`) continue;
        const expected = this.#pending.shift();
        if (checked.seq !== expected) {
          this.#tally.violation(`DEALER→REP ${checked.stream}: reply #${checked.seq} where #${expected} was due (lost or reordered)`);
        }
        this.#tally.add("DEALER→REP", this.#kind.name);
        this.#answered.resolve();
      }
    } catch (error) {
      if (this.#running) this.#tally.violation(`DEALER→REP ${this.#kind.name}: receive failed: ${(error as Error).message}`);
    }
  }
}
