// ZMTP commands: the generic name + data shape, whole-frame builders for READY, ERROR, SUBSCRIBE,
// CANCEL, PING and PONG, and parsers for the command data the engine interprets.
// Pure code over Uint8Array; imports only src/core.
//
//   command body = name-len(1, 1..255) name(ASCII) data       (RFC 23 §"Commands", zmtp-notes §2.2)
//   READY     data = metadata                                   (zmtp-notes §3.2)
//   ERROR     data = reason-len(1) reason(0..255)               (zmtp-notes §3.5)
//   SUBSCRIBE data = topic; CANCEL data = topic                 (RFC 37, zmtp-notes §4.1)
//   PING      data = ttl(2, uint16 BE, deciseconds) context(0..16); PONG data = context (§4.2)
//   JOIN      data = group; LEAVE data = group (RFC 48; the bodies are core/group-command.ts's)

import { ZmqError } from "../core/errors.ts";
import { FLAG_COMMAND, frameHeaderSize, writeFrameHeader } from "./frame.ts";
import { encodeMetadata } from "./metadata.ts";

export interface Command {
  /** The command name exactly as received, e.g. "READY", "PING". */
  name: string;
  /** Everything after the name: a view into the frame body, not a copy. */
  data: Uint8Array;
}

/** RFC 37: "The context MAY be up to 16 octets"; libzmq truncates longer ones when echoing. */
export const MAX_PING_CONTEXT = 16;
/** The reason field of ERROR has a 1-byte length. */
export const MAX_ERROR_REASON = 255;
/** libzmq's ZMQ_HEARTBEAT_TTL ceiling once stored as deciseconds (zmtp-notes §4.2). */
const MAX_TTL_DECISECONDS = 0xffff;

const EMPTY = new Uint8Array(0);
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

/**
 * Splits a command frame body into name and data. Returns null for a malformed body: empty, a
 * zero name-length, or a name running past the end. `data` is a view (a Buffer if `body` is one).
 */
export function parseCommand(body: Uint8Array): Command | null {
  if (body.length === 0) return null;
  const nameLength = body[0]!;
  if (nameLength === 0 || 1 + nameLength > body.length) return null;
  let name = "";
  for (let i = 1; i <= nameLength; i++) name += String.fromCharCode(body[i]!);
  return { name, data: body.subarray(1 + nameLength) };
}

/**
 * libzmq (4.3.x and later) spells its PLAIN ERROR prefix as the C literal "\x05ERROR", in which the hex
 * escape swallows the "E": the body it sends and expects is 5e 'RROR' reason-len reason, with no
 * name-length byte. Observed from libzmq 4.3.4: `04 09 5e 52 52 4f 52 03 34 30 30` for status 400.
 */
const LIBZMQ_PLAIN_ERROR_PREFIX = [0x5e, 0x52, 0x52, 0x4f, 0x52] as const;

/**
 * `parseCommand` for handshake frames, which also reads libzmq's misspelt PLAIN ERROR as an ERROR
 * command (a libzmq-compatibility shim; see LIBZMQ_PLAIN_ERROR_PREFIX). The prefix is tested
 * first, as libzmq tests it: read as name-len, its 0x5e would take a body of 95 bytes or more (a
 * reason of 89 or more) for a 94-character command name.
 */
export function parseHandshakeCommand(body: Uint8Array): Command | null {
  if (hasLibzmqPlainErrorPrefix(body)) return { name: "ERROR", data: body.subarray(LIBZMQ_PLAIN_ERROR_PREFIX.length) };
  return parseCommand(body);
}

function hasLibzmqPlainErrorPrefix(body: Uint8Array): boolean {
  if (body.length < LIBZMQ_PLAIN_ERROR_PREFIX.length) return false;
  for (let i = 0; i < LIBZMQ_PLAIN_ERROR_PREFIX.length; i++) if (body[i] !== LIBZMQ_PLAIN_ERROR_PREFIX[i]) return false;
  return true;
}

/**
 * ERROR in libzmq's PLAIN spelling (5e 'RROR' reason-len reason), the only one a libzmq PLAIN client
 * recognises: it reports the RFC spelling as an unexpected command instead of an auth failure.
 * `reason` is ASCII of at most 255 characters (a ZAP status such as "400").
 */
export function encodeLibzmqPlainError(reason: string): Uint8Array {
  const prefix = LIBZMQ_PLAIN_ERROR_PREFIX.length;
  const bodyLength = prefix + 1 + reason.length;
  const frame = new Uint8Array(frameHeaderSize(bodyLength) + bodyLength);
  let pos = writeFrameHeader(frame, 0, FLAG_COMMAND, bodyLength);
  frame.set(LIBZMQ_PLAIN_ERROR_PREFIX, pos);
  pos += prefix;
  frame[pos++] = reason.length;
  for (let i = 0; i < reason.length; i++) frame[pos++] = reason.charCodeAt(i);
  return frame;
}

/**
 * A whole command frame: flags 0x04 (0x06 with a long size, body > 255 bytes), size, name-len,
 * name, data. `name` must be 1..255 printable ASCII characters, else this throws `EINVAL`.
 */
