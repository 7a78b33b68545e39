// Fuzz target "command-codecs": src/wire/command.ts and src/wire/metadata.ts, which read every
// command body and property list a peer sends. Properties: the parsers never throw on any bytes and
// agree with reference parsers written from RFC 23 (command = name-len name data; property =
// name-len name value-len(4) value), libzmq's misspelt PLAIN ERROR included; and every builder's
// output parses back to what was built, its frame header included.

import { describe, expect } from "bun:test";
import fc from "fast-check";
import { ZmqError } from "../../src/core/errors.ts";
import { encodeCommand, parseCommand, parseHandshakeCommand } from "../../src/wire/command.ts";
import { encodeMetadata, parseMetadata } from "../../src/wire/metadata.ts";
import { asciiName, bytes, commandName, metadataProperties, mutate, mutations } from "./arbitraries.ts";
import { fuzz } from "./harness.ts";
import { referenceCommand, referenceFrames, referenceHandshakeCommand, referenceMetadata } from "./reference-parsers.ts";

const TARGET = "command-codecs";
/** Each property takes half the target's input count: together they still pass 10^4 in CI. */
const EACH = { share: 0.5 };
const hexOf = (data: Uint8Array): string => Buffer.from(data).toString("hex");

function asComparable(command: { name: string; data: Uint8Array } | null): { name: string; data: string } | null {
  return command === null ? null : { name: command.name, data: hexOf(command.data) };
}

/** Bodies a peer could send: noise, the shim's prefix, and mutated well-formed commands. */
const commandBody = fc.oneof(
  bytes(300),
  // Up to 125 bytes: from 95 on, 0x5e read as a name-length would fit a (94-character) name.
  bytes(120).map((data) => Uint8Array.from([0x5e, 0x52, 0x52, 0x4f, 0x52, ...data])),
  fc
    .record({ name: commandName, data: bytes(40), mutations })
    .map(({ name, data, mutations }) => mutate(Uint8Array.from([name.length, ...Buffer.from(name, "latin1"), ...data]), mutations)),
);

/** Property lists a peer could send: noise and mutated well-formed ones. */
const metadataBytes = fc.oneof(
  bytes(120),
  fc
    .record({ properties: metadataProperties, mutations })
    .map(({ properties, mutations }) => mutate(encodeMetadata(properties), mutations)),
);

describe("fuzz: command and metadata codecs", () => {
  fuzz(
    TARGET,
    "any command body parses as RFC 23 reads it, libzmq's PLAIN ERROR spelling included, without throwing",
    commandBody,
    (body) => {
      expect(asComparable(parseCommand(body))).toEqual(referenceCommand(body));
      expect(asComparable(parseHandshakeCommand(body))).toEqual(referenceHandshakeCommand(body));
    },
    EACH,
  );

  fuzz(
    TARGET,
    "any property list parses as RFC 23 reads it (the first of a repeated name wins), without throwing",
    metadataBytes,
    (data) => {
      const parsed = parseMetadata(data);
      expect(parsed === null ? null : [...parsed].map(([name, value]) => [name, hexOf(value)])).toEqual(referenceMetadata(data));
    },
    EACH,
  );

  fuzz(
    TARGET,
    "encodeCommand's frame carries the name and data back, with a LONG header exactly past 255 bytes; bad names are EINVAL",
    fc.record({
      name: fc.oneof(commandName, asciiName(255), fc.string({ size: "max", maxLength: 8, unit: "binary-ascii" })),
      data: bytes(300),
    }),
    ({ name, data }) => {
      const valid = /^[\x21-\x7e]{1,255}$/.test(name);
      let frame: Uint8Array;
      try {
        frame = encodeCommand(name, data);
      } catch (error) {
        expect(valid).toBe(false);
        expect(error instanceof ZmqError && error.code).toBe("EINVAL");
        return;
      }
      expect(valid).toBe(true);
      const { frames, consumed, error } = referenceFrames(frame, -1);
      expect({ count: frames.length, consumed, error }).toEqual({ count: 1, consumed: frame.length, error: null });
      const bodyLength = 1 + name.length + data.length;
      expect(frames[0]!.flags).toBe(bodyLength > 255 ? 0x06 : 0x04);
      expect(asComparable(parseCommand(frames[0]!.body))).toEqual({ name, data: hexOf(data) });
    },
    EACH,
  );

  fuzz(
    TARGET,
    "encodeMetadata's properties parse back in order, the first of a repeated name winning; bad names are EINVAL",
    fc.record({ properties: metadataProperties, odd: fc.option(fc.string({ size: "max", maxLength: 4, unit: "binary-ascii" })) }),
    ({ properties, odd }) => {
      const all: Array<[string, Uint8Array]> = odd === null ? properties : [...properties, [odd, new Uint8Array(1)]];
      const valid = all.every(([name]) => /^[\x21-\x7e]{1,255}$/.test(name));
      let encoded: Uint8Array;
      try {
        encoded = encodeMetadata(all);
      } catch (error) {
        expect(valid).toBe(false);
        expect(error instanceof ZmqError && error.code).toBe("EINVAL");
        return;
      }
      expect(valid).toBe(true);
      const firsts = new Map<string, string>();
      for (const [name, value] of all) if (!firsts.has(name)) firsts.set(name, hexOf(value));
      const parsed = parseMetadata(encoded);
      expect(parsed === null ? null : [...parsed].map(([name, value]) => [name, hexOf(value)])).toEqual([...firsts]);
    },
    EACH,
  );
});
