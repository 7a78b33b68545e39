// Greeting encoders and incremental parser: golden bytes (zmtp-notes §1.1-1.3), every chunking, and
// the protocol (1.0, 2.0, 3.x) decided as early as the deciding byte arrives.

import { describe, expect, test } from "bun:test";
import { GREETING_SIZE, GreetingParser, encodeGreeting, encodeGreetingTail, encodeSignature } from "./greeting.ts";
import { hex, toHex, thrownCode } from "./test-support.ts";

const zeros = (count: number) => Array(count).fill("00").join(" ");

/** libzmq 4.3.4, NULL mechanism, default routing id [verified in zmtp-notes §1.1]. */
const LIBZMQ_NULL_GREETING = hex(`ff 00 00 00 00 00 00 00 01 7f 03 01 4e 55 4c 4c ${zeros(16)} 00 ${zeros(31)}`);

/** A greeting with `patch` applied (offset → byte), starting from libzmq's NULL greeting. */
function greetingWith(patch: Record<number, number>): Uint8Array {
  const bytes = LIBZMQ_NULL_GREETING.slice();
  for (const [offset, value] of Object.entries(patch)) bytes[Number(offset)] = value;
  return bytes;
}

/** Feeds `chunks` in order and returns the parser plus how many bytes each call consumed. */
function parse(chunks: Uint8Array[]): { parser: GreetingParser; consumed: number[] } {
  const parser = new GreetingParser();
  const consumed = chunks.map((chunk) => parser.feed(chunk, 0));
  return { parser, consumed };
}

const NULL_GREETING = { major: 3, minor: 1, mechanism: "NULL", asServer: false, unversioned: false, socketType: -1 };
const LEGACY = { major: 2, minor: 0, mechanism: "", asServer: false, unversioned: false, socketType: -1 };
const UNVERSIONED = { ...LEGACY, major: 1, unversioned: true };

describe("encodeGreeting", () => {
  test("RFC 23 a NULL greeting equals libzmq 4.3.4's golden bytes", () => {
    expect(toHex(encodeGreeting("NULL", false))).toBe(toHex(LIBZMQ_NULL_GREETING));
  });

  test('the signature pads with the routing id\'s length + 1, as libzmq 4.3.4 does for ZMQ_ROUTING_ID "me"', () => {
    expect(toHex(encodeSignature(2))).toBe("ff 00 00 00 00 00 00 00 03 7f");
    expect(toHex(encodeSignature(255))).toBe("ff 00 00 00 00 00 00 01 00 7f");
  });

  test("signature, major and tail are the greeting's three staged pieces", () => {
    const pieces = Buffer.concat([encodeSignature(0), Uint8Array.of(3), encodeGreetingTail("NULL", false)]);
    expect(toHex(pieces)).toBe(toHex(LIBZMQ_NULL_GREETING));
  });

  test("RFC 23 the greeting is 64 bytes with the mechanism NUL-padded to 20 and as-server at offset 32", () => {
    const greeting = encodeGreeting("CURVE", true);
    expect(greeting.length).toBe(GREETING_SIZE);
    expect(toHex(greeting.subarray(12, 32))).toBe(toHex(hex(`43 55 52 56 45 ${zeros(15)}`)));
    expect(greeting[32]).toBe(1);
    expect(toHex(greeting.subarray(33))).toBe(zeros(31));
  });

  test("a mechanism name that is empty, longer than 20 characters or not ASCII throws EINVAL", () => {
    for (const name of ["", "A".repeat(21), "NÜLL", "NU LL"]) {
      expect(thrownCode(() => encodeGreeting(name, false))).toBe("EINVAL");
    }
    expect(encodeGreeting("A".repeat(20), false)[31]).toBe(0x41);
  });
});

