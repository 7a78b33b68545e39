// How an option value given from JavaScript becomes the value of a libzmq option of each C type,
// checked and converted the way zeromq.js does it before libzmq judges the range: the wrong kind of
// value is a TypeError with zeromq.js's text, and numbers are converted as N-API converts them (an
// int32 keeps the low 32 bits, so 1.5 becomes 1). Imports nothing.

/** libzmq's option value types, as zeromq.js names its accessors (getInt32Option, …). */
export type OptionKind = "bool" | "int32" | "uint32" | "int64" | "uint64" | "string";

/** A string option's value: text (UTF-8), bytes, or null (libzmq's NULL pointer of length 0). */
export type StringValue = string | Uint8Array | null;

const MAX_UINT64 = 2 ** 64;
const INT64_LIMIT = 2 ** 63;

/**
 * The text of the process warning zeromq.js emits when a uint64 option gets a number above
 * Number.MAX_SAFE_INTEGER (it is kept as the nearest double).
 */
const UNSAFE_INTEGER_WARNING = "Value is larger than Number.MAX_SAFE_INTEGER and may have been rounded inaccurately.";

/** Checks the JavaScript type of `value` for an option of `kind` and converts it; throws TypeError. */
export function toOptionValue(kind: OptionKind, value: unknown): boolean | number | StringValue {
  switch (kind) {
    case "bool":
      if (typeof value !== "boolean") throw new TypeError("Option value must be a boolean");
      return value;
    case "string":
      if (typeof value !== "string" && !(value instanceof Uint8Array) && value !== null) {
        throw new TypeError("Option value must be a string or buffer");
      }
      return value;
    default:
      if (typeof value !== "number") throw new TypeError("Option value must be a number");
      return toInteger(kind, value);
  }
}

/** N-API's conversions of a double: int32 and uint32 wrap to 32 bits, int64 saturates, NaN is 0. */
function toInteger(kind: "int32" | "uint32" | "int64" | "uint64", value: number): number {
  switch (kind) {
    case "int32":
      return value | 0;
    case "uint32":
      return value >>> 0;
    case "int64":
      if (!Number.isFinite(value)) return 0;
      return Math.max(-INT64_LIMIT, Math.min(INT64_LIMIT, Math.trunc(value))) + 0;
    case "uint64":
      if (!(value > 0)) return 0;
      if (value > Number.MAX_SAFE_INTEGER) process.emitWarning(UNSAFE_INTEGER_WARNING);
      return Math.min(MAX_UINT64, Math.trunc(value));
  }
}

/** Which values of libzmq's option length fit together: a bool is an int in libzmq. */
export function sameWidth(a: OptionKind, b: OptionKind): boolean {
  return width(a) === width(b);
}

function width(kind: OptionKind): number {
  return kind === "string" ? 0 : kind === "int64" || kind === "uint64" ? 8 : 4;
}

/** What a numbered getter returns for a value read as `kind` (zeromq.js's getBoolOption of an int is `!= 0`). */
export function fromOptionValue(kind: OptionKind, value: unknown): unknown {
  if (kind === "bool") return typeof value === "boolean" ? value : value !== 0;
  if (kind === "string") return value;
  return typeof value === "boolean" ? Number(value) : value;
}

/** zeromq.js reads a string option as text, and an empty one as null. */
export function textOf(value: StringValue): string | null {
  if (value === null) return null;
  const text = typeof value === "string" ? value : new TextDecoder().decode(value);
  return text.length === 0 ? null : text;
}

/** zeromq.js's check of a call's argument count: `Expected 2 arguments but received 3`. */
export function assertArgumentCount(expected: number, received: number): void {
  if (received > expected) {
    throw new TypeError(`Expected ${expected} argument${expected === 1 ? "" : "s"} but received ${received}`);
  }
}

/** zeromq.js's check of an options argument: an object (or function), or nothing. */
export function assertOptionsObject(options: unknown, required = false): void {
  if (options === undefined && !required) return;
  if ((typeof options !== "object" && typeof options !== "function") || options === null) {
    throw new TypeError("Options must be an object");
  }
}
