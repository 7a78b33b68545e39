// Byte helpers shared by the wire tests (not shipped: package.json excludes test support files).
// Imports only core, like the rest of wire/.

import { ZmqError } from "../core/errors.ts";

/** Bytes from hex digits; white space is ignored so vectors can be spaced like zmtp-notes. */
export function hex(text: string): Uint8Array {
  const digits = text.replace(/\s+/g, "");
  return Uint8Array.from(digits.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
}

/** `text` as hex digits, so vectors read like the notes: `04 19 05 ${ascii("READY")}`. */
export function ascii(text: string): string {
  return Array.from(text, (c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join(" ");
}

/** The ZmqError code `action` throws, null if it does not throw, or a note if it throws something else. */
export function thrownCode(action: () => unknown): string | null {
  try {
    action();
  } catch (error) {
    return error instanceof ZmqError ? error.code : `not a ZmqError: ${String(error)}`;
  }
  return null;
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
