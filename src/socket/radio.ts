// RADIO (RFC 48/RADIO-DISH, DRAFT): sends each message to the peers that joined its group; takes
// JOIN and LEAVE from its DISHes and never receives data. Imports routing, pipe and core only.

import { ZmqError } from "../core/errors.ts";
import { decodeGroupCommand, MAX_GROUP_LENGTH } from "../core/group-command.ts";
import type { Message } from "../core/message.ts";
import { DEFAULT_MAX_SUBSCRIPTION_BYTES } from "../core/options.ts";
import { SocketType } from "../core/socket-type.ts";
import type { Pipe } from "../pipe/pipe.ts";
import type { PipeEnd } from "../pipe/pipe-end.ts";
import { Distribute } from "../routing/distribute.ts";
import { GroupTable } from "../routing/group-table.ts";
import { SocketBase } from "./socket-base.ts";
import { refuseMultipart } from "./single-part.ts";

/**
 * A message here is `[group, body]`: the group travels first, as its own frame with MORE, which is
 * exactly how libzmq's radio session writes it on a stream connection (radio.cpp), so the engine
 * encodes it as any two-frame message and a DISH's engine decodes it back. The udp:// engine puts
 * the two frames in one datagram. Over inproc the message is handed over as it is.
 */
export class RadioSocket extends SocketBase {
  protected override readonly spillsPerPipe = true;
  /**
   * The most one peer's groups may cost (each distinct group its length plus 64 bytes; -1: no
   * bound, libzmq's behaviour): JOINs past it are dropped, as PUB drops SUBSCRIBEs past it.
   */
  maxSubscriptionBytes = DEFAULT_MAX_SUBSCRIPTION_BYTES;
  readonly #distribute = new Distribute();
  readonly #groups = new GroupTable();
  /** Pipes of datagram endpoints, which get every group (PeerInfo.allGroups). */
  readonly #allGroups = new Set<Pipe>();

  constructor() {
    super(SocketType.Radio);
  }

  // RFC 48 RADIO: SHALL silently drop the message for a peer whose queue is full (libzmq's dist in
  // lossy mode, as PUB); SHALL NOT block on sending. A group nobody joined costs nothing.
  trySend(message: Message): boolean {
    refuseMultipart(this.type, message, 2);
    const group = message[0]!;
    if (group.length > MAX_GROUP_LENGTH) {
      throw new ZmqError("EINVAL", `a group is at most ${MAX_GROUP_LENGTH} bytes (got ${group.length})`);
    }
    const members = this.#groups.members(group);
    this.#distribute.sendTo(message, this.#allGroups.size === 0 ? members : [...members, ...this.#allGroups], "drop");
    return true;
  }

  // RFC 48 RADIO: the application cannot receive from a radio.
  tryReceive(): never {
    return this.cannotReceive();
  }

  get writable(): boolean {
    return true;
  }

  get readable(): boolean {
    return false;
  }

  /** How many distinct groups some peer has joined (for tests and diagnostics). */
  get groupCount(): number {
    return this.#groups.size;
  }

  protected onPipeAttached(end: PipeEnd): void {
    this.#distribute.attach(end.outbound);
    if (end.peer.allGroups === true) this.#allGroups.add(end.outbound);
    const inbound = end.inbound;
    inbound.onReadable = () => this.#readCommands(end);
    this.#readCommands(end);
  }

  protected onPipeDetached(end: PipeEnd): void {
    this.#distribute.detach(end.outbound);
    this.#allGroups.delete(end.outbound);
    this.#groups.remove(end.outbound);
  }

  // RFC 48 RADIO: SHALL create a group membership for each JOIN and remove it for each LEAVE; a
  // LEAVE for a group never joined changes nothing. Anything else a peer sends is discarded, as
  // libzmq's radio_t::xread_activated closes every message that is not a JOIN or LEAVE.
  #readCommands(end: PipeEnd): void {
    const inbound = end.inbound;
    for (let message = inbound.read(); message !== undefined; message = inbound.read()) {
      if (message.isGroupCommand !== true || message.length !== 1) continue;
      const command = decodeGroupCommand(message[0]!);
      if (command === null || command === "too-long") continue;
      if (command.join) this.#groups.join(end.outbound, command.group, this.maxSubscriptionBytes);
      else this.#groups.leave(end.outbound, command.group);
    }
  }
}
