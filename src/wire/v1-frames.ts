// ZMTP 1.0 framing (RFC 13, libzmq 2.x): a length that counts the flags byte, 1 byte or 0xFF and an
// 8-byte big-endian length, then a flags byte (bit 0 MORE, no commands, nothing else read), then the
// body. Header encoder and an incremental decoder with FrameDecoder's surface, so the engine reads a
// 1.0 peer as it reads any other. Pure code; imports only its own layer.
//
//   short: length(1, 1..254)           flags(1) body(length - 1)
//   long:  0xFF length(8, uint64 BE)   flags(1) body(length - 1)

import { BodyAssembly } from "./body-assembly.ts";
import { MAX_BUFFER_LENGTH } from "./decoder.ts";
import { FLAG_MORE, readLongSize, writeLongSize } from "./frame.ts";

/** The largest header: 0xFF, the 8-byte length, the flags byte. */
export const V1_MAX_HEADER = 10;

/** Bytes of header `writeV1Header` writes for a body of `bodyLength` bytes. */
export function v1HeaderSize(bodyLength: number): number {
  return bodyLength + 1 < 0xff ? 2 : V1_MAX_HEADER;
}

/**
 * Writes a 1.0 header at `buf[pos]` for a body of `bodyLength` bytes and returns where the body goes.
 * Only FLAG_MORE of `flags` is kept. libzmq's v1 encoder uses the short form below a length of 255,
 * since a length byte of 0xFF announces the long form.
 */
export function writeV1Header(buf: Uint8Array, pos: number, flags: number, bodyLength: number): number {
  const length = bodyLength + 1;
  if (length < 0xff) {
    buf[pos] = length;
    buf[pos + 1] = flags & FLAG_MORE;
    return pos + 2;
  }
  buf[pos] = 0xff;
  writeLongSize(buf, pos + 1, length);
  buf[pos + 9] = flags & FLAG_MORE;
  return pos + V1_MAX_HEADER;
}

/** A whole 1.0 frame in a fresh buffer (the identity frame, tests). */
export function encodeV1Frame(flags: number, body: Uint8Array): Uint8Array {
  const frame = new Uint8Array(v1HeaderSize(body.length) + body.length);
  frame.set(body, writeV1Header(frame, 0, flags, body.length));
  return frame;
}

const EMPTY = new Uint8Array(0);

/**
 * Same contract as FrameDecoder (feed, then `while (next())`, then check `error`), reporting each
 * frame's flags as 3.x flags (MORE only). Invariant: `#header[0, #headerLength)` holds a header
 * split across chunks; `#assembly` a body split across chunks (`#size` bytes, `#pendingFlags`).
 */
export class V1FrameDecoder {
  flags = 0;
  body: Uint8Array = EMPTY;
  error: string | null = null;
  errorCode: "EMSGSIZE" | "EPROTO" | null = null;

  readonly #maxFrameSize: number;
  readonly #limit: number;
  #chunk: Uint8Array = EMPTY;
  #pos = 0;
  readonly #header = new Uint8Array(V1_MAX_HEADER);
  #headerLength = 0;
  #size = -1;
  #pendingFlags = 0;
  readonly #assembly = new BodyAssembly();

  /** `maxFrameSize`: largest body accepted, in bytes; negative means only the Buffer limit. */
  constructor(maxFrameSize: number) {
    this.#maxFrameSize = maxFrameSize;
    this.#limit = maxFrameSize >= 0 ? Math.min(maxFrameSize, MAX_BUFFER_LENGTH) : MAX_BUFFER_LENGTH;
  }

  feed(chunk: Uint8Array, offset = 0): void {
    if (this.error !== null) return;
    this.#chunk = chunk;
    this.#pos = offset;
  }

  next(): boolean {
    if (this.error !== null) return false;
    const chunk = this.#chunk;
    if (this.#size < 0) {
      // Collect the header a byte at a time: it is at most 10 bytes, and may be split anywhere.
      const header = this.#header;
      while (this.#pos < chunk.length) {
        header[this.#headerLength++] = chunk[this.#pos++]!;
        const needed = header[0] === 0xff ? V1_MAX_HEADER : 2;
        // As libzmq, judge the length as soon as it is in, before the flags byte: a zero length
        // (it must count at least the flags byte) or a body over the limit is refused at once.
        if (this.#headerLength === needed - 1) {
          const length = this.#length();
          if (length === 0) return this.#fail("EPROTO", "ZMTP 1.0 frame length of 0 (it counts the flags byte)");
          if (length - 1 > this.#limit) return this.#failSize(length - 1);
        }
        if (this.#headerLength < needed) continue;
        this.#pendingFlags = header[needed - 1]! & FLAG_MORE;
        this.#headerLength = 0;
        this.#size = this.#length() - 1;
        break;
      }
      if (this.#size < 0) return this.#consumed();
    }
    const assembly = this.#assembly;
    const remaining = this.#size - assembly.received;
    const available = chunk.length - this.#pos;
    if (assembly.received === 0 && available >= remaining) {
      this.body = chunk.subarray(this.#pos, this.#pos + remaining);
      this.#pos += remaining;
    } else {
      const take = Math.min(remaining, available);
      assembly.add(chunk.subarray(this.#pos, this.#pos + take), remaining);
      this.#pos += take;
      if (assembly.received < this.#size) return this.#consumed();
      this.body = assembly.join();
    }
    this.flags = this.#pendingFlags;
    this.#size = -1;
    return true;
  }

  /** The length field of the header collected so far (bytes 0, or 1-8 of a long header). */
  #length(): number {
    const header = this.#header;
    return header[0] === 0xff ? readLongSize(header, 1) : header[0]!;
  }

  #consumed(): false {
    this.#chunk = EMPTY;
    this.#pos = 0;
    this.body = EMPTY;
    return false;
  }

  #failSize(size: number): false {
    const max = this.#maxFrameSize;
    const shown = size < Number.MAX_SAFE_INTEGER ? String(size) : "2^53 or more";
    return this.#fail(
      "EMSGSIZE",
      max >= 0 && size > max
        ? `frame of ${shown} bytes exceeds the maximum message size of ${max}`
        : `frame of ${shown} bytes exceeds the largest buffer this runtime can allocate (${MAX_BUFFER_LENGTH})`,
    );
  }

  #fail(code: "EMSGSIZE" | "EPROTO", message: string): false {
    this.error = message;
    this.errorCode = code;
    this.#assembly.clear();
    return this.#consumed();
  }
}
