// The ZMTP greeting as libzmq 4.x exchanges it: staged (signature, then major, then the rest) so that
// it can tell, byte by byte, which protocol the peer speaks: ZMTP 1.0 (no greeting at all), 2.0 (a
// 12-byte greeting) or 3.x (64 bytes). Encoders for each piece and an incremental parser that never
// refuses: every byte sequence is some peer's (zmtp-notes §1.2-1.3). Pure code; imports only core.
//
// Layout (RFC 23/37, RFC 15 for 2.0):
//   0     0xFF              signature[0]; anything else: a ZMTP 1.0 peer's first frame
//   1-8   padding           uint64 BE routing-id length + 1 (a 1.0 peer reads 0-9 as a frame header)
//   9     0x7F              signature[9]; low bit clear: a 1.0 peer (this was its flags byte)
//   10    revision/major    0: 1.0 with a greeting, 1: 2.0, 3: 3.x, any other: read as 3.1
//   11    socket type       2.0 and revision 0 only: the peer's socket type number; end of greeting
//   11    minor             3.x: 0 or 1
//   12-31 mechanism         3.x: ASCII, NUL-padded to 20 bytes
//   32    as-server         3.x: 1/0; libzmq always sends 0 and never reads it
//   33-63 filler            3.x: zeros; never validated

import { ZmqError } from "../core/errors.ts";

export const GREETING_SIZE = 64;
/** Bytes 0-9, the first piece each side sends before it knows anything of the other. */
export const SIGNATURE_SIZE = 10;
/** A ZMTP 2.0 greeting: signature, revision, socket type. */
export const LEGACY_GREETING_SIZE = 12;
/** The major version byte libzmq 4.x (and we) put at offset 10. */
export const MAJOR_VERSION = 3;

const MECHANISM_OFFSET = 12;
const MECHANISM_SIZE = 20;
const AS_SERVER_OFFSET = 32;

export interface Greeting {
  /** 1 (ZMTP 1.0, with or without a greeting), 2 (ZMTP 2.0) or 3 (every 3.x and later revision). */
  major: number;
  /** 3.x: 0 → ZMTP 3.0 rules (legacy subscriptions), ≥ 1 → 3.1 rules; 0 for 1.0 and 2.0 peers. */
  minor: number;
  /** 3.x: the 20-byte mechanism field without its trailing NULs, e.g. "NULL"; "" for older peers. */
  mechanism: string;
  /** The peer's as-server byte (3.x). Informational only: libzmq always sends 0 (zmtp-notes §0 item 1). */
  asServer: boolean;
  /** A ZMTP 1.0 peer that sent no greeting: the bytes taken (`replay`) begin its identity frame. */
  unversioned: boolean;
  /** The socket type number a ZMTP 2.0 (or revision-0 1.0) peer announced at byte 11; -1 otherwise. */
  socketType: number;
}

/**
 * The signature. libzmq pads it with the routing id's length + 1 so that a ZMTP 1.0 peer reads these
 * 10 bytes as the header of a long identity frame (flags 0x7F) whose body is our routing id.
 */
export function encodeSignature(routingIdLength: number): Uint8Array {
  const signature = new Uint8Array(SIGNATURE_SIZE);
  signature[0] = 0xff;
  new DataView(signature.buffer).setBigUint64(1, BigInt(routingIdLength + 1), false);
  signature[9] = 0x7f;
  return signature;
}

/**
 * Bytes 11-63 of a 3.x greeting, sent once the peer's revision says it speaks 3.x. `mechanism` is
 * 1..20 printable ASCII characters ("NULL", "PLAIN", "CURVE"); anything else throws `EINVAL`.
 */
export function encodeGreetingTail(mechanism: string, asServer: boolean): Uint8Array {
  if (mechanism.length === 0 || mechanism.length > MECHANISM_SIZE) {
    throw new ZmqError("EINVAL", `ZMTP mechanism name must be 1-20 characters, got ${JSON.stringify(mechanism)}`);
  }
  const tail = new Uint8Array(GREETING_SIZE - SIGNATURE_SIZE - 1);
  const base = SIGNATURE_SIZE + 1;
  tail[11 - base] = 1;
  for (let i = 0; i < mechanism.length; i++) {
    const code = mechanism.charCodeAt(i);
    if (code < 0x21 || code > 0x7e) {
      throw new ZmqError("EINVAL", `ZMTP mechanism name must be printable ASCII, got ${JSON.stringify(mechanism)}`);
    }
    tail[MECHANISM_OFFSET - base + i] = code;
  }
  tail[AS_SERVER_OFFSET - base] = asServer ? 1 : 0;
  return tail;
}

