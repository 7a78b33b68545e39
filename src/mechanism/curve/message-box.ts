// CurveZMQ's traffic phase (RFC 26 MESSAGE, zmtp-notes §5.2): every ZMTP frame after the handshake
// travels as one MESSAGE command whose box holds an inner flags byte and the frame. Imports only
// mechanism.ts and its siblings in curve/.
//
//   MESSAGE body  07 'MESSAGE' | short nonce (8) | box(flags(1) ‖ frame, prefix ‖ nonce, shared key)
//   inner flags   0x01 MORE, 0x02 COMMAND (libzmq's extension: PING, PONG, SUBSCRIBE, CANCEL)
//
// Each side counts its own short nonces upwards from where its handshake left them, and refuses a
// MESSAGE whose nonce is not above the last one it accepted (a replay or reordering), as libzmq does.

import type { MessageCipher } from "../mechanism.ts";
import { NONCE_BYTES, readCounter, writeCounter } from "./nonces.ts";
import { BOX_OVERHEAD } from "./secretbox-source.ts";
import { openFrame, opened, sealFrame } from "./secretbox.ts";

const MESSAGE_NAME = Uint8Array.from("\x07MESSAGE", (char) => char.charCodeAt(0));
/** Name (8) and short nonce (8): where the box starts in a MESSAGE body. */
const BOX_AT = 16;
/** The smallest MESSAGE: name, nonce, tag and the inner flags byte of an empty frame. */
const MIN_MESSAGE_BYTES = BOX_AT + BOX_OVERHEAD + 1;

export class MessageBox implements MessageCipher {
  error: { code: string; message: string } | null = null;
  flags = 0;
  readonly #key: Uint8Array;
  /** Our nonce and the peer's: prefixes fixed, counters rewritten per MESSAGE (read only during the call). */
  readonly #sendNonce = new Uint8Array(NONCE_BYTES);
  readonly #receiveNonce = new Uint8Array(NONCE_BYTES);
  #nextSend: number;
  #lastReceived: number;

  /**
   * `key`: the connection's shared key (C' with s', or S' with c'). `nextSend`: our next short nonce
   * (the handshake used the ones before). `lastReceived`: the peer's last handshake nonce.
   */
  constructor(key: Uint8Array, sendPrefix: Uint8Array, receivePrefix: Uint8Array, nextSend: number, lastReceived: number) {
    this.#key = key;
    this.#sendNonce.set(sendPrefix);
    this.#receiveNonce.set(receivePrefix);
    this.#nextSend = nextSend;
    this.#lastReceived = lastReceived;
  }

  readonly overhead = MIN_MESSAGE_BYTES;

  seal(innerFlags: number, frame: Uint8Array): Uint8Array {
    const body = new Uint8Array(MIN_MESSAGE_BYTES + frame.length);
    this.sealInto(innerFlags, frame, body, 0);
    return body;
  }

  sealInto(innerFlags: number, frame: Uint8Array, out: Uint8Array, at: number): void {
    for (let i = 0; i < 8; i++) out[at + i] = MESSAGE_NAME[i]!;
    const counter = this.#nextSend++;
    writeCounter(out, at + 8, counter);
    writeCounter(this.#sendNonce, 16, counter);
    sealFrame(this.#key, this.#sendNonce, innerFlags, frame, out, at + BOX_AT);
  }

  open(body: Uint8Array): Uint8Array | null {
    if (body.length < MIN_MESSAGE_BYTES)
      return this.#fail("ERR_ZMTP_MALFORMED_COMMAND_MESSAGE", `MESSAGE of ${body.length} bytes is shorter than ${MIN_MESSAGE_BYTES}`);
    for (let i = 0; i < MESSAGE_NAME.length; i++) {
      if (body[i] !== MESSAGE_NAME[i])
        return this.#fail("ERR_ZMTP_UNEXPECTED_COMMAND", "a frame after the CURVE handshake is not a MESSAGE");
    }
    const counter = readCounter(body, 8);
    if (counter <= this.#lastReceived) {
      return this.#fail(
        "ERR_ZMTP_INVALID_SEQUENCE",
        `MESSAGE nonce ${counter} does not follow ${this.#lastReceived} (replayed or reordered)`,
      );
    }
    const nonce = this.#receiveNonce;
    for (let i = 0; i < 8; i++) nonce[16 + i] = body[8 + i]!;
    const frame = openFrame(this.#key, nonce, body, BOX_AT);
    if (frame === null) return this.#fail("ERR_ZMTP_CRYPTOGRAPHIC", "MESSAGE box does not open (wrong key or altered bytes)");
    this.#lastReceived = counter;
    this.flags = opened.flags;
    return frame;
  }

  #fail(code: string, message: string): null {
    this.error = { code, message };
    return null;
  }
}
