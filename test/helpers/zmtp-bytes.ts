// Hand-built ZMTP 3.x bytes for raw-peer tests (zmtp-notes §1.1, §2, §3.2). Deliberately independent of
// src/wire so that a bug there cannot hide in both the sender and the checker. Imports nothing from src.

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

export function concat(...parts: Array<Uint8Array | readonly number[]>): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export interface GreetingOptions {
  mechanism?: string;
  major?: number;
  minor?: number;
  /** Replace byte 0 (0xFF) of the signature. */
  signatureStart?: number;
  /** Replace byte 9 (0x7F) of the signature. */
  signatureEnd?: number;
}

/**
 * The 64-byte greeting: ff, 8 padding bytes (libzmq sends 00..01), 7f, major, minor,
 * 20-byte NUL-padded mechanism, as-server 00, 31 filler zeros.
 */
export function greeting(options: GreetingOptions = {}): Uint8Array {
  const { mechanism = "NULL", major = 3, minor = 1, signatureStart = 0xff, signatureEnd = 0x7f } = options;
  const out = new Uint8Array(64);
  out[0] = signatureStart;
  out[8] = 0x01;
  out[9] = signatureEnd;
  out[10] = major;
  out[11] = minor;
  out.set(ascii(mechanism).subarray(0, 20), 12);
  return out;
}

export interface FrameOptions {
  more?: boolean;
  command?: boolean;
  /** Force the 8-byte size field even for bodies under 256 bytes. */
  long?: boolean;
}

/** One frame: flags (MORE 0x01, LONG 0x02, COMMAND 0x04), 1- or 8-byte big-endian size, body. */
export function frame(body: Uint8Array | string, options: FrameOptions = {}): Uint8Array {
  const bytes = typeof body === "string" ? ascii(body) : body;
  const long = options.long === true || bytes.length > 255;
  const flags = (options.more ? 0x01 : 0) | (long ? 0x02 : 0) | (options.command ? 0x04 : 0);
  return concat(frameHeader(flags, bytes.length), bytes);
}

/** A bare frame header, for announcing sizes the body will never match (truncation, 2^62 ...). */
export function frameHeader(flags: number, size: number | bigint): Uint8Array {
  if ((flags & 0x02) === 0) return Uint8Array.of(flags, Number(size));
  const out = new Uint8Array(9);
  out[0] = flags;
  new DataView(out.buffer).setBigUint64(1, BigInt(size), false);
  return out;
}

/** A data message: every frame but the last carries MORE. */
export function message(...frames: Array<Uint8Array | string>): Uint8Array {
  return concat(...frames.map((f, i) => frame(f, { more: i < frames.length - 1 })));
}

/** A command frame: name-length, name, data. */
export function command(name: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const nameBytes = ascii(name);
  return frame(concat([nameBytes.length], nameBytes, data), { command: true });
}

/** READY metadata: name-length(1) name value-length(4, BE) value, per property, in order. */
export function metadata(properties: ReadonlyArray<readonly [string, string | Uint8Array]>): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [name, value] of properties) {
    const nameBytes = ascii(name);
    const valueBytes = typeof value === "string" ? ascii(value) : value;
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, valueBytes.length, false);
    parts.push(concat([nameBytes.length], nameBytes, length, valueBytes));
  }
  return concat(...parts);
}

/** READY with the given properties; `ready("PUSH")` is `04 1a 05 READY 0b Socket-Type 00 00 00 04 PUSH`. */
export function ready(socketTypeOrProperties: string | ReadonlyArray<readonly [string, string | Uint8Array]>) {
  const properties =
    typeof socketTypeOrProperties === "string" ? ([["Socket-Type", socketTypeOrProperties]] as const) : socketTypeOrProperties;
  return command("READY", metadata(properties));
}

export interface ParsedFrame {
  flags: number;
  size: number;
  body: Uint8Array;
  /** Offset just past this frame. */
  end: number;
}

/** Parses the frame at `offset`, or returns null when `bytes` does not hold all of it yet. */
export function parseFrameAt(bytes: Uint8Array, offset: number): ParsedFrame | null {
  if (bytes.length < offset + 2) return null;
  const flags = bytes[offset]!;
  let size: number;
  let bodyStart: number;
  if ((flags & 0x02) !== 0) {
    if (bytes.length < offset + 9) return null;
    size = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(offset + 1, false));
    bodyStart = offset + 9;
  } else {
    size = bytes[offset + 1]!;
    bodyStart = offset + 2;
  }
  if (bytes.length < bodyStart + size) return null;
  return { flags, size, body: bytes.subarray(bodyStart, bodyStart + size), end: bodyStart + size };
}

/** The command name of a command frame body, e.g. "READY". */
export function commandName(body: Uint8Array): string {
  return new TextDecoder().decode(body.subarray(1, 1 + body[0]!));
}

/** Hex dump for failure messages. */
export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
}
