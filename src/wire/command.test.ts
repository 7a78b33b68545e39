// Command framing and the command-data parsers: malformed bodies, truncation limits (ERROR 255,
// PING/PONG context 16), LONG command frames, and name validation.

import { describe, expect, test } from "bun:test";
import {
  MAX_ERROR_REASON,
  MAX_PING_CONTEXT,
  encodeCancel,
  encodeCommand,
  encodeError,
  encodeLibzmqPlainError,
  encodePing,
  encodePong,
  encodeSubscribe,
  parseCommand,
  parseErrorReason,
  parseHandshakeCommand,
  parsePing,
} from "./command.ts";
import { hex, toHex, ascii, thrownCode, utf8 } from "./test-support.ts";

/** The command carried by a whole frame from one of the encoders (short or long header). */
function commandOf(frame: Uint8Array) {
  return parseCommand(frame.subarray((frame[0]! & 0x02) === 0 ? 2 : 9));
}

describe("parseCommand", () => {
  test("RFC 23 splits a body into its length-prefixed name and the data after it", () => {
    const body = hex(`04 ${ascii("PING")} 00 19 ${ascii("ctx")}`);
    const command = parseCommand(body)!;
    expect(command.name).toBe("PING");
    expect(toHex(command.data)).toBe(`00 19 ${ascii("ctx")}`);
    expect(command.data.buffer).toBe(body.buffer);
    expect(command.data.byteOffset).toBe(5);
  });

  test("a body that is exactly name-length and name has empty data", () => {
    expect(parseCommand(hex(`05 ${ascii("READY")}`))).toEqual({ name: "READY", data: new Uint8Array(0) });
  });

  test("RFC 23 an empty body, a zero name-length or a name running past the body is malformed", () => {
    expect(parseCommand(new Uint8Array(0))).toBeNull();
    expect(parseCommand(hex("00"))).toBeNull();
    expect(parseCommand(hex(`00 ${ascii("READY")}`))).toBeNull();
    expect(parseCommand(hex(`06 ${ascii("READY")}`))).toBeNull();
    expect(parseCommand(hex("ff 41"))).toBeNull();
  });

  test("a Buffer body gives a Buffer data view", () => {
    const command = parseCommand(Buffer.from(hex(`04 ${ascii("PONG")} 61`)))!;
    expect(Buffer.isBuffer(command.data)).toBe(true);
  });
});

describe("encodeCommand", () => {
  test("RFC 23 a command frame has flags 0x04 and a short size up to a 255-byte body", () => {
    expect(toHex(encodeCommand("HELLO"))).toBe(`04 06 05 ${ascii("HELLO")}`);
    const frame = encodeCommand("X", new Uint8Array(253));
    expect(toHex(frame.subarray(0, 2))).toBe("04 ff");
    expect(frame.length).toBe(257);
  });

  test("RFC 23 a command body over 255 bytes gets flags 0x06 and an 8-byte size", () => {
    const frame = encodeCommand("X", new Uint8Array(254));
    expect(toHex(frame.subarray(0, 11))).toBe(`06 00 00 00 00 00 00 01 00 01 ${ascii("X")}`);
    expect(frame.length).toBe(9 + 256);
  });

  test("RFC 37 SUBSCRIBE and CANCEL for topics of 246 to 255 bytes are well-formed long frames", () => {
    // libzmq 4.3.4 sends these with flags 0x04 and an 8-byte size (zmtp-notes §4.1); we must not.
    for (let length = 244; length <= 256; length++) {
      for (const [encode, name] of [
        [encodeSubscribe, "SUBSCRIBE"],
        [encodeCancel, "CANCEL"],
      ] as const) {
        const topic = new Uint8Array(length).fill(0x74);
        const frame = encode(topic);
        const bodyLength = 1 + name.length + length;
        expect(frame[0]).toBe(bodyLength > 255 ? 0x06 : 0x04);
        expect(frame.length).toBe((bodyLength > 255 ? 9 : 2) + bodyLength);
        expect(commandOf(frame)).toEqual({ name, data: topic });
      }
    }
  });

  test("names that are empty, longer than 255 characters or not printable ASCII throw EINVAL", () => {
    for (const name of ["", "N".repeat(256), "PÏNG", "PI NG"]) {
      expect(thrownCode(() => encodeCommand(name))).toBe("EINVAL");
    }
    expect(commandOf(encodeCommand("N".repeat(255)))!.name.length).toBe(255);
  });
});

