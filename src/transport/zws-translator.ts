// ZWS 2.0 (RFC 45) to ZMTP and back: each frame the ZMTP engine writes becomes one binary WebSocket
// message (a flags byte, then the body), and each message received becomes a ZMTP frame again, so
// the engine's handshake, mechanisms, heartbeats and back-pressure run unchanged over WebSocket.
// Pure code, no I/O. Imports wire and core.

import { ZmqError } from "../core/errors.ts";
import { encodeReady, parseCommand } from "../wire/command.ts";
import { FrameDecoder } from "../wire/decoder.ts";
import { FLAG_COMMAND, FLAG_MORE, frameHeaderSize, writeFrameHeader } from "../wire/frame.ts";
import { encodeGreeting, GREETING_SIZE } from "../wire/greeting.ts";
import { parseMetadata } from "../wire/metadata.ts";

/**
 * How the connection's subprotocol chose its mechanism: `ZWS2.0/NULL`, `/PLAIN` or `/CURVE` run that
 * mechanism's ZMTP handshake; `bare` (plain `ZWS2.0`, as jszmq and browsers speak it) has no handshake
 * at all: each side's first message is its routing id (libzmq ws_engine's routing_id_msg).
 */
export type ZwsMode = "NULL" | "PLAIN" | "CURVE" | "bare";

export interface ZwsPorts {
  /** One WebSocket binary message, flags byte first. The translator does not touch it afterwards. */
  send(message: Uint8Array): void;
  /** Sends a WebSocket ping in place of a ZMTP PING; false where the channel has none (browsers). */
  ping(): boolean;
  /** ZMTP bytes for the engine, in order; retained by the receiver. */
  deliver(chunk: Uint8Array): void;
}

/** RFC 45: bit 0 of the flags byte is MORE, bit 1 COMMAND; the other bits are reserved. */
const ZWS_MORE = 0x01;
const ZWS_COMMAND = 0x02;
const EMPTY = new Uint8Array(0);
const PING_PREFIX = [4, 0x50, 0x49, 0x4e, 0x47]; // "\x04PING"
/** Bodies at least this long reach the engine as a header chunk and a view, not a copy. */
const VIEW_BODY_BYTES = 4096;
/**
 * The peer type a bare `ZWS2.0` connection stands for: it announces none, so the engine's READY
 * check gets one that fits. Any fitting type behaves the same from this side.
 */
const FITTING_PEER: Record<string, string> = {
  PAIR: "PAIR",
  PUB: "SUB",
  SUB: "PUB",
  XPUB: "SUB",
  XSUB: "PUB",
  REQ: "REP",
  REP: "REQ",
  DEALER: "DEALER",
  ROUTER: "DEALER",
  PUSH: "PULL",
  PULL: "PUSH",
};

export class ZwsTranslator {
  readonly #mode: ZwsMode;
  readonly #ports: ZwsPorts;
  /** Bytes of our own greeting still to swallow: ZWS 2.0 has no greeting, the subprotocol replaces it. */
  #greetingLeft = GREETING_SIZE;
  readonly #frames = new FrameDecoder(-1);
  /** Bare mode: our READY's Socket-Type, once it went by; until then received messages wait here. */
  #ourType: string | null = null;
  #held: Uint8Array[] = [];
  #peerIdentified = false;

  constructor(mode: ZwsMode, ports: ZwsPorts) {
    this.#mode = mode;
    this.#ports = ports;
  }

  get mode(): ZwsMode {
    return this.#mode;
  }

