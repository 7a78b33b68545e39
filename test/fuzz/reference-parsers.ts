// Reference ZMTP 3.x parsers for the fuzz properties: frames from a whole stream at once (sizes as
// bigint) and property lists, written for obviousness rather than speed and independently of
// src/wire, so that the incremental decoder, the mechanisms and the engine can be checked against
// them.
//
//   frame    = flags(1) size(1, or 8 big-endian when flags has 0x02) body(size)  (RFC 23 §Framing)
//   command  = name-len(1) name data                                              (RFC 23 §Commands)
//   property = name-len(1) name value-len(4) value                               (RFC 23 §Metadata)

const latin1 = (data: Uint8Array): string => String.fromCharCode(...data);
const hexOf = (data: Uint8Array): string => Buffer.from(data).toString("hex");

/** Largest body any decoder can hand out: Bun 1.4.5's buffer.kMaxLength, 2^32 bytes. */
export const RUNTIME_BUFFER_LIMIT = 2n ** 32n;

export interface ReferenceFrame {
  flags: number;
  body: Uint8Array;
}

export interface ReferenceParse {
  /** The whole frames, in order, up to the first refused size or the end of the bytes. */
  frames: ReferenceFrame[];
  /** Why parsing stopped for good: a declared size over the limit; null if the bytes simply ran out. */
  error: "EMSGSIZE" | null;
  /** Bytes of the stream the whole frames took (a cut-off last frame is not counted). */
  consumed: number;
}

/**
 * Parses `stream` with `maxFrameSize` as the largest body allowed (-1, or any negative, means only
 * the runtime's limit). A size is judged as soon as its header is complete, before its body has
 * arrived: that is the point of checking it (a peer must not make us wait for, or hold, 4 GiB).
 */
export function referenceFrames(stream: Uint8Array, maxFrameSize: number): ReferenceParse {
  const limit = maxFrameSize >= 0 && BigInt(maxFrameSize) < RUNTIME_BUFFER_LIMIT ? BigInt(maxFrameSize) : RUNTIME_BUFFER_LIMIT;
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  const frames: ReferenceFrame[] = [];
  let at = 0;
  while (at < stream.length) {
    const flags = stream[at]!;
    const long = (flags & 0x02) !== 0;
    const headerSize = long ? 9 : 2;
    if (stream.length - at < headerSize) break;
    const size = long ? view.getBigUint64(at + 1) : BigInt(stream[at + 1]!);
    if (size > limit) return { frames, error: "EMSGSIZE", consumed: at };
    const bodyStart = at + headerSize;
    if (BigInt(stream.length - bodyStart) < size) break;
    const bodyEnd = bodyStart + Number(size);
    frames.push({ flags, body: stream.slice(bodyStart, bodyEnd) });
    at = bodyEnd;
  }
  return { frames, error: null, consumed: at };
}

/**
 * RFC 23's property list (name-len(1) name value-len(4, big-endian) value, repeated), as
 * [name, value as hex] pairs: null if anything is cut short or a name is empty; the first of a
 * repeated name wins, as in libzmq's property map.
 */
export function referenceMetadata(data: Uint8Array): Array<[string, string]> | null {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const properties = new Map<string, string>();
  let at = 0;
  while (at < data.length) {
    const nameLength = data[at]!;
    if (nameLength === 0 || at + 1 + nameLength + 4 > data.length) return null;
    const name = latin1(data.subarray(at + 1, at + 1 + nameLength));
    const valueLength = view.getUint32(at + 1 + nameLength);
    const valueAt = at + 1 + nameLength + 4;
    if (valueAt + valueLength > data.length) return null;
    if (!properties.has(name)) properties.set(name, hexOf(data.subarray(valueAt, valueAt + valueLength)));
    at = valueAt + valueLength;
  }
  return [...properties];
}

/** RFC 23's command body, read by the book; null when name-len is 0 or runs past the body. */
export function referenceCommand(body: Uint8Array): { name: string; data: string } | null {
  const nameLength = body[0];
  if (nameLength === undefined || nameLength === 0 || 1 + nameLength > body.length) return null;
  return { name: latin1(body.subarray(1, 1 + nameLength)), data: hexOf(body.subarray(1 + nameLength)) };
}

/**
 * A handshake command as libzmq reads it: its PLAIN ERROR, "\x05ERROR" with the E eaten by the hex
 * escape, is 5e 'RROR' then the data, recognised by those five bytes before anything else.
 */
export function referenceHandshakeCommand(body: Uint8Array): { name: string; data: string } | null {
  if (latin1(body.subarray(0, 5)) === "^RROR") return { name: "ERROR", data: hexOf(body.subarray(5)) };
  return referenceCommand(body);
}
