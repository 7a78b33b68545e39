// libzmq's message stream over PGM: offsets, ZMTP 1.0 frames across APDUs, joining at a boundary,
// and bad lengths. The first APDU is libzmq's own (captured), the rest round-trip.

import { describe, expect, test } from "bun:test";
import type { Message } from "../core/message.ts";
import { NO_MESSAGE_START, PgmStreamDecoder, PgmStreamEncoder } from "./pgm-stream.ts";
import { hex } from "./test-support.ts";

const text = new TextEncoder();
const frames = (...parts: string[]): Message => parts.map((part) => text.encode(part));

function roundTrip(messages: Message[], apduSize: number): { apdus: Uint8Array[]; decoded: Message[] } {
  const encoder = new PgmStreamEncoder(apduSize);
  for (const message of messages) encoder.push(message);
  const apdus: Uint8Array[] = [];
  for (let apdu = encoder.next(); apdu !== null; apdu = encoder.next()) apdus.push(apdu);
  const decoder = new PgmStreamDecoder(-1);
  const decoded = apdus.flatMap((apdu) => decoder.feed(apdu).messages);
  return { apdus, decoded };
}

describe("PGM message stream", () => {
  test("libzmq's APDU for ['hello', 'world'], 300 x's and an empty message encodes byte for byte", () => {
    const libzmq = hex(`0000 0601 68656c6c6f 0600 776f726c64 ff 000000000000012d 00 ${"78".repeat(300)} 0100`.replaceAll(" ", ""));
    const messages = [frames("hello", "world"), [new Uint8Array(300).fill(0x78)], [new Uint8Array(0)]];
    const { apdus, decoded } = roundTrip(messages, 1448);
    expect(apdus).toEqual([libzmq]);
    expect(decoded).toEqual(messages);
  });

  test("a message longer than an APDU spans several, and only APDUs where a message starts name an offset", () => {
    const big = new Uint8Array(70_000).map((_, i) => i & 0xff);
    const messages = [frames("a"), [big], frames("b", "c")];
    const { apdus, decoded } = roundTrip(messages, 1448);
    expect(decoded).toEqual(messages);
    const offsets = apdus.map((apdu) => (apdu[0]! << 8) | apdu[1]!);
    expect(offsets[0]).toBe(0);
    expect(offsets.slice(1, -1).every((offset) => offset === NO_MESSAGE_START)).toBe(true);
    expect(offsets.at(-1)).not.toBe(NO_MESSAGE_START);
  });

  test("a late joiner skips to the first message that starts in its first APDU", () => {
    const messages = [[new Uint8Array(3000)], frames("next"), frames("last")];
    const { apdus } = roundTrip(messages, 1448);
    const decoder = new PgmStreamDecoder(-1);
    const decoded = apdus.slice(1).flatMap((apdu) => decoder.feed(apdu).messages);
    expect(decoded).toEqual([frames("next"), frames("last")]);
  });

  test("reset drops the partial message and resumes at the next boundary", () => {
    const messages = [frames("one"), [new Uint8Array(3000)], frames("two")];
    const { apdus } = roundTrip(messages, 1448);
    const decoder = new PgmStreamDecoder(-1);
    expect(decoder.feed(apdus[0]!).messages).toEqual([frames("one")]);
    decoder.reset();
    const rest = apdus.slice(2).flatMap((apdu) => decoder.feed(apdu).messages);
    expect(rest).toEqual([frames("two")]);
  });

  test("a frame length of 0, or over maxMessageSize, is a fault and the decoder resynchronises", () => {
    const zero = new PgmStreamDecoder(-1);
    expect(zero.feed(hex("00000000")).fault).toBe("bad-length");
    const limited = new PgmStreamDecoder(10);
    expect(limited.feed(hex("0000ff00000000ffffffff00")).fault).toBe("too-large");
    expect(limited.feed(hex("0000" + "0200" + "41")).messages).toEqual([[hex("41")]]);
  });

  test("a huge claimed length allocates nothing up front", () => {
    const decoder = new PgmStreamDecoder(-1);
    const result = decoder.feed(hex("0000ff000000007fffffff00" + "41"));
    expect(result).toEqual({ messages: [], fault: null });
    expect(new PgmStreamDecoder(-1).feed(hex("0000ff0000000100000002" + "00")).fault).toBe("too-large");
  });
});
