// ZMTP 3.x frame header: the flags byte and the 1- or 8-byte size in front of every frame body.
// Pure code over Uint8Array; imports nothing.
//
// Layout (RFC 23/ZMTP §"Framing", zmtp-notes §2.1):
//   short frame: flags(1) size(1)                body(size)   for bodies of 0..255 bytes
//   long frame:  flags(1) size(8, uint64 BE)     body(size)   flags has FLAG_LONG
//   flags bit 0 MORE, bit 1 LONG, bit 2 COMMAND, bits 3-7 reserved (sent as 0, ignored on receipt)

/** Another frame of the same message follows. Never set on commands. */
export const FLAG_MORE = 0x01;
/** The size field is 8 bytes (uint64 BE) instead of 1. */
export const FLAG_LONG = 0x02;
/** The frame is a command (name-length, name, data), not message data. */
export const FLAG_COMMAND = 0x04;

/** Largest body a short (1-byte size) header can describe. */
export const MAX_SHORT_BODY = 255;

const TWO_POW_32 = 4294967296;

/**
 * Bytes of header `writeFrameHeader` will write for a body of `bodyLength` bytes: 2 if it fits in
 * a short frame, else 9. Callers use it to reserve space in an output batch before writing.
 */
export function frameHeaderSize(bodyLength: number): number {
  return bodyLength <= MAX_SHORT_BODY ? 2 : 9;
}

/**
 * Writes the frame header for a body of `bodyLength` bytes at `buf[pos]` and returns the position
 * where the body goes. `flags` carries only FLAG_MORE / FLAG_COMMAND; FLAG_LONG is added here iff
 * the body exceeds 255 bytes. The caller guarantees `frameHeaderSize(bodyLength)` bytes of room
 * and `0 <= bodyLength < 2^53`.
 *
 * Hot path (one call per outgoing frame): no allocation, the 8-byte size is written by hand.
 */
export function writeFrameHeader(buf: Uint8Array, pos: number, flags: number, bodyLength: number): number {
  // RFC 23: "SHALL use the short frame format for frames of 255 octets or less"; libzmq switches to
  // LONG at 256 exactly (zmtp-notes §2.3), and so do we.
  if (bodyLength <= MAX_SHORT_BODY) {
    buf[pos] = flags;
    buf[pos + 1] = bodyLength;
    return pos + 2;
  }
  buf[pos] = flags | FLAG_LONG;
  writeLongSize(buf, pos + 1, bodyLength);
  return pos + 9;
}

/** Writes `size` as 8 bytes big-endian at `buf[pos..pos+8)` (ZMTP 3.x and 1.0 long lengths). */
export function writeLongSize(buf: Uint8Array, pos: number, size: number): void {
  // Split into two 32-bit halves: bitwise operators only see 32 bits, and sizes stay below 2^53,
  // so `hi` is below 2^21. Typed-array stores keep the low 8 bits, so no masking is needed.
  const hi = Math.floor(size / TWO_POW_32);
  const lo = size >>> 0;
  buf[pos] = hi >>> 24;
  buf[pos + 1] = hi >>> 16;
  buf[pos + 2] = hi >>> 8;
  buf[pos + 3] = hi;
  buf[pos + 4] = lo >>> 24;
  buf[pos + 5] = lo >>> 16;
  buf[pos + 6] = lo >>> 8;
  buf[pos + 7] = lo;
}

/**
 * Reads the 8-byte big-endian size of a long frame at `buf[pos..pos+8)`. Sizes of 2^53 and above
 * come back inexact but still at least 2^53, which is enough for the caller to reject them.
 */
export function readLongSize(buf: Uint8Array, pos: number): number {
  const hi = ((buf[pos]! << 24) | (buf[pos + 1]! << 16) | (buf[pos + 2]! << 8) | buf[pos + 3]!) >>> 0;
  const lo = ((buf[pos + 4]! << 24) | (buf[pos + 5]! << 16) | (buf[pos + 6]! << 8) | buf[pos + 7]!) >>> 0;
  return hi * TWO_POW_32 + lo;
}

/**
 * A whole frame (header + copy of `body`) in a fresh buffer. For commands, handshakes and tests;
 * the data path writes headers straight into its output batch with `writeFrameHeader`.
 */
export function encodeFrame(flags: number, body: Uint8Array): Uint8Array {
  const frame = new Uint8Array(frameHeaderSize(body.length) + body.length);
  frame.set(body, writeFrameHeader(frame, 0, flags, body.length));
  return frame;
}