export function encodeCommand(name: string, data: Uint8Array = EMPTY): Uint8Array {
  checkName(name);
  const bodyLength = 1 + name.length + data.length;
  const frame = new Uint8Array(frameHeaderSize(bodyLength) + bodyLength);
  // writeFrameHeader picks LONG from the real body length, so a SUBSCRIBE for a 246-255 byte
  // topic gets a correct long header; libzmq 4.3.4 got this wrong (zmtp-notes §0 item 6).
  let pos = writeFrameHeader(frame, 0, FLAG_COMMAND, bodyLength);
  frame[pos++] = name.length;
  for (let i = 0; i < name.length; i++) frame[pos++] = name.charCodeAt(i);
  frame.set(data, pos);
  return frame;
}

/**
 * A command frame around a body already laid out (name-len, name, data): JOIN and LEAVE, whose
 * bodies the DISH builds (core/group-command.ts). The body is not checked here.
 */
export function encodeCommandFrame(body: Uint8Array): Uint8Array {
  const frame = new Uint8Array(frameHeaderSize(body.length) + body.length);
  frame.set(body, writeFrameHeader(frame, 0, FLAG_COMMAND, body.length));
  return frame;
}

/** READY with `properties` in the given order (NULL mechanism handshake, zmtp-notes §3.2). */
export function encodeReady(properties: ReadonlyArray<readonly [string, Uint8Array]>): Uint8Array {
  return encodeCommand("READY", encodeMetadata(properties));
}

/**
 * ERROR with `reason` as UTF-8, cut to the 255 bytes the length field allows. The cut backs off to
 * a character boundary so the peer never sees half a UTF-8 sequence.
 */
export function encodeError(reason: string): Uint8Array {
  let bytes = utf8Encoder.encode(reason);
  if (bytes.length > MAX_ERROR_REASON) {
    let cut = MAX_ERROR_REASON;
    while (cut > 0 && (bytes[cut]! & 0xc0) === 0x80) cut--;
    bytes = bytes.subarray(0, cut);
  }
  const data = new Uint8Array(1 + bytes.length);
  data[0] = bytes.length;
  data.set(bytes, 1);
  return encodeCommand("ERROR", data);
}

/** SUBSCRIBE for `topic` (an empty topic subscribes to everything). ZMTP 3.1 peers only. */
export function encodeSubscribe(topic: Uint8Array): Uint8Array {
  return encodeCommand("SUBSCRIBE", topic);
}

/** CANCEL for `topic`. ZMTP 3.1 peers only; 3.0 peers get a legacy `0x00`-prefixed data frame. */
export function encodeCancel(topic: Uint8Array): Uint8Array {
  return encodeCommand("CANCEL", topic);
}

/**
 * PING with a TTL in deciseconds and up to 16 bytes of `context` (longer is cut). The 2 TTL bytes
 * are always written: libzmq reads them unconditionally (zmtp-notes §4.2). A fractional TTL is
 * truncated and the value clamped to 0..65535, matching how libzmq stores ZMQ_HEARTBEAT_TTL.
 */
export function encodePing(ttlDeciseconds: number, context: Uint8Array): Uint8Array {
  const ttl = ttlDeciseconds > 0 ? Math.min(Math.trunc(ttlDeciseconds), MAX_TTL_DECISECONDS) : 0;
  const contextLength = Math.min(context.length, MAX_PING_CONTEXT);
  const data = new Uint8Array(2 + contextLength);
  data[0] = ttl >>> 8;
  data[1] = ttl;
  data.set(context.subarray(0, contextLength), 2);
  return encodeCommand("PING", data);
}

/** PONG echoing a PING's `context`, cut to 16 bytes as libzmq does (zmtp-notes §0 item 9). */
export function encodePong(context: Uint8Array): Uint8Array {
  return encodeCommand("PONG", context.subarray(0, MAX_PING_CONTEXT));
}

/**
 * The reason text of an ERROR command's data, decoded as UTF-8, or null when the data is empty
 * or reason-len runs past its end. Bytes after the reason are ignored, as libzmq ignores them.
 */
export function parseErrorReason(data: Uint8Array): string | null {
  if (data.length === 0) return null;
  const length = data[0]!;
  if (length > data.length - 1) return null;
  return utf8Decoder.decode(data.subarray(1, 1 + length));
}

/**
 * TTL (deciseconds) and context of a PING command's data, or null when the 2 TTL bytes are
 * missing. `context` is a view and is not cut here: `encodePong` cuts it to 16 bytes.
 */
export function parsePing(data: Uint8Array): { ttl: number; context: Uint8Array } | null {
  if (data.length < 2) return null;
  return { ttl: (data[0]! << 8) | data[1]!, context: data.subarray(2) };
}

function checkName(name: string): void {
  if (name.length === 0 || name.length > 255) {
    throw new ZmqError("EINVAL", `ZMTP command name must be 1-255 characters, got ${name.length}`);
  }
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code < 0x21 || code > 0x7e) {
      throw new ZmqError("EINVAL", `ZMTP command name must be printable ASCII, got ${JSON.stringify(name)}`);
    }
  }
}
