// Fuzz target "command-codecs", its builders: PING, PONG, ERROR (both spellings), SUBSCRIBE,
// CANCEL and PLAIN's HELLO, each built from arbitrary values, read back by the parsers the engine
// and the mechanisms use, with the cuts and clamps zmtp-notes §3.5, §4.2 and §5.1 record for
// libzmq; and those parsers, on any data, never throw and read it as the layouts say.

import { describe, expect } from "bun:test";
import fc from "fast-check";
import { ZmqError } from "../../src/core/errors.ts";
import { encodeHello, parseHello } from "../../src/mechanism/plain.ts";
import {
  encodeCancel,
  encodeError,
  encodeLibzmqPlainError,
  encodePing,
  encodePong,
  encodeSubscribe,
  parseErrorReason,
  parseHandshakeCommand,
  parsePing,
} from "../../src/wire/command.ts";
import { bytes, type ValueOf } from "./arbitraries.ts";
import { fuzz } from "./harness.ts";
import { referenceFrames } from "./reference-parsers.ts";

const TARGET = "command-codecs";
/** Each property takes half the target's input count: together they still pass 10^4 in CI. */
const EACH = { share: 0.5 };
const hexOf = (data: Uint8Array): string => Buffer.from(data).toString("hex");

/** The one command in a whole frame a builder made, read through the handshake parser. */
function commandIn(frame: Uint8Array): { name: string; data: Uint8Array } {
  const { frames, consumed, error } = referenceFrames(frame, -1);
  expect({ count: frames.length, consumed, error, command: (frames[0]!.flags & 0x04) !== 0 }).toEqual({
    count: 1,
    consumed: frame.length,
    error: null,
    command: true,
  });
  const command = parseHandshakeCommand(frames[0]!.body);
  expect(command).not.toBeNull();
  return command!;
}

/** A TTL as an option value may hold it: negative, fractional, past 16 bits (all JSON-friendly). */
const ttl = fc
  .tuple(fc.integer({ min: -100, max: 70_000 }), fc.nat({ max: 999 }))
  .map(([whole, thousandths]) => whole + thousandths / 1000);

const builtCommand = fc.oneof(
  fc.record({ kind: fc.constant("ping" as const), ttl, context: bytes(24) }),
  fc.record({ kind: fc.constant("pong" as const), context: bytes(24) }),
  fc.record({ kind: fc.constant("error" as const), reason: fc.string({ size: "max", maxLength: 300, unit: "binary" }) }),
  fc.record({ kind: fc.constant("libzmq-error" as const), reason: fc.string({ size: "max", maxLength: 255, unit: "binary-ascii" }) }),
  fc.record({ kind: fc.constant("subscribe" as const), topic: bytes(300) }),
  fc.record({ kind: fc.constant("cancel" as const), topic: bytes(300) }),
  fc.record({ kind: fc.constant("hello" as const), username: bytes(260), password: bytes(260) }),
);

/** Builds `value`'s command and checks that its parser reads back what went in. */
function checkBuilt(value: ValueOf<typeof builtCommand>): void {
  switch (value.kind) {
    case "ping": {
      const { name, data } = commandIn(encodePing(value.ttl, value.context));
      // Truncated and clamped to 0..65535 deciseconds, as libzmq stores ZMQ_HEARTBEAT_TTL.
      const expectedTtl = Math.max(0, Math.min(Math.trunc(value.ttl), 0xffff));
      expect({ name, ...parsePing(data)!, context: hexOf(parsePing(data)!.context) }).toEqual({
        name: "PING",
        ttl: expectedTtl,
        context: hexOf(value.context.subarray(0, 16)),
      });
      return;
    }
    case "pong": {
      const { name, data } = commandIn(encodePong(value.context));
      expect({ name, context: hexOf(data) }).toEqual({ name: "PONG", context: hexOf(value.context.subarray(0, 16)) });
      return;
    }
    case "error": {
      const { name, data } = commandIn(encodeError(value.reason));
      const reason = parseErrorReason(data)!;
      const full = new TextEncoder().encode(value.reason);
      // Cut to 255 bytes at a character boundary: a prefix of the reason, as long as fits.
      expect(name).toBe("ERROR");
      expect(value.reason.startsWith(reason)).toBe(true);
      const kept = new TextEncoder().encode(reason).length;
      expect(kept).toBeLessThanOrEqual(255);
      if (full.length <= 255) expect(reason).toBe(value.reason);
      else expect(kept).toBeGreaterThan(255 - 4);
      return;
    }
    case "libzmq-error": {
      const { name, data } = commandIn(encodeLibzmqPlainError(value.reason));
      expect({ name, reason: parseErrorReason(data) }).toEqual({ name: "ERROR", reason: value.reason });
      return;
    }
    case "subscribe":
    case "cancel": {
      const frame = value.kind === "subscribe" ? encodeSubscribe(value.topic) : encodeCancel(value.topic);
      const { name, data } = commandIn(frame);
      expect({ name, topic: hexOf(data) }).toEqual({ name: value.kind.toUpperCase(), topic: hexOf(value.topic) });
      return;
    }
    case "hello":
      checkHello(value.username, value.password);
  }
}

function checkHello(username: Uint8Array, password: Uint8Array): void {
  let frame: Uint8Array;
  try {
    frame = encodeHello(username, password);
  } catch (error) {
    expect(error instanceof ZmqError && error.code).toBe("EINVAL");
    expect(username.length > 255 || password.length > 255).toBe(true);
    return;
  }
  const { name, data } = commandIn(frame);
  const parsed = parseHello(data)!;
  expect({ name, username: hexOf(parsed.username), password: hexOf(parsed.password) }).toEqual({
    name: "HELLO",
    username: hexOf(username),
    password: hexOf(password),
  });
}

describe("fuzz: command builders", () => {
  fuzz(TARGET, "every builder's command parses back to what was built, cut and clamped as libzmq does", builtCommand, checkBuilt, EACH);

  fuzz(
    TARGET,
    "PING, ERROR and HELLO data of any bytes parse by their layouts without throwing",
    bytes(80),
    (data) => {
      const ping = parsePing(data);
      expect(ping === null ? null : { ttl: ping.ttl, context: hexOf(ping.context) }).toEqual(
        data.length < 2 ? null : { ttl: data[0]! * 256 + data[1]!, context: hexOf(data.subarray(2)) },
      );
      const reasonLength = data[0];
      const reason = parseErrorReason(data);
      if (reasonLength === undefined || reasonLength > data.length - 1) expect(reason).toBeNull();
      else expect(reason).toBe(new TextDecoder().decode(data.subarray(1, 1 + reasonLength)));
      // HELLO must be exactly ulen username pwlen password: libzmq refuses trailing bytes too.
      const hello = parseHello(data);
      const ulen = data[0] ?? -1;
      const exact = data.length >= 2 && ulen + 2 <= data.length && ulen + 2 + data[ulen + 1]! === data.length;
      expect(hello === null ? null : [hexOf(hello.username), hexOf(hello.password)]).toEqual(
        exact ? [hexOf(data.subarray(1, 1 + ulen)), hexOf(data.subarray(ulen + 2))] : null,
      );
    },
    EACH,
  );
});