/** The whole 64-byte 3.1 greeting (signature, major, tail), as a peer that does not stage it sends it. */
export function encodeGreeting(mechanism: string, asServer: boolean, routingIdLength = 0): Uint8Array {
  const greeting = new Uint8Array(GREETING_SIZE);
  greeting.set(encodeSignature(routingIdLength), 0);
  greeting[SIGNATURE_SIZE] = MAJOR_VERSION;
  greeting.set(encodeGreetingTail(mechanism, asServer), SIGNATURE_SIZE + 1);
  return greeting;
}

/**
 * Reads a peer's greeting however the stream chunks it, deciding the protocol as soon as the bytes
 * allow (libzmq's receive_greeting): byte 0 or 9 can reveal a greeting-less 1.0 peer, byte 10 fixes
 * the greeting's length (12 or 64). The engine watches `received` and `revision` to send its own
 * greeting's next piece (zmtp-notes §1.2).
 *
 * Invariant: `received` bytes are in `#bytes[0, received)`; once `done`, `feed` consumes nothing.
 */
export class GreetingParser {
  #bytes = new Uint8Array(GREETING_SIZE);
  #received = 0;
  /** 12 or 64 once byte 10 arrived; until then the most it could be. */
  #size = GREETING_SIZE;
  #greeting: Greeting | null = null;

  /** True once the greeting is complete (or the peer turned out to have none); `greeting` is then set. */
  get done(): boolean {
    return this.#greeting !== null;
  }

  get greeting(): Greeting | null {
    return this.#greeting;
  }

  /** Greeting bytes taken so far. */
  get received(): number {
    return this.#received;
  }

  /** The peer's byte 10 once it arrived (a versioned peer); -1 before. */
  get revision(): number {
    return this.#received > SIGNATURE_SIZE ? this.#bytes[SIGNATURE_SIZE]! : -1;
  }

  /** For a greeting-less (unversioned) peer: the bytes taken, which are the start of its first frame. */
  replay(): Uint8Array {
    return this.#bytes.slice(0, this.#received);
  }

  /**
   * Consumes greeting bytes from `chunk[offset..]`, never more than the greeting needs, and returns
   * how many it took; the rest of the chunk (the first frames) belongs to the caller.
   */
  feed(chunk: Uint8Array, offset: number): number {
    let pos = offset;
    while (this.#greeting === null && pos < chunk.length) {
      const at = this.#received;
      if (at > SIGNATURE_SIZE) {
        // Past the revision nothing is judged: take the rest of the greeting in one copy.
        const take = Math.min(this.#size - at, chunk.length - pos);
        this.#bytes.set(chunk.subarray(pos, pos + take), at);
        pos += take;
        this.#received += take;
      } else {
        const value = chunk[pos++]!;
        this.#bytes[at] = value;
        this.#received++;
        // libzmq's test: a first byte other than 0xFF, or a byte 9 with its low bit clear, is a
        // 1.0 peer's frame header (its length, or the flags after a long length).
        if ((at === 0 && value !== 0xff) || (at === 9 && (value & 1) === 0)) {
          this.#greeting = { major: 1, minor: 0, mechanism: "", asServer: false, unversioned: true, socketType: -1 };
          break;
        }
        if (at === SIGNATURE_SIZE) this.#size = value <= 1 ? LEGACY_GREETING_SIZE : GREETING_SIZE;
      }
      if (this.#received === this.#size) this.#greeting = this.#decode();
    }
    return pos - offset;
  }

  #decode(): Greeting {
    const bytes = this.#bytes;
    const revision = bytes[SIGNATURE_SIZE]!;
    if (revision <= 1) {
      return { major: revision + 1, minor: 0, mechanism: "", asServer: false, unversioned: false, socketType: bytes[11]! };
    }
    let end = MECHANISM_OFFSET + MECHANISM_SIZE;
    while (end > MECHANISM_OFFSET && bytes[end - 1] === 0) end--;
    let mechanism = "";
    for (let i = MECHANISM_OFFSET; i < end; i++) mechanism += String.fromCharCode(bytes[i]!);
    return {
      major: 3,
      // RFC 23: a peer with a higher version "SHALL" be answered at our version; libzmq reads every
      // revision but 0, 1 and 3.0 as 3.1 (zmtp-notes §1.2 step 5): revision 2 and 4+ included.
      minor: revision === MAJOR_VERSION ? bytes[11]! : 1,
      mechanism,
      asServer: bytes[AS_SERVER_OFFSET] !== 0,
      unversioned: false,
      socketType: -1,
    };
  }
}
