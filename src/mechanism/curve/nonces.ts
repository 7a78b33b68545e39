// CurveZMQ nonces (RFC 26, zmtp-notes §5.2): 24 bytes, a fixed ASCII prefix and then either an
// 8-byte big-endian counter (a "short nonce", which the peer sees and checks only ever grows) or
// 16 random bytes (a "long nonce", for boxes that are made once per connection). Imports nothing.

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (char) => char.charCodeAt(0));

/** 16-byte prefixes of short nonces. */
export const HELLO_PREFIX = ascii("CurveZMQHELLO---");
export const INITIATE_PREFIX = ascii("CurveZMQINITIATE");
export const READY_PREFIX = ascii("CurveZMQREADY---");
/** MESSAGE nonces name the sender: C from the client, S from the server. */
export const CLIENT_MESSAGE_PREFIX = ascii("CurveZMQMESSAGEC");
export const SERVER_MESSAGE_PREFIX = ascii("CurveZMQMESSAGES");

/** 8-byte prefixes of long nonces. */
export const WELCOME_PREFIX = ascii("WELCOME-");
export const COOKIE_PREFIX = ascii("COOKIE--");
export const VOUCH_PREFIX = ascii("VOUCH---");

export const NONCE_BYTES = 24;
export const SHORT_NONCE_BYTES = 8;
export const LONG_NONCE_BYTES = 16;

/** A full nonce: a 16-byte prefix and `counter` as 8 bytes big-endian. */
export function shortNonce(prefix: Uint8Array, counter: number): Uint8Array {
  const nonce = new Uint8Array(NONCE_BYTES);
  nonce.set(prefix);
  writeCounter(nonce, 16, counter);
  return nonce;
}

/** A full nonce: a 16-byte prefix and the 8 counter bytes as the peer sent them. */
export function receivedShortNonce(prefix: Uint8Array, counterBytes: Uint8Array): Uint8Array {
  const nonce = new Uint8Array(NONCE_BYTES);
  nonce.set(prefix);
  nonce.set(counterBytes.subarray(0, SHORT_NONCE_BYTES), 16);
  return nonce;
}

/** A full nonce: an 8-byte prefix and 16 bytes (random when sending, the peer's when opening). */
export function longNonce(prefix: Uint8Array, tail: Uint8Array): Uint8Array {
  const nonce = new Uint8Array(NONCE_BYTES);
  nonce.set(prefix);
  nonce.set(tail.subarray(0, LONG_NONCE_BYTES), 8);
  return nonce;
}

/**
 * Writes `counter` as 8 bytes big-endian. Counters are JavaScript numbers: exact up to 2^53, which a
 * connection sending a billion messages a second would reach after more than a hundred days.
 */
export function writeCounter(buffer: Uint8Array, at: number, counter: number): void {
  const high = Math.floor(counter / 0x1_0000_0000);
  const low = counter >>> 0;
  buffer[at] = high >>> 24;
  buffer[at + 1] = (high >>> 16) & 0xff;
  buffer[at + 2] = (high >>> 8) & 0xff;
  buffer[at + 3] = high & 0xff;
  buffer[at + 4] = low >>> 24;
  buffer[at + 5] = (low >>> 16) & 0xff;
  buffer[at + 6] = (low >>> 8) & 0xff;
  buffer[at + 7] = low & 0xff;
}

/** Reads an 8-byte big-endian counter (beyond 2^53 it loses precision but still only grows). */
export function readCounter(buffer: Uint8Array, at: number): number {
  const high = ((buffer[at]! << 24) | (buffer[at + 1]! << 16) | (buffer[at + 2]! << 8) | buffer[at + 3]!) >>> 0;
  const low = ((buffer[at + 4]! << 24) | (buffer[at + 5]! << 16) | (buffer[at + 6]! << 8) | buffer[at + 7]!) >>> 0;
  return high * 0x1_0000_0000 + low;
}
