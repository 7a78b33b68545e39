// Greeting encoder and incremental parser: golden bytes (zmtp-notes §1.1), every chunking,
// and refusals as early as the refused byte arrives.

import { describe, expect, test } from "bun:test";
import { GREETING_SIZE, GreetingParser, encodeGreeting } from "./greeting.ts";
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

const NULL_GREETING = { major: 3, minor: 1, mechanism: "NULL", asServer: false };

describe("encodeGreeting", () => {
  test("RFC 23 a NULL greeting equals libzmq 4.3.4's golden bytes", () => {
    expect(toHex(encodeGreeting("NULL", false))).toBe(toHex(LIBZMQ_NULL_GREETING));
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
    expect(parser.error).toBeNull();
    expect(parser.errorCode).toBeNull();
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
    expect(parser.error).toBeNull();
  });

  test("RFC 23 a first byte other than 0xFF is refused as soon as that byte arrives", () => {
    const parser = new GreetingParser();
    expect(parser.feed(greetingWith({ 0: 0x00 }), 0)).toBe(1);
    expect(parser.errorCode).toBe("ERR_ZMTP_UNSPECIFIED");
    expect(parser.error).toContain("signature");
    expect(parser.done).toBe(false);
    expect(parser.greeting).toBeNull();
    expect(parser.feed(LIBZMQ_NULL_GREETING, 0)).toBe(0);
  });

  test("RFC 23 a byte 9 with its low bit clear (an unversioned ZMTP 1.0 peer) is refused after 10 bytes", () => {
    const bad = greetingWith({ 9: 0x7e });
    const parser = new GreetingParser();
    expect(parser.feed(bad.subarray(0, 9), 0)).toBe(9);
    expect(parser.error).toBeNull();
    expect(parser.feed(bad, 9)).toBe(1);
    expect(parser.errorCode).toBe("ERR_ZMTP_UNSPECIFIED");
  });

  test("RFC 23 only the low bit of byte 9 matters: 0x01 is accepted like 0x7F", () => {
    expect(parse([greetingWith({ 9: 0x01 })]).parser.greeting).toEqual(NULL_GREETING);
  });

  test("RFC 23 a major version 2 peer is refused with ERR_ZMTP_UNSUPPORTED_VERSION once byte 10 arrives", () => {
    for (const major of [0, 1, 2]) {
      const parser = new GreetingParser();
      expect(parser.feed(greetingWith({ 10: major }).subarray(0, 11), 0)).toBe(11);
      expect(parser.errorCode).toBe("ERR_ZMTP_UNSUPPORTED_VERSION");
      expect(parser.error).toContain(`version ${major}`);
    }
  });

  test("RFC 23 a major version 4 peer is treated as ZMTP 3.1 whatever its minor", () => {
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
    expect(plain).toEqual({ major: 3, minor: 1, mechanism: "PLAIN", asServer: true });
    // libzmq compares all 20 bytes: "NULL" followed by junk must not read as "NULL".
    const junk = parse([greetingWith({ 31: 0x58 })]).parser.greeting!;
    expect(junk.mechanism).toBe(`NULL${"\0".repeat(15)}X`);
    expect(parse([greetingWith({ 12: 0, 13: 0, 14: 0, 15: 0 })]).parser.greeting!.mechanism).toBe("");
  });
});
