// The fuzz suite's shared input generators (fast-check arbitraries) and the pure helpers that turn
// their values into bytes: chunking at random boundaries, mutations of valid streams, ZMTP frames
// written by hand. Every value is JSON-friendly (corpus.ts stores counterexamples as JSON), and
// positions are drawn as plain numbers and wrapped into range when used, so a value stays valid
// however the shrinker cuts the bytes it applies to.
//
// Every array and string states `size: "max"`: fast-check's default size keeps lengths near 10
// whatever maxLength says, which would leave long frames (bodies over 255 bytes), long topics and
// 16-byte PING contexts untested.

import fc from "fast-check";

/** The type of the values an arbitrary produces. */
export type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;

/** Any bytes, up to `maxLength` (shrinks towards fewer and smaller bytes). */
export function bytes(maxLength: number, minLength = 0): fc.Arbitrary<Uint8Array> {
  return fc.uint8Array({ minLength, maxLength, size: "max" });
}

/** Where a stream is cut into chunks: positions, wrapped into `0..length` by `splitAt`. */
export const cuts = fc.array(fc.nat({ max: 1 << 16 }), { size: "max", maxLength: 12 });

/** `data` as the chunks `cutPositions` make (empty chunks included: the readers must take them). */
export function splitAt(data: Uint8Array, cutPositions: readonly number[]): Uint8Array[] {
  const positions = cutPositions.map((cut) => cut % (data.length + 1)).sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const to of positions) {
    chunks.push(data.slice(from, to));
    from = to;
  }
  chunks.push(data.slice(from));
  return chunks;
}

/** One frame as a peer might write it: any flags byte (reserved bits too), LONG forced where needed. */
export interface FrameSpec {
  flags: number;
  body: Uint8Array;
}

export const frameSpec: fc.Arbitrary<FrameSpec> = fc.record({
  flags: fc.oneof(fc.constantFrom(0x00, 0x01, 0x02, 0x04, 0x06), fc.nat({ max: 255 })),
  // Past 255 bytes a body needs the 8-byte size, so both header forms come up.
  body: fc.oneof({ weight: 4, arbitrary: bytes(40) }, { weight: 1, arbitrary: bytes(300) }),
});

/**
 * Frames written by hand, independently of src/wire: a LONG flag gets the 8-byte size even for a
 * small body (RFC 23 allows it; libzmq reads it), and a body over 255 bytes always gets it.
 */
export function writeFrames(frames: readonly FrameSpec[]): Uint8Array {
  const parts: number[] = [];
  for (const { flags, body } of frames) {
    const long = (flags & 0x02) !== 0 || body.length > 255;
    parts.push(long ? flags | 0x02 : flags);
    if (long) {
      const size = new Uint8Array(8);
      new DataView(size.buffer).setBigUint64(0, BigInt(body.length));
      parts.push(...size);
    } else {
      parts.push(body.length);
    }
    parts.push(...body);
  }
  return Uint8Array.from(parts);
}

/** One edit of a byte stream; `at` wraps into the stream's length when applied. */
export type Mutation =
  | { kind: "flip"; at: number; bit: number }
  | { kind: "set"; at: number; value: number }
  | { kind: "insert"; at: number; bytes: Uint8Array }
  | { kind: "remove"; at: number; length: number }
  | { kind: "duplicate"; at: number; length: number }
  | { kind: "truncate"; at: number };

const position = fc.nat({ max: 1 << 16 });

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: position, bit: fc.nat({ max: 7 }) }),
  // 0x00, 0xff and 0x7f are the bytes that most often flip a meaning (sizes, flags, signatures).
  fc.record({ kind: fc.constant("set" as const), at: position, value: fc.oneof(fc.constantFrom(0, 0x7f, 0xff), fc.nat({ max: 255 })) }),
  fc.record({ kind: fc.constant("insert" as const), at: position, bytes: bytes(12, 1) }),
  fc.record({ kind: fc.constant("remove" as const), at: position, length: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ kind: fc.constant("duplicate" as const), at: position, length: fc.integer({ min: 1, max: 32 }) }),
  fc.record({ kind: fc.constant("truncate" as const), at: position }),
);

/** `data` with `mutations` applied in order, as a fresh array. */
export function mutate(data: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let out = Array.from(data);
  for (const edit of mutations) {
    const at = edit.at % (out.length + 1);
    switch (edit.kind) {
      case "flip":
        if (at < out.length) out[at]! ^= 1 << edit.bit;
        break;
      case "set":
        if (at < out.length) out[at] = edit.value;
        break;
      case "insert":
        out.splice(at, 0, ...edit.bytes);
        break;
      case "remove":
        out.splice(at, edit.length);
        break;
      case "duplicate":
        out.splice(at, 0, ...out.slice(at, at + edit.length));
        break;
      case "truncate":
        out = out.slice(0, at);
        break;
    }
  }
  return Uint8Array.from(out);
}

export const mutations = fc.array(mutation, { minLength: 1, maxLength: 4, size: "max" });

/** A printable-ASCII name of 1..`maxLength` characters: what ZMTP command and property names are. */
export function asciiName(maxLength: number): fc.Arbitrary<string> {
  return fc.string({
    unit: fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)),
    minLength: 1,
    maxLength,
    size: "max",
  });
}

/** Command names a handshake or the traffic phase meets: every ZMTP one, often, and others. */
export const commandName = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom("READY", "ERROR", "HELLO", "WELCOME", "INITIATE", "MESSAGE", "PING", "PONG", "SUBSCRIBE", "CANCEL"),
  },
  { weight: 1, arbitrary: asciiName(12) },
);

/** Metadata as a socket announces it: printable names (the well-known ones often) and any values. */
export const metadataProperties = fc.array(
  fc.tuple(fc.oneof(fc.constantFrom("Socket-Type", "Identity", "Resource", "User-Id", "X-Custom"), asciiName(30)), bytes(24)),
  { size: "max", maxLength: 4 },
);

/** Socket type names, those a PULL or XPUB accepts among them. */
export const socketTypeName = fc.oneof(
  fc.constantFrom("PUSH", "PULL", "PUB", "SUB", "XPUB", "XSUB", "REQ", "REP", "DEALER", "ROUTER", "PAIR", "STREAM"),
  asciiName(8),
);

/** ERROR data: a ZAP status or other reason behind its length byte, or any bytes. */
export const errorData = fc.oneof(
  fc.constantFrom("300", "400", "500", "200", "4000", "").map((reason) => Uint8Array.from([reason.length, ...Buffer.from(reason)])),
  bytes(12),
);

/** An authenticator's answers: the four ZAP statuses (RFC 27), or a failure of the authenticator itself. */
export const verdictChoice = fc.constantFrom(200 as const, 300 as const, 400 as const, 500 as const, "failure" as const);
