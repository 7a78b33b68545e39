// How one outgoing message goes into a connection's write queue: as frames another connection
// already framed for it (a PUB's fan-out, wire/shared-encoding.ts), framed here, or sealed (CURVE,
// sealed-frames.ts). Imports wire, mechanism and core.

import type { Message } from "../core/message.ts";
import type { MessageCipher } from "../mechanism/mechanism.ts";
import { FLAG_MORE } from "../wire/frame.ts";
import { encodeShared } from "../wire/shared-encoding.ts";
import { sealMessage } from "./sealed-frames.ts";
import type { WriteQueue } from "./write-queue.ts";

/**
 * Appends `message` to `writer`. A message marked to be framed once (`message.wire`) is framed by
 * the first connection that writes it and then appended as those shared bytes by every connection
 * whose framing they match (ZMTP 3.x or 2.0, nothing sealed); one too large to share is framed by
 * each, as usual.
 */
export function appendMessage(writer: WriteQueue, cipher: MessageCipher | null, message: Message): void {
  if (cipher !== null) return sealMessage(writer, cipher, message);
  const wire = message.wire;
  if (wire !== undefined && writer.framesAsShared) {
    const shared = wire ?? (message.wire = encodeShared(message));
    if (shared !== undefined) return writer.appendWire(shared);
  }
  const last = message.length - 1;
  for (let i = 0; i < last; i++) writer.appendFrame(FLAG_MORE, message[i]!);
  if (last >= 0) writer.appendFrame(0, message[last]!);
}
