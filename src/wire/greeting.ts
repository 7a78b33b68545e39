// The 64-byte ZMTP 3.x greeting: encoder and an incremental parser that fails as early as it can.
// Pure code over Uint8Array; imports only src/core.
//
// Layout (RFC 23/37, zmtp-notes §1.1):
//   0     0xFF              signature[0]
//   1-8   padding           libzmq: uint64 BE routing-id-length + 1; never validated
//   9     0x7F              signature[9], low bit 1 = versioned peer
//   10,11 major, minor      3, 1
//   12-31 mechanism         ASCII, NUL-padded to 20 bytes
//   32    as-server         1/0; libzmq always sends 0 and never reads it
//   33-63 filler            zeros; never validated

import { ZmqError } from "../core/errors.ts";

export const GREETING_SIZE = 64;

const MECHANISM_OFFSET = 12;
const MECHANISM_SIZE = 20;
const AS_SERVER_OFFSET = 32;

export interface Greeting {
  /** The peer's major version; 3 for every version we accept (later majors are read as 3.1). */
  major: number;
  /** 0 → ZMTP 3.0 rules (legacy subscriptions), ≥ 1 → ZMTP 3.1 rules. */
  minor: number;
  /** The 20-byte mechanism field without its trailing NULs, e.g. "NULL"; compare it exactly. */
  mechanism: string;
  /** The peer's as-server byte. Informational only: libzmq always sends 0 (zmtp-notes §0 item 1). */
  asServer: boolean;
}

export type GreetingErrorCode = "ERR_ZMTP_UNSPECIFIED" | "ERR_ZMTP_UNSUPPORTED_VERSION";

/**
 * Our greeting. `mechanism` is 1..20 printable ASCII characters ("NULL", "PLAIN", "CURVE");
 * anything else is a programming error and throws `EINVAL`.
 */
export function encodeGreeting(mechanism: string, asServer: boolean): Uint8Array {
  if (mechanism.length === 0 || mechanism.length > MECHANISM_SIZE) {
    throw new ZmqError("EINVAL", `ZMTP mechanism name must be 1-20 characters, got ${JSON.stringify(mechanism)}`);
  }
  const greeting = new Uint8Array(GREETING_SIZE);
  greeting[0] = 0xff;
  // libzmq's padding for the default empty routing id: uint64 BE 0 + 1. A ZMTP 1.0 peer reads
  // bytes 0-8 as a long identity-frame header; we do not talk to those, but match libzmq's bytes.
  greeting[8] = 0x01;
  greeting[9] = 0x7f;
  greeting[10] = 3;
  greeting[11] = 1;
  for (let i = 0; i < mechanism.length; i++) {
    const code = mechanism.charCodeAt(i);
    if (code < 0x21 || code > 0x7e) {
      throw new ZmqError("EINVAL", `ZMTP mechanism name must be printable ASCII, got ${JSON.stringify(mechanism)}`);
    }
    greeting[MECHANISM_OFFSET + i] = code;
  }
  greeting[AS_SERVER_OFFSET] = asServer ? 1 : 0;
  return greeting;
}

/**
 * Reads a peer greeting from however the stream chunks it (1 byte at a time, or 10/1/53 as libzmq
 * sends it, zmtp-notes §1.2). Checks each field as soon as its byte arrives, so an unversioned or
 * old peer is refused without waiting for bytes it will never send.
 *
 * Invariant: `#received` bytes of the greeting are in `#bytes[0, #received)`; once `error` is set
 * or `done` is true, `feed` consumes nothing more.
 */
export class GreetingParser {
  #bytes = new Uint8Array(GREETING_SIZE);
  #received = 0;
  #greeting: Greeting | null = null;
  #error: string | null = null;
  #errorCode: GreetingErrorCode | null = null;

  /** True once all 64 bytes arrived and passed the checks; `greeting` is then set. */
  get done(): boolean {
    return this.#greeting !== null;
  }

  get greeting(): Greeting | null {
    return this.#greeting;
  }

  /** Human-readable reason the greeting was refused, or null. */
  get error(): string | null {
    return this.#error;
  }

  /** Stable code for `error`: a bad signature or an old (major < 3) peer. */
  get errorCode(): GreetingErrorCode | null {
    return this.#errorCode;
  }

  /**
   * Consumes greeting bytes from `chunk[offset..]`, at most as many as the greeting still needs,
   * and returns how many it took; the rest of the chunk (the first frames) belongs to the caller.
   * On a refusal the bytes up to the refused one count as consumed; check `error` after each call.
   */
  feed(chunk: Uint8Array, offset: number): number {
    if (this.#greeting !== null || this.#error !== null) return 0;
    const start = this.#received;
    const take = Math.min(GREETING_SIZE - start, chunk.length - offset);
    if (take <= 0) return 0;
    this.#bytes.set(chunk.subarray(offset, offset + take), start);
    for (let i = start; i < start + take; i++) {
      if (!this.#check(i)) {
        this.#received = i + 1;
        return i + 1 - start;
      }
    }
    this.#received = start + take;
    if (this.#received === GREETING_SIZE) this.#greeting = this.#decode();
    return take;
  }

  /** Validates byte `index` now that it has arrived; only bytes 0, 9 and 10 are ever judged. */
  #check(index: number): boolean {
    const value = this.#bytes[index]!;
    switch (index) {
      case 0:
        // RFC 23: "signature = %xFF padding %x7F"; anything else is not a ZMTP 2.0+ peer.
        if (value !== 0xff) return this.#fail("ERR_ZMTP_UNSPECIFIED", `bad greeting signature: byte 0 is 0x${hex(value)}, not 0xff`);
        return true;
      case 9:
        // libzmq only tests the low bit ("versioned peer", zmtp-notes §1.2); a clear bit means ZMTP 1.0.
        if ((value & 1) === 0)
          return this.#fail("ERR_ZMTP_UNSPECIFIED", `bad greeting signature: byte 9 is 0x${hex(value)}, low bit clear (ZMTP 1.0 peer)`);
        return true;
      case 10:
        // ZMTP 2.0 (revision 1) and 1.0 peers are libzmq <= 3.2; we speak 3.x only (zmtp-notes §1.3).
        if (value < 3) return this.#fail("ERR_ZMTP_UNSUPPORTED_VERSION", `peer speaks ZMTP major version ${value}; 3 or later is required`);
        return true;
      default:
        return true;
    }
  }

  #fail(code: GreetingErrorCode, message: string): false {
    this.#errorCode = code;
    this.#error = message;
    return false;
  }

  #decode(): Greeting {
    const bytes = this.#bytes;
    const major = bytes[10]!;
    let end = MECHANISM_OFFSET + MECHANISM_SIZE;
    while (end > MECHANISM_OFFSET && bytes[end - 1] === 0) end--;
    let mechanism = "";
    for (let i = MECHANISM_OFFSET; i < end; i++) mechanism += String.fromCharCode(bytes[i]!);
    return {
      // RFC 23: a peer with a higher version "SHALL" be answered at our version; libzmq treats every
      // revision other than 0, 1 and 3.0 as 3.1 (zmtp-notes §1.2 step 5), so a major 4 is 3.1 here.
      major: major > 3 ? 3 : major,
      minor: major > 3 ? 1 : bytes[11]!,
      mechanism,
      asServer: bytes[AS_SERVER_OFFSET] !== 0,
    };
  }
}

function hex(value: number): string {
  return value.toString(16).padStart(2, "0");
}
