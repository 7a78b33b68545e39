// RFC 48 RADIO/DISH group commands: the JOIN and LEAVE command bodies a DISH sends its RADIOs, and
// the groups they carry. Shared by the DISH (which makes them), the engine (which sends them as
// command frames and checks those a peer sends) and the RADIO (which applies them). Imports only
// message.ts beside it.
//
//   JOIN  body = 0x04 'JOIN'  group        (libzmq dish.cpp: "\4JOIN" then the group's bytes)
//   LEAVE body = 0x05 'LEAVE' group        (the group runs to the end of the frame; no length byte)

import type { Message } from "./message.ts";

/** RFC 48 and libzmq's ZMQ_GROUP_MAX_LENGTH: a group is at most 255 bytes. */
export const MAX_GROUP_LENGTH = 255;

const JOIN_PREFIX = [4, 0x4a, 0x4f, 0x49, 0x4e] as const; // \4 J O I N
const LEAVE_PREFIX = [5, 0x4c, 0x45, 0x41, 0x56, 0x45] as const; // \5 L E A V E

/** A JOIN or LEAVE read back from a command body: which one, and the group (a view, not a copy). */
export interface GroupCommand {
  readonly join: boolean;
  readonly group: Uint8Array;
}

/** The command body `0x04 JOIN group` (`join` true) or `0x05 LEAVE group`. The group must fit MAX_GROUP_LENGTH. */
export function encodeGroupCommand(join: boolean, group: Uint8Array): Uint8Array {
  const prefix = join ? JOIN_PREFIX : LEAVE_PREFIX;
  const body = new Uint8Array(prefix.length + group.length);
  body.set(prefix, 0);
  body.set(group, prefix.length);
  return body;
}

/** The one-frame message a DISH queues towards its RADIOs to join or leave `group`. */
export function groupCommandMessage(join: boolean, group: Uint8Array): Message {
  const message: Message = [encodeGroupCommand(join, group)];
  message.isGroupCommand = true;
  return message;
}

/**
 * Reads a command body as JOIN or LEAVE. Returns null when it is neither (another command, which
 * the caller treats as libzmq does), and "too-long" when it is one with a group over 255 bytes,
 * which libzmq cannot hold (its msg_t::set_group refuses it) and a peer must not send.
 */
export function decodeGroupCommand(body: Uint8Array): GroupCommand | "too-long" | null {
  const join = hasPrefix(body, JOIN_PREFIX);
  if (!join && !hasPrefix(body, LEAVE_PREFIX)) return null;
  const group = body.subarray(join ? JOIN_PREFIX.length : LEAVE_PREFIX.length);
  if (group.length > MAX_GROUP_LENGTH) return "too-long";
  return { join, group };
}

/**
 * Whether a data message a RADIO sent is well formed: exactly a group of at most 255 bytes and one
 * body. libzmq's dish session drops the connection of a peer that sends anything else.
 */
export function isGroupMessage(message: Message): boolean {
  return message.length === 2 && message[0]!.length <= MAX_GROUP_LENGTH;
}

function hasPrefix(body: Uint8Array, prefix: readonly number[]): boolean {
  if (body.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (body[i] !== prefix[i]) return false;
  return true;
}
