// Radio and Dish: the DRAFT classes of RFC 48 (RADIO/DISH), thin verbs over the routing cores
// (socket/radio.ts, dish.ts), whose messages are [group, body]. Imports core and socket (the Dish
// core's type).

import { ZmqError } from "../core/errors.ts";
import type { Message as Frames } from "../core/message.ts";
import { SocketType } from "../core/socket-type.ts";
import type { DishSocket } from "../socket/dish.ts";
import { groupBytes, installDraftReadable, installDraftWritable, singleFrame } from "./draft-verbs.ts";
import type { Message, MessageLike } from "./message-like.ts";
import { installTypeOptions } from "./option-access.ts";
import type { SocketOptions } from "./option-types.ts";
import type { SwapProperties } from "./swap-options.ts";
import { Socket } from "./socket.ts";
import type { Readable, Writable } from "./verbs.ts";

/** The second argument of `Radio.send()`: the group the message belongs to. */
export interface RadioGroupOptions {
  /**
   * Text (UTF-8) or bytes, up to the first NUL (libzmq takes a C string); only the first 255 bytes
   * count, as zmq_msg_set_group keeps them.
   */
  group: Uint8Array | string;
}

/** What `Dish.receive()` gives beside each message: its group. */
export interface DishGroupOptions {
  /** The group the Radio sent the message to (a Buffer). */
  group: Message;
}

/**
 * RADIO (RFC 48, DRAFT): `send(message, { group })` delivers to every connected Dish that joined
 * that group. A Dish whose queue is at `sendHighWaterMark` misses the message (dropped, as PUB
 * drops), so send() never waits. Single-part messages only (EINVAL for more frames); a group
 * longer than 255 bytes is cut to its first 255, as libzmq's zmq_msg_set_group cuts it.
 */
export class Radio extends Socket {
  /** A new Radio; `options` sets any of its options and its `context`. */
  constructor(options?: SocketOptions<Radio>) {
    super(SocketType.Radio, options);
  }
}

/**
 * DISH (RFC 48, DRAFT): receives the messages of the groups it joined, as `[message, { group }]`.
 * `join()` and `leave()` take effect at once on every Radio connected and on later ones.
 */
export class Dish extends Socket {
  /** A new Dish; `options` sets any of its options and its `context`. */
  constructor(options?: SocketOptions<Dish>) {
    super(SocketType.Dish, options);
  }

  /**
   * Joins each group (zmq_join): a string (UTF-8) or bytes, up to the first NUL. Throws EINVAL for a
   * group over 255 bytes or one already joined, and EBADF on a closed socket.
   */
  join(...groups: Array<Uint8Array | string>): void {
    for (const group of groups) this.#dish().join(groupBytes(group));
  }

  /** Leaves each group (zmq_leave); throws EINVAL for a group not joined, and EBADF on a closed socket. */
  leave(...groups: Array<Uint8Array | string>): void {
    for (const group of groups) this.#dish().leave(groupBytes(group));
  }

  #dish(): DishSocket {
    if (this.closed) throw new ZmqError("EBADF", "the Dish is closed; create a new one");
    return this.core as DishSocket;
  }
}

function encodeGrouped(message: MessageLike | MessageLike[], options: unknown): Frames {
  const [body] = singleFrame(message);
  const group = (options as Partial<RadioGroupOptions> | undefined)?.group;
  // No group is libzmq's empty one, which a Dish may join as "".
  return [group === undefined ? Buffer.alloc(0) : groupBytes(group, true), body!];
}

// receive() yields Buffers (message-like.ts); `Message` is how the declarations name them.
function decodeGrouped(frames: Buffer[]): [Message, DishGroupOptions] {
  return [frames[1] as Message, { group: frames[0] as Message }];
}

export interface Radio extends Writable<MessageLike, [RadioGroupOptions]>, SwapProperties {
  /**
   * The most one Dish's groups may cost, each distinct group counting its length plus 64 bytes; -1
   * for no limit (libzmq's behaviour). Further JOINs from that peer are dropped; the connection and
   * other peers carry on. Applies at once.
   * @defaultValue 67108864 (64 MiB)
   * @unit bytes
   * @libzmq none (bunzmq addition)
   */
  maxSubscriptionBytes: number;
}
export interface Dish extends Readable<[Message, DishGroupOptions]> {}
installDraftWritable(Radio.prototype, encodeGrouped);
installDraftReadable(Dish.prototype, decodeGrouped);
installTypeOptions(Radio.prototype, SocketType.Radio);
installTypeOptions(Dish.prototype, SocketType.Dish);