describe("GreetingParser", () => {
  test("RFC 23 parses libzmq's NULL greeting delivered in one chunk", () => {
    const { parser, consumed } = parse([LIBZMQ_NULL_GREETING]);
    expect(consumed).toEqual([64]);
    expect(parser.done).toBe(true);
    expect(parser.greeting).toEqual(NULL_GREETING);
  });

  test("parses the greeting split in two at every byte boundary", () => {
    for (let split = 0; split <= GREETING_SIZE; split++) {
      const { parser, consumed } = parse([LIBZMQ_NULL_GREETING.slice(0, split), LIBZMQ_NULL_GREETING.slice(split)]);
      expect({ split, consumed, greeting: parser.greeting }).toEqual({
        split,
        consumed: [split, GREETING_SIZE - split],
        greeting: NULL_GREETING,
      });
    }
  });

  test("parses the greeting fed one byte at a time and is not done until byte 64", () => {
    const parser = new GreetingParser();
    for (let i = 0; i < GREETING_SIZE; i++) {
      expect(parser.done).toBe(false);
      expect(parser.greeting).toBeNull();
      expect(parser.feed(Uint8Array.of(LIBZMQ_NULL_GREETING[i]!), 0)).toBe(1);
    }
    expect(parser.done).toBe(true);
    expect(parser.greeting).toEqual(NULL_GREETING);
    expect(parser.feed(Uint8Array.of(0x04), 0)).toBe(0);
  });

  test("parses the greeting in the 10 / 1 / 53 pieces libzmq sends it in", () => {
    const g = LIBZMQ_NULL_GREETING;
    const { parser, consumed } = parse([g.subarray(0, 10), g.subarray(10, 11), g.subarray(11)]);
    expect(consumed).toEqual([10, 1, 53]);
    expect(parser.greeting).toEqual(NULL_GREETING);
  });

  test("consumes only the greeting's bytes and leaves the frames behind it to the caller", () => {
    const ready = hex("04 19 05 52 45 41 44 59");
    const chunk = new Uint8Array(7 + GREETING_SIZE + ready.length);
    chunk.set(LIBZMQ_NULL_GREETING, 7);
    chunk.set(ready, 7 + GREETING_SIZE);
    const parser = new GreetingParser();
    expect(parser.feed(chunk, 7)).toBe(GREETING_SIZE);
    expect(parser.done).toBe(true);
    expect(parser.feed(chunk, 7 + GREETING_SIZE)).toBe(0);
  });

  test("feeding an exhausted chunk consumes nothing and changes nothing", () => {
    const parser = new GreetingParser();
    expect(parser.feed(new Uint8Array(0), 0)).toBe(0);
    expect(parser.feed(LIBZMQ_NULL_GREETING, GREETING_SIZE)).toBe(0);
    expect(parser.done).toBe(false);
    expect(parser.received).toBe(0);
  });

  test("RFC 13 a first byte other than 0xFF is a ZMTP 1.0 peer's first frame, known at that byte", () => {
    // A libzmq 2.x peer opens with its identity frame: length 1 (the flags byte), flags 0, no body.
    const parser = new GreetingParser();
    expect(parser.feed(hex("01 00 05 00 68 65 6c 6c 6f"), 0)).toBe(1);
    expect(parser.greeting).toEqual(UNVERSIONED);
    expect(toHex(parser.replay())).toBe("01");
    expect(parser.feed(hex("00"), 0)).toBe(0);
  });

  test("RFC 13 a byte 9 with its low bit clear is a 1.0 peer's long identity header, known after 10 bytes", () => {
    // A 1.0 identity of 300 bytes: 0xFF, length 301 as uint64 BE, flags 0.
    const header = hex("ff 00 00 00 00 00 00 01 2d 00");
    const parser = new GreetingParser();
    expect(parser.feed(header.subarray(0, 9), 0)).toBe(9);
    expect(parser.done).toBe(false);
    expect(parser.feed(Buffer.concat([header.subarray(9), new Uint8Array(300)]), 0)).toBe(1);
    expect(parser.greeting).toEqual(UNVERSIONED);
    expect(toHex(parser.replay())).toBe(toHex(header));
  });

  test("RFC 23 only the low bit of byte 9 matters: 0x01 is accepted like 0x7F", () => {
    expect(parse([greetingWith({ 9: 0x01 })]).parser.greeting).toEqual(NULL_GREETING);
  });

  test("RFC 15 a ZMTP 2.0 greeting is 12 bytes, revision 1 then the socket type, split anywhere", () => {
    // What a libzmq 3.2 DEALER (5) sends: signature, revision 0x01, socket type; then its identity frame.
    const v2 = hex("ff 00 00 00 00 00 00 00 01 7f 01 05 00 00");
    for (let split = 0; split <= 12; split++) {
      const { parser, consumed } = parse([v2.subarray(0, split), v2.subarray(split, 12), v2.subarray(12)]);
      expect({ split, consumed, greeting: parser.greeting }).toEqual({
        split,
        consumed: [split, 12 - split, 0],
        greeting: { ...LEGACY, major: 2, socketType: 5 },
      });
    }
  });

  test("a revision 0 greeting (ZMTP 1.0 with a signature) is 12 bytes too, with the socket type at byte 11", () => {
    expect(parse([greetingWith({ 10: 0, 11: 8 }).subarray(0, 12)]).parser.greeting).toEqual({ ...LEGACY, major: 1, socketType: 8 });
  });

  test("the revision is known from byte 11 on, so the other side can choose what to send next", () => {
    const parser = new GreetingParser();
    parser.feed(LIBZMQ_NULL_GREETING.subarray(0, 10), 0);
    expect(parser.revision).toBe(-1);
    parser.feed(LIBZMQ_NULL_GREETING.subarray(10, 11), 0);
    expect(parser.revision).toBe(3);
    expect(parser.received).toBe(11);
  });

  test("libzmq reads every revision but 0, 1 and 3 as 3.1: revisions 2, 4 and 0xFF are 64-byte 3.1 greetings", () => {
    expect(parse([greetingWith({ 10: 2, 11: 0 })]).parser.greeting).toEqual(NULL_GREETING);
    expect(parse([greetingWith({ 10: 4, 11: 0 })]).parser.greeting).toEqual(NULL_GREETING);
    expect(parse([greetingWith({ 10: 0xff, 11: 7 })]).parser.greeting).toEqual(NULL_GREETING);
  });

  test("RFC 23 a ZMTP 3.0 peer reports minor 0 so the engine can use legacy subscriptions", () => {
    expect(parse([greetingWith({ 11: 0 })]).parser.greeting).toEqual({ ...NULL_GREETING, minor: 0 });
  });

  test("padding, as-server and filler are never validated (libzmq's routing-id padding is accepted)", () => {
    const patch: Record<number, number> = { 8: 0x03, 1: 0xaa, 32: 0x01 };
    for (let i = 33; i < GREETING_SIZE; i++) patch[i] = 0x55;
    const { parser } = parse([greetingWith(patch)]);
    expect(parser.greeting).toEqual({ ...NULL_GREETING, asServer: true });
  });

  test("the mechanism keeps everything up to its last non-NUL byte, so mismatches stay visible", () => {
    const plain = parse([encodeGreeting("PLAIN", true)]).parser.greeting;
    expect(plain).toEqual({ ...NULL_GREETING, mechanism: "PLAIN", asServer: true });
    // libzmq compares all 20 bytes: "NULL" followed by junk must not read as "NULL".
    const junk = parse([greetingWith({ 31: 0x58 })]).parser.greeting!;
    expect(junk.mechanism).toBe(`NULL${"\0".repeat(15)}X`);
    expect(parse([greetingWith({ 12: 0, 13: 0, 14: 0, 15: 0 })]).parser.greeting!.mechanism).toBe("");
  });
});
