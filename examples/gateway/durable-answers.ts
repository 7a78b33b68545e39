// The gateway's durable mode (`swapDirectory`): what makes "every accepted action is answered" hold
// across a crash of the gateway itself. Two journals in the directory:
// - `actions/`, the actions PUSH's own (bunzmq's `swapDirectory`): every action is on disk before it
//   can reach a server, and one the kernel had not taken yet is sent again by the next gateway;
// - `actions.journal` (./action-journal.ts): every action until its answer has reached its player.
// A player is found again after a restart by the id it names itself with (`/play?player=<id>`);
// while such a player is away, its answers are kept here (and stay unsettled in the journal).

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Push } from "../../src/index.ts";
import { ActionJournal, type JournaledAction } from "./action-journal.ts";
import type { ActionHeader } from "./protocol.ts";

/** Ids the gateway gives players that did not name themselves start here; a named player is below. */
export const ANONYMOUS_PLAYERS = 0x8000_0000;

interface ParkedAnswer {
  action: JournaledAction;
  result: Uint8Array;
}

/**
 * The gateway's PUSH toward its game servers: `immediate` (a server that is down gets no queue),
 * with `swapBytes` of disk for actions no server can take, journaled in `directory` if one is given.
 */
export function actionsPush(swapBytes: number, directory: string | null, sync: boolean): Push {
  const push = new Push({ immediate: true, linger: 0, sendHighWaterMark: 10_000, swap: swapBytes });
  if (directory !== null) {
    const journal = join(directory, "actions");
    mkdirSync(journal, { recursive: true });
    push.swapSync = sync ? "batch" : "none";
    push.swapDirectory = journal;
  }
  return push;
}

export class DurableAnswers {
  readonly #journal: ActionJournal;
  readonly #maxParkedPerPlayer: number;
  readonly #parked = new Map<number, ParkedAnswer[]>();
  /** What a previous gateway on the directory accepted and did not answer, in order. */
  readonly recovered: readonly JournaledAction[];

  /** Opens the directory's journal: make `actionsPush` on it first, which locks the directory. */
  constructor(directory: string, sync: boolean, maxParkedPerPlayer: number) {
    const { journal, recovered } = ActionJournal.open(directory, sync);
    this.#journal = journal;
    this.recovered = recovered;
    this.#maxParkedPerPlayer = maxParkedPerPlayer;
  }

  /** The first action id this gateway may use: past every id used on the directory before. */
  get nextActionId(): number {
    return this.#journal.lastId + 1;
  }

  /** The first id for unnamed players: past those of recovered actions, whose players cannot come back. */
  get nextAnonymousPlayer(): number {
    let next = ANONYMOUS_PLAYERS;
    for (const { playerId } of this.recovered) if (playerId >= next) next = playerId + 1;
    return next;
  }

  accepted(header: ActionHeader, payload: Uint8Array): void {
    this.#journal.accept({ actionId: header.actionId, playerId: header.playerId, clientSeq: header.clientSeq, payload });
  }

  /** The answer reached its player. */
  answered(actionId: number): void {
    this.#journal.settle(actionId);
  }

  /**
   * An answer whose player is not connected: kept for a named player (at most `maxParkedPerPlayer`,
   * the oldest go), dropped for an unnamed one, who cannot come back as itself.
   */
  undelivered(header: ActionHeader, action: Uint8Array, result: Uint8Array): void {
    if (header.playerId >= ANONYMOUS_PLAYERS) return this.#journal.settle(header.actionId);
    let parked = this.#parked.get(header.playerId);
    if (parked === undefined) this.#parked.set(header.playerId, (parked = []));
    const { actionId, playerId, clientSeq } = header;
    parked.push({ action: { actionId, playerId, clientSeq, payload: action }, result });
    if (parked.length > this.#maxParkedPerPlayer) this.#journal.settle(parked.shift()!.action.actionId);
  }

  /** The answers kept for a player that has just connected; deliver each, then call `answered`. */
  takeParked(playerId: number): ParkedAnswer[] {
    const parked = this.#parked.get(playerId) ?? [];
    this.#parked.delete(playerId);
    return parked;
  }

  /** Rewrites the journal once it is large, keeping `awaiting` (actions not answered yet) and the parked answers' actions. */
  compactIfLarge(awaiting: () => Iterable<{ header: ActionHeader; payload: Uint8Array }>): void {
    this.#journal.compactIfLarge(() => this.#live(awaiting()));
  }

  close(): void {
    this.#journal.close();
  }

  *#live(awaiting: Iterable<{ header: ActionHeader; payload: Uint8Array }>): Generator<JournaledAction> {
    for (const { header, payload } of awaiting) {
      yield { actionId: header.actionId, playerId: header.playerId, clientSeq: header.clientSeq, payload };
    }
    for (const parked of this.#parked.values()) for (const { action } of parked) yield action;
  }
}
