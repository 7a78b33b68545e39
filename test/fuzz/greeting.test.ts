// Fuzz target "greeting": src/wire/greeting.ts, the first bytes every peer sends. Properties: on any
// bytes, chunked anyhow and fed from any offset, the parser never throws, takes no byte past the
// greeting (or past the byte that shows a greeting-less 1.0 peer), and reaches the verdict of a
// reference judge written from zmtp-notes §1.2-1.3 (bytes 0, 9 and 10 decide the protocol and the
// greeting's length); and a greeting it encodes parses back to what was encoded.

import { describe, expect } from "bun:test";
import fc from "fast-check";
import { ZmqError } from "../../src/core/errors.ts";
import { GreetingParser, encodeGreeting } from "../../src/wire/greeting.ts";
import { asciiName, bytes, cuts, mutate, mutations, splitAt, type ValueOf } from "./arbitraries.ts";
import { fuzz } from "./harness.ts";

const TARGET = "greeting";
/** Each property takes half the target's input count: together they still pass 10^4 in CI. */
const EACH = { share: 0.5 };

type Verdict =
  | { kind: "incomplete" }
  | {
      kind: "greeting";
      major: number;
      minor: number;
      mechanism: string;
      asServer: boolean;
      unversioned: boolean;
      socketType: number;
    };

/**
 * What a parser should conclude from `stream`, and how many of its bytes it should take, by libzmq's
 * receive_greeting and select_handshake_fun (zmtp-notes §1.2-1.3): a byte 0 other than 0xFF or a
 * byte 9 with its low bit clear is a greeting-less 1.0 peer (decided at that byte); revision 0 and 1
 * end a 12-byte greeting (1.0, 2.0) with a socket type; any other revision is a 64-byte greeting read
 * as 3.x, as 3.1 unless it is revision 3.
 */
function judge(stream: Uint8Array): { verdict: Verdict; consumed: number } {
  const unversioned = { kind: "greeting", major: 1, minor: 0, mechanism: "", asServer: false, unversioned: true, socketType: -1 } as const;
  if (stream.length >= 1 && stream[0] !== 0xff) return { verdict: unversioned, consumed: 1 };
  if (stream.length >= 10 && (stream[9]! & 1) === 0) return { verdict: unversioned, consumed: 10 };
  const revision = stream.length > 10 ? stream[10]! : -1;
  const size = revision >= 0 && revision <= 1 ? 12 : 64;
  const seen = Math.min(stream.length, size);
  if (seen < size) return { verdict: { kind: "incomplete" }, consumed: seen };
  if (size === 12) {
    return {
      verdict: {
        kind: "greeting",
        major: revision + 1,
        minor: 0,
        mechanism: "",
        asServer: false,
        unversioned: false,
        socketType: stream[11]!,
      },
      consumed: 12,
    };
  }
  const field = Array.from(stream.subarray(12, 32));
  while (field.length > 0 && field[field.length - 1] === 0) field.pop();
  return {
    verdict: {
      kind: "greeting",
      major: 3,
      minor: revision === 3 ? stream[11]! : 1,
      mechanism: String.fromCharCode(...field),
      asServer: stream[32] !== 0,
      unversioned: false,
      socketType: -1,
    },
    consumed: 64,
  };
}

/** Feeds `stream` in chunks, each behind `junk` bytes the parser is told to skip (the offset argument). */
function parse(stream: Uint8Array, cutPositions: readonly number[], junk: number): { verdict: Verdict; consumed: number } {
  const parser = new GreetingParser();
  let consumed = 0;
  let finished = false;
  for (const chunk of splitAt(stream, cutPositions)) {
    const framed = new Uint8Array(junk + chunk.length).fill(0xee);
    framed.set(chunk, junk);
    const took = parser.feed(framed, junk);
    expect(took).toBeGreaterThanOrEqual(0);
    expect(took).toBeLessThanOrEqual(chunk.length);
    // Once decided, the parser takes nothing more: the rest of the stream is the first frames.
    if (finished) expect(took).toBe(0);
    consumed += took;
    finished = parser.done;
  }
  expect(parser.received).toBe(consumed);
  if (!parser.done) return { verdict: { kind: "incomplete" }, consumed };
  // A greeting-less peer's bytes are replayed as its first frame: exactly those taken.
  if (parser.greeting!.unversioned) expect(Array.from(parser.replay())).toEqual(Array.from(stream.subarray(0, consumed)));
  return { verdict: { kind: "greeting", ...parser.greeting! }, consumed };
}

/** A plausible greeting: any version, mechanism field and as-server byte, the signature as libzmq writes it. */
const greetingFields = fc.record({
  major: fc.oneof(fc.constantFrom(0, 1, 2, 3, 4), fc.nat({ max: 255 })),
  minor: fc.nat({ max: 255 }),
  mechanism: bytes(20),
  asServer: fc.nat({ max: 255 }),
  tail: bytes(40),
});

function writeGreeting(fields: ValueOf<typeof greetingFields>): Uint8Array {
  const out = new Uint8Array(64);
  out[0] = 0xff;
  out[8] = 1;
  out[9] = 0x7f;
  out[10] = fields.major;
  out[11] = fields.minor;
  out.set(fields.mechanism, 12);
  out[32] = fields.asServer;
  // Bytes after the greeting belong to the frames: the parser must leave them alone.
  const stream = new Uint8Array(64 + fields.tail.length);
  stream.set(out);
  stream.set(fields.tail, 64);
  return stream;
}

describe("fuzz: greeting parser", () => {
  fuzz(
    TARGET,
    "arbitrary bytes, chunked and offset anyhow, reach the reference verdict and take only the greeting's bytes",
    fc.record({
      stream: fc.oneof(
        bytes(100),
        bytes(100).map((b) => Uint8Array.from([0xff, ...b])),
      ),
      cuts,
      junk: fc.nat({ max: 3 }),
    }),
    ({ stream, cuts, junk }) => {
      expect(parse(stream, cuts, junk)).toEqual(judge(stream));
    },
    EACH,
  );

  fuzz(
    TARGET,
    "mutated greetings, chunked and offset anyhow, reach the reference verdict and take only the greeting's bytes",
    fc.record({ fields: greetingFields, mutations, cuts, junk: fc.nat({ max: 3 }) }),
    ({ fields, mutations, cuts, junk }) => {
      const stream = mutate(writeGreeting(fields), mutations);
      expect(parse(stream, cuts, junk)).toEqual(judge(stream));
    },
    EACH,
  );

  fuzz(
    TARGET,
    "an encoded greeting parses back to ZMTP 3.1 with its mechanism and role; a bad mechanism name is EINVAL",
    fc.record({
      mechanism: fc.oneof(asciiName(20), fc.string({ size: "max", maxLength: 24, unit: "binary-ascii" })),
      asServer: fc.boolean(),
      cuts,
    }),
    ({ mechanism, asServer, cuts }) => {
      const valid = /^[\x21-\x7e]{1,20}$/.test(mechanism);
      let encoded: Uint8Array;
      try {
        encoded = encodeGreeting(mechanism, asServer);
      } catch (error) {
        expect(valid).toBe(false);
        expect(error instanceof ZmqError && error.code).toBe("EINVAL");
        return;
      }
      expect(valid).toBe(true);
      expect(parse(encoded, cuts, 0)).toEqual({
        verdict: { kind: "greeting", major: 3, minor: 1, mechanism, asServer, unversioned: false, socketType: -1 },
        consumed: 64,
      });
    },
    EACH,
  );
});
