// DISH (RFC 48/RADIO-DISH, DRAFT): joins groups and receives the messages of those groups from its
// RADIOs; never sends data. Imports routing, pipe and core only.

import { ZmqError } from "../core/errors.ts";
import { groupCommandMessage, MAX_GROUP_LENGTH } from "../core/group-command.ts";
import type { Message } from "../core/message.ts";
import { SocketType } from "../core/socket-type.ts";
import type { PipeEnd } from "../pipe/pipe-end.ts";
import { Distribute } from "../routing/distribute.ts";
import { FairQueue } from "../routing/fair-queue.ts";
import { SocketBase } from "./socket-base.ts";
import { receiveSinglePart } from "./single-part.ts";

/**
 * Received messages are `[group, body]` (see radio.ts). The DISH filters by group itself too, as
 * libzmq's dish_t does, since a RADIO may lag behind a LEAVE and a datagram transport sends
 * everything. JOIN and LEAVE go to every RADIO as command messages past the high-water mark (losing
 * one would silently starve the dish), and every group is joined again on each new connection.
 */
export class DishSocket extends SocketBase {
  /** Joined groups by their bytes as latin1, with the bytes for re-sending. */
  readonly #groups = new Map<string, Uint8Array>();
  readonly #fairQueue = new FairQueue();
  readonly #distribute = new Distribute();
  /** A received message that passed the filter while answering `readable`. */
  #ready: Message | undefined = undefined;

  constructor() {
    super(SocketType.Dish);
  }

  /** libzmq's zmq_join: EINVAL for a group over 255 bytes or one already joined. */
  join(group: Uint8Array): void {
    if (group.length > MAX_GROUP_LENGTH) throw new ZmqError("EINVAL", `a group is at most ${MAX_GROUP_LENGTH} bytes (got ${group.length})`);
    const key = keyOf(group);
    if (this.#groups.has(key)) throw new ZmqError("EINVAL", "this group is joined already; leave() it first");
    this.#groups.set(key, group.slice());
    this.#distribute.sendToAll(groupCommandMessage(true, group), "force");
  }

  /** libzmq's zmq_leave: EINVAL for a group not joined. */
  leave(group: Uint8Array): void {
    const key = keyOf(group);
    if (!this.#groups.delete(key)) throw new ZmqError("EINVAL", "this group is not joined; join() it first");
    this.#distribute.sendToAll(groupCommandMessage(false, group), "force");
  }

  trySend(): never {
    return this.cannotSend();
  }

  // RFC 48 DISH: SHALL deliver only the messages of joined groups. A stream peer whose message is not
  // a group and one body has its connection ended by the engine already; anything else is dropped.
  tryReceive(): Message | undefined {
    const ready = this.#ready;
    if (ready !== undefined) {
      this.#ready = undefined;
      return ready;
    }
    for (let message = receiveSinglePart(this.#fairQueue, 2); message !== undefined; message = receiveSinglePart(this.#fairQueue, 2)) {
      if (this.#groups.has(keyOf(message[0]!))) return message;
    }
    return undefined;
  }

  get writable(): boolean {
    return false;
  }

  // Filtering happens here too, so `readable` never promises a message that would be dropped.
  get readable(): boolean {
    if (this.#ready === undefined) this.#ready = this.tryReceive();
    return this.#ready !== undefined;
  }

  protected onPipeAttached(end: PipeEnd): void {
    this.#fairQueue.attach(end.inbound);
    this.#distribute.attach(end.outbound);
    this.#joinAll(end);
  }

  protected onPipeDetached(end: PipeEnd): void {
    this.#distribute.detach(end.outbound);
  }

  // The RADIO behind a reconnected pipe starts with no groups (libzmq dish_t::xhiccuped).
  protected override onPipeReconnected(end: PipeEnd): void {
    this.#joinAll(end);
  }

  #joinAll(end: PipeEnd): void {
    for (const group of this.#groups.values()) end.outbound.write(groupCommandMessage(true, group));
  }
}

function keyOf(group: Uint8Array): string {
  let key = "";
  for (let i = 0; i < group.length; i++) key += String.fromCharCode(group[i]!);
  return key;
}