describe("ERROR", () => {
  test("RFC 23 the reason travels as reason-len and UTF-8 text and parses back", () => {
    const frame = encodeError("Socket-Type mismatch");
    expect(parseErrorReason(commandOf(frame)!.data)).toBe("Socket-Type mismatch");
    expect(toHex(encodeError(""))).toBe(`04 07 05 ${ascii("ERROR")} 00`);
  });

  test("RFC 23 a reason longer than 255 bytes is cut to 255", () => {
    const reason = parseErrorReason(commandOf(encodeError("r".repeat(400)))!.data)!;
    expect(reason).toBe("r".repeat(MAX_ERROR_REASON));
  });

  test("the cut never splits a UTF-8 character", () => {
    const reason = parseErrorReason(commandOf(encodeError(`${"r".repeat(254)}é and more`))!.data)!;
    expect(reason).toBe("r".repeat(254));
  });

  test("RFC 23 ERROR data that is empty or whose reason-len runs past the end is malformed", () => {
    expect(parseErrorReason(new Uint8Array(0))).toBeNull();
    expect(parseErrorReason(hex(`04 ${ascii("400")}`))).toBeNull();
  });

  test("bytes after the reason are ignored, as libzmq ignores them", () => {
    expect(parseErrorReason(hex(`03 ${ascii("500")} 00 01`))).toBe("500");
  });

  // Found by the fuzz suite (test/fuzz/corpus/command-codecs.json): with parseCommand tried first,
  // the prefix's 0x5e was read as a name-length once the body reached 95 bytes.
  test("libzmq's PLAIN ERROR spelling (5e 'RROR') reads as ERROR whatever the reason's length", () => {
    for (const reason of ["400", "r".repeat(88), "r".repeat(89), "r".repeat(255)]) {
      const frame = encodeLibzmqPlainError(reason);
      const command = parseHandshakeCommand(frame.subarray((frame[0]! & 0x02) === 0 ? 2 : 9))!;
      expect(command.name).toBe("ERROR");
      expect(parseErrorReason(command.data)).toBe(reason);
    }
  });
});

describe("PING and PONG", () => {
  test("RFC 37 PING carries a 2-byte big-endian TTL and the context, and parses back", () => {
    const frame = encodePing(700, utf8("CTX123"));
    expect(toHex(frame)).toBe(`04 0d 04 ${ascii("PING")} 02 bc ${ascii("CTX123")}`);
    const ping = parsePing(commandOf(frame)!.data)!;
    expect(ping.ttl).toBe(700);
    expect(new TextDecoder().decode(ping.context)).toBe("CTX123");
  });

  test("RFC 37 PING and PONG contexts longer than 16 bytes are cut to 16", () => {
    const context = Uint8Array.from({ length: 40 }, (_, i) => i);
    expect(toHex(parsePing(commandOf(encodePing(0, context))!.data)!.context)).toBe(toHex(context.subarray(0, MAX_PING_CONTEXT)));
    expect(toHex(commandOf(encodePong(context))!.data)).toBe(toHex(context.subarray(0, MAX_PING_CONTEXT)));
  });

  test("PING always writes both TTL bytes; fractions are truncated and the TTL clamped to 0..65535", () => {
    const ttlOf = (ttl: number) => parsePing(commandOf(encodePing(ttl, new Uint8Array(0)))!.data)!.ttl;
    expect(toHex(encodePing(0, new Uint8Array(0)))).toBe(`04 07 04 ${ascii("PING")} 00 00`);
    expect([25.9, 65535, 70000, -5, Number.NaN].map(ttlOf)).toEqual([25, 65535, 65535, 0, 0]);
  });

  test("RFC 37 PING data without its two TTL bytes is malformed; a longer context is left to the caller", () => {
    expect(parsePing(new Uint8Array(0))).toBeNull();
    expect(parsePing(hex("00"))).toBeNull();
    expect(parsePing(hex("00 0a"))).toEqual({ ttl: 10, context: new Uint8Array(0) });
    expect(parsePing(new Uint8Array(2 + 20))!.context.length).toBe(20);
  });

  test("PONG with an empty context is just the name", () => {
    expect(toHex(encodePong(new Uint8Array(0)))).toBe(`04 05 04 ${ascii("PONG")}`);
  });
});
