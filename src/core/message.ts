// The in-process shape of a message. Imports nothing.
// A message is the list of its frames; a frame is a byte view that may share memory with the
// received chunk (zero copy). Multipart messages travel whole: pipes never hold half a message.

export type Frame = Uint8Array;

/** A message as the lower layers carry it: its frames, in order (exported as `Frames`). */
export type Message = Frame[] & {
  /**
   * Set by SUB sockets on a one-frame `[0x01 + topic]` (subscribe) or `[0x00 + topic]` (cancel)
   * message. The engine sends it as a SUBSCRIBE/CANCEL command to ZMTP 3.1 peers and as that data
   * frame to 3.0 peers, as libzmq 4.3.4 does (zmtp-notes §4.1). XSUB's user messages never carry it.
   */
  isSubscription?: boolean;
  /**
   * Set by DISH sockets on a one-frame message that is a whole JOIN or LEAVE command body
   * (core/group-command.ts). The engine sends it as a command frame (RFC 48); over inproc it reaches
   * the RADIO as it is. A RADIO's engine marks the JOIN and LEAVE it receives the same way.
   */
  isGroupCommand?: boolean;
  /**
   * SERVER and PEER only (libzmq's msg_t routing id, RFC 41): the 32-bit id of the peer a message came
   * from, or is for. It names a local pipe and never crosses one.
   */
  routingId?: number;
  /**
   * Set on a message of a durable swap queue (a journal): called once, by the pipe, when the
   * engine (or an I/O thread's bridge) takes the message to write it, so its record may go.
   */
  release?: () => void;
  /**
   * A message that fans out to several ZMTP connections (PUB, XPUB) is framed once for all of them:
   * null while no engine has written it yet (set by the distributing socket), then where its frames
   * lie, encoded, in a shared block. Each engine copies or writes those bytes instead of framing
   * the message again. Only pipes that lead to an engine able to use it (`Pipe.takesWire`) ever
   * carry such a message.
   */
  wire?: EncodedFrames | null;
};

/** A message's frames as ZMTP 3.x puts them on the wire (headers included): `bytes[start, end)`. */
export interface EncodedFrames {
  readonly bytes: Uint8Array;
  readonly start: number;
  readonly end: number;
}

/** A subscribe (`subscribe` true) or cancel message for `topic`, marked for command encoding. */
export function subscriptionMessage(subscribe: boolean, topic: Uint8Array): Message {
  const body = new Uint8Array(topic.length + 1);
  body[0] = subscribe ? 1 : 0;
  body.set(topic, 1);
  const message: Message = [body];
  message.isSubscription = true;
  return message;
}
