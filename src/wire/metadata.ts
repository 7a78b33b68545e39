// ZMTP metadata: the property list carried by READY (and by PLAIN/CURVE's INITIATE and READY).
// Pure code over Uint8Array; imports only src/core.
//
//   metadata = *property
//   property = name-len(1, 1..255) name(ASCII) value-len(4, uint32 BE) value(value-len)

import { ZmqError } from "../core/errors.ts";

/** Largest value-len libzmq accepts (it reads the field as a signed 32-bit length). */
const MAX_VALUE_LENGTH = 0x7fffffff;

/**
 * Encodes `properties` in the order given, which is the order libzmq sends them in
 * (`Socket-Type`, then `Identity`, then `X-` application properties; zmtp-notes §3.2).
 * Throws `EINVAL` for a name that is empty, longer than 255 characters or not printable ASCII,
 * and for a value longer than 2^31 - 1 bytes: those are programming errors, not peer input.
 */
export function encodeMetadata(properties: ReadonlyArray<readonly [string, Uint8Array]>): Uint8Array {
  let size = 0;
  for (const [name, value] of properties) {
    checkName(name);
    if (value.length > MAX_VALUE_LENGTH) {
      throw new ZmqError("EINVAL", `ZMTP metadata value for ${name} is ${value.length} bytes; the limit is 2^31 - 1`);
    }
    size += 1 + name.length + 4 + value.length;
  }
  const out = new Uint8Array(size);
  let pos = 0;
  for (const [name, value] of properties) {
    out[pos++] = name.length;
    for (let i = 0; i < name.length; i++) out[pos++] = name.charCodeAt(i);
    const length = value.length;
    out[pos] = length >>> 24;
    out[pos + 1] = length >>> 16;
    out[pos + 2] = length >>> 8;
    out[pos + 3] = length;
    out.set(value, pos + 4);
    pos += 4 + length;
  }
  return out;
}

/**
 * Parses a property list. Returns null when it is malformed: a property cut short, bytes left over
 * that do not form a whole property (libzmq: EPROTO, zmtp-notes §3.3), or a zero-length name
 * (RFC 23: "name-length = OCTET ; 1 to 255").
 *
 * Names keep the exact case received: libzmq matches `Socket-Type` and `Identity` case-sensitively
 * and so does the engine. On a repeated name the first value wins, as in libzmq's property map.
 * Values are views into `data` (no copy), so they live as long as the frame they came from.
 */
export function parseMetadata(data: Uint8Array): Map<string, Uint8Array> | null {
  const properties = new Map<string, Uint8Array>();
  const end = data.length;
  let pos = 0;
  while (pos < end) {
    const nameLength = data[pos]!;
    if (nameLength === 0) return null;
    const nameEnd = pos + 1 + nameLength;
    if (nameEnd + 4 > end) return null;
    let name = "";
    for (let i = pos + 1; i < nameEnd; i++) name += String.fromCharCode(data[i]!);
    const valueLength = ((data[nameEnd]! << 24) | (data[nameEnd + 1]! << 16) | (data[nameEnd + 2]! << 8) | data[nameEnd + 3]!) >>> 0;
    const valueStart = nameEnd + 4;
    if (valueLength > end - valueStart) return null;
    if (!properties.has(name)) properties.set(name, data.subarray(valueStart, valueStart + valueLength));
    pos = valueStart + valueLength;
  }
  return properties;
}

function checkName(name: string): void {
  if (name.length === 0 || name.length > 255) {
    throw new ZmqError("EINVAL", `ZMTP metadata name must be 1-255 characters, got ${name.length}`);
  }
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code < 0x21 || code > 0x7e) {
      throw new ZmqError("EINVAL", `ZMTP metadata name must be printable ASCII, got ${JSON.stringify(name)}`);
    }
  }
}
