// Frames under an encrypting mechanism (CURVE): each one, data or command, travels sealed in the body
// of its own MESSAGE command (zmtp-notes §5.2). Outgoing MESSAGEs carry outer flags 0 (LONG is
// derived): never COMMAND, which makes libzmq decrypt and then silently discard them, and never
// MORE, which lives in the inner flags. Imports wire, mechanism and core.

import type { Message } from "../core/message.ts";
import { INNER_FLAG_COMMAND, INNER_FLAG_MORE, type MessageCipher } from "../mechanism/mechanism.ts";
import { FLAG_COMMAND, FLAG_LONG, FLAG_MORE, encodeFrame } from "../wire/frame.ts";
import type { WriteQueue } from "./write-queue.ts";

/**
 * Appends one message, a MESSAGE per frame, MORE on all but the last inside the box. Each MESSAGE
 * is sealed straight into the writer's batch, where it will be written from.
 */
export function sealMessage(writer: WriteQueue, cipher: MessageCipher, message: Message): void {
  const last = message.length - 1;
  for (let i = 0; i <= last; i++) {
    const frame = message[i]!;
    const at = writer.reserveFrame(0, frame.length + cipher.overhead);
    cipher.sealInto(i < last ? INNER_FLAG_MORE : 0, frame, writer.batchBytes, at);
  }
}

/**
 * Appends a whole command frame (header included, as the wire encoders make them) sealed as a
 * MESSAGE; `protocol` marks output the engine produced itself (PING, PONG), which counts against
 * the writer's bound, as opposed to the application's subscriptions.
 */
export function sealCommand(writer: WriteQueue, cipher: MessageCipher, frame: Uint8Array, protocol: boolean): void {
  const headerBytes = (frame[0]! & FLAG_LONG) !== 0 ? 9 : 2;
  const sealed = cipher.seal(INNER_FLAG_COMMAND, frame.subarray(headerBytes));
  if (protocol) writer.appendProtocol(encodeFrame(0, sealed));
  else writer.appendFrame(0, sealed);
}

/** The wire's flags for a frame opened from a MESSAGE: MORE stays 0x01, COMMAND 0x02 becomes 0x04. */
export function wireFlags(innerFlags: number): number {
  return ((innerFlags & INNER_FLAG_MORE) !== 0 ? FLAG_MORE : 0) | ((innerFlags & INNER_FLAG_COMMAND) !== 0 ? FLAG_COMMAND : 0);
}
