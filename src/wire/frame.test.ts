// Frame header encoding: short/long choice at 255/256 (zmtp-notes §2.3), hand-written 8-byte sizes.

import { describe, expect, test } from "bun:test";
import { FLAG_COMMAND, FLAG_LONG, FLAG_MORE, encodeFrame, frameHeaderSize, readLongSize, writeFrameHeader } from "./frame.ts";
import { toHex } from "./test-support.ts";

/** The header bytes writeFrameHeader produces, checked against a DataView reference. */
function header(flags: number, bodyLength: number): string {
  const buf = new Uint8Array(9);
  const end = writeFrameHeader(buf, 0, flags, bodyLength);
  expect(end).toBe(frameHeaderSize(bodyLength));
  return toHex(buf.subarray(0, end));
}

function referenceLongHeader(flags: number, bodyLength: number): string {
  const buf = new Uint8Array(9);
  buf[0] = flags | FLAG_LONG;
  new DataView(buf.buffer).setBigUint64(1, BigInt(bodyLength));
  return toHex(buf);
}

describe("frame header", () => {
  test("the flag bits have their RFC 23 values", () => {
    expect([FLAG_MORE, FLAG_LONG, FLAG_COMMAND]).toEqual([0x01, 0x02, 0x04]);
  });

  test("RFC 23 frameHeaderSize is 2 up to a 255-byte body and 9 from 256 bytes", () => {
    expect([0, 1, 255, 256, 65536, 2 ** 40].map(frameHeaderSize)).toEqual([2, 2, 2, 9, 9, 9]);
  });

  test("RFC 23 short headers carry the flags as given and a 1-byte size", () => {
    expect(header(0, 0)).toBe("00 00");
    expect(header(FLAG_MORE, 16)).toBe("01 10");
    expect(header(FLAG_COMMAND, 255)).toBe("04 ff");
  });

  test("RFC 23 long headers add FLAG_LONG and an 8-byte big-endian size", () => {
    expect(header(0, 256)).toBe("02 00 00 00 00 00 00 01 00");
    expect(header(FLAG_MORE, 65536)).toBe("03 00 00 00 00 00 01 00 00");
    expect(header(FLAG_COMMAND, 300)).toBe("06 00 00 00 00 00 00 01 2c");
  });

  test("sizes above 32 bits, up to 2^53 - 1, are written exactly", () => {
    for (const size of [2 ** 32 - 1, 2 ** 32, 2 ** 32 + 5, 0x123456789abc, Number.MAX_SAFE_INTEGER]) {
      expect(header(FLAG_MORE, size)).toBe(referenceLongHeader(FLAG_MORE, size));
    }
  });

  test("writeFrameHeader writes at the given position and returns where the body starts", () => {
    const batch = new Uint8Array(32).fill(0xee);
    let pos = writeFrameHeader(batch, 3, FLAG_MORE, 2);
    expect(pos).toBe(5);
    pos = writeFrameHeader(batch, pos + 2, 0, 1000);
    expect(pos).toBe(16);
    expect(toHex(batch.subarray(0, 17))).toBe("ee ee ee 01 02 ee ee 02 00 00 00 00 00 00 03 e8 ee");
  });

  test("readLongSize reads back every size writeFrameHeader writes", () => {
    for (const size of [256, 70000, 2 ** 32 + 1, 2 ** 48 + 3, Number.MAX_SAFE_INTEGER]) {
      const buf = new Uint8Array(9);
      writeFrameHeader(buf, 0, 0, size);
      expect(readLongSize(buf, 1)).toBe(size);
    }
  });

  test("readLongSize returns at least 2^53 for sizes that cannot be represented exactly", () => {
    const buf = Uint8Array.of(0x00, 0x20, 0, 0, 0, 0, 0, 0x01);
    expect(readLongSize(buf, 0)).toBeGreaterThanOrEqual(2 ** 53);
    expect(readLongSize(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), 0)).toBeGreaterThanOrEqual(2 ** 64 - 4096);
  });

  test("encodeFrame returns header and a copy of the body in a fresh buffer", () => {
    const body = Uint8Array.of(1, 2, 3);
    const frame = encodeFrame(FLAG_MORE, body);
    expect(toHex(frame)).toBe("01 03 01 02 03");
    body[0] = 9;
    expect(frame[2]).toBe(1);
    expect(toHex(encodeFrame(0, new Uint8Array(0)))).toBe("00 00");
  });
});