  /**
   * The greeting the engine expects from its peer, made up from the subprotocol: its mechanism, and
   * version 3.0, so that subscriptions travel as messages (libzmq's ws engine drops SUBSCRIBE
   * commands). as-server stays 0: neither libzmq nor our handshake reads it (zmtp-notes §0.1).
   */
  peerGreeting(): Uint8Array {
    const greeting = encodeGreeting(this.#mode === "bare" ? "NULL" : this.#mode, false);
    greeting[11] = 0;
    return greeting;
  }

  /** The engine's ZMTP bytes; sends each complete frame. Throws EPROTO on bytes that are not ZMTP. */
  outbound(data: Uint8Array, offset: number, length: number): void {
    let pos = offset;
    const end = offset + length;
    // The engine may write its greeting in parts (libzmq's staging); all 64 bytes are ours to drop.
    if (this.#greetingLeft > 0) {
      const skip = Math.min(this.#greetingLeft, length);
      this.#greetingLeft -= skip;
      pos += skip;
    }
    if (pos === end) return;
    const frames = this.#frames;
    frames.feed(data.subarray(pos, end));
    while (frames.next()) this.#sendFrame(frames.flags, frames.body);
    if (frames.error !== null) throw new ZmqError("EPROTO", `ws: the engine wrote bytes that are not ZMTP frames: ${frames.error}`);
  }

  /** One received binary message. Returns why it is malformed, or null. */
  inbound(message: Uint8Array): string | null {
    // libzmq's ws decoder refuses an empty binary message: it has no flags byte.
    if (message.length === 0) return "an empty binary message (ZWS 2.0 needs a flags byte)";
    const flags = message[0]!;
    const body = message.subarray(1);
    // libzmq 4.3.5 sends its heartbeat PING, and its answer to a WebSocket ping, as an empty command.
    if ((flags & ZWS_COMMAND) !== 0 && body.length === 0) {
      this.#ports.deliver(EMPTY);
      return null;
    }
    if (this.#mode === "bare" && !this.#peerIdentified) {
      if (this.#ourType === null) {
        this.#held.push(message);
        return null;
      }
      this.#peerIdentified = true;
      const peerType = FITTING_PEER[this.#ourType] ?? this.#ourType;
      // A whole READY frame, as if the peer had sent it.
      this.#ports.deliver(
        encodeReady([
          ["Socket-Type", new TextEncoder().encode(peerType)],
          ["Identity", body],
        ]),
      );
      return null;
    }
    this.#deliverFrame((flags & ZWS_MORE) | ((flags & ZWS_COMMAND) !== 0 ? FLAG_COMMAND : 0), body);
    return null;
  }

  #deliverFrame(flags: number, body: Uint8Array): void {
    const headerSize = frameHeaderSize(body.length);
    if (body.length >= VIEW_BODY_BYTES) {
      const header = new Uint8Array(headerSize);
      writeFrameHeader(header, 0, flags, body.length);
      this.#ports.deliver(header);
      this.#ports.deliver(body);
      return;
    }
    const frame = new Uint8Array(headerSize + body.length);
    writeFrameHeader(frame, 0, flags, body.length);
    frame.set(body, headerSize);
    this.#ports.deliver(frame);
  }

  #sendFrame(flags: number, body: Uint8Array): void {
    const command = (flags & FLAG_COMMAND) !== 0;
    if (command && isPing(body) && this.#ports.ping()) return;
    if (command && this.#mode === "bare" && this.#bareCommand(body)) return;
    const message = new Uint8Array(1 + body.length);
    message[0] = (flags & FLAG_MORE) | (command ? ZWS_COMMAND : 0);
    message.set(body, 1);
    this.#ports.send(message);
  }

  /**
   * Bare mode has no handshake: our READY turns into our routing id, and other commands but PING
   * and PONG are dropped, since a bare peer (jszmq) would read them as messages. True when handled.
   */
  #bareCommand(body: Uint8Array): boolean {
    const command = parseCommand(body);
    if (command === null || command.name === "PING" || command.name === "PONG") return false;
    if (command.name === "READY" && this.#ourType === null) {
      const properties = parseMetadata(command.data);
      this.#ourType = new TextDecoder().decode(properties?.get("Socket-Type") ?? EMPTY);
      const identity = properties?.get("Identity") ?? EMPTY;
      const message = new Uint8Array(1 + identity.length);
      message.set(identity, 1);
      this.#ports.send(message);
      const held = this.#held;
      this.#held = [];
      for (const early of held) this.inbound(early);
    }
    return true;
  }
}

function isPing(body: Uint8Array): boolean {
  if (body.length < PING_PREFIX.length) return false;
  for (let i = 0; i < PING_PREFIX.length; i++) if (body[i] !== PING_PREFIX[i]) return false;
  return true;
}
