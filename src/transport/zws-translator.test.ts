// ZWS 2.0 re-framing without sockets: the engine's ZMTP bytes in, WebSocket messages out (and back),
// whatever the chunking; the made-up peer greeting; bare mode's routing-id exchange; PING handed to
// the WebSocket; libzmq's empty heartbeat command; the subprotocol choice of ws-options.ts; ws:// endpoints.

import { describe, expect, test } from "bun:test";
import { encodeCommand, encodePing, encodeReady } from "../wire/command.ts";
import { FrameDecoder } from "../wire/decoder.ts";
import { encodeFrame, FLAG_COMMAND, FLAG_MORE } from "../wire/frame.ts";
import { encodeGreeting } from "../wire/greeting.ts";
import { parseMetadata } from "../wire/metadata.ts";
import { parseEndpoint } from "./endpoint.ts";
import { modeOf, offeredSubprotocols, selectSubprotocol } from "./ws-options.ts";
import { ZwsTranslator, type ZwsMode } from "./zws-translator.ts";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const text = (value: string) => new TextEncoder().encode(value);

function translator(mode: ZwsMode, canPing = false) {
  const sent: Uint8Array[] = [];
  const delivered: Uint8Array[] = [];
  let pings = 0;
  const zws = new ZwsTranslator(mode, {
    send: (message) => sent.push(message),
    ping: () => (canPing ? ++pings > 0 : false),
    deliver: (chunk) => delivered.push(chunk),
  });
  /** The ZMTP frames delivered so far, decoded. */
  const frames = () => {
    const decoder = new FrameDecoder(-1);
    const out: Array<[number, string]> = [];
    for (const chunk of delivered) {
      decoder.feed(chunk);
      while (decoder.next()) out.push([decoder.flags, hex(decoder.body)]);
    }
    return out;
  };
  return { zws, sent, delivered, frames, pings: () => pings };
}

describe("ZWS 2.0 re-framing (RFC 45)", () => {
  test("our greeting is swallowed, and each ZMTP frame after it becomes one message: flags (MORE 1, COMMAND 2), body", () => {
    const { zws, sent } = translator("NULL");
    const bytes = Buffer.concat([
      encodeGreeting("NULL", false),
      encodeFrame(FLAG_MORE, text("a")),
      encodeFrame(0, new Uint8Array(300)),
      encodeCommand("READY"),
    ]);
    // Fed a byte at a time: the frames do not care how the engine's writes are cut.
    for (let i = 0; i < bytes.length; i++) zws.outbound(bytes, i, 1);
    expect(sent.map((m) => [m[0], m.length])).toEqual([
      [1, 2],
      [0, 301],
      [2, 7],
    ]);
    expect(hex(sent[2]!)).toBe(`02${hex(text("\x05READY"))}`);
  });

  test("a received message becomes a ZMTP frame, short or long, with MORE and COMMAND in ZMTP's bits", () => {
    const { zws, frames } = translator("NULL");
    expect(zws.inbound(Uint8Array.of(1, 0x61))).toBeNull();
    expect(zws.inbound(Uint8Array.of(2, 5, ...text("READY")))).toBeNull();
    expect(zws.inbound(new Uint8Array(1 + 5000))).toBeNull();
    const got = frames();
    expect(got[0]).toEqual([FLAG_MORE, "61"]);
    expect(got[1]).toEqual([FLAG_COMMAND, hex(text("\x05READY"))]);
    expect(got[2]![1].length).toBe(10_000);
  });

  test("an empty message is malformed; an empty command (libzmq's heartbeat) is only liveness", () => {
    const { zws, delivered } = translator("NULL");
    expect(zws.inbound(new Uint8Array(0))).toContain("empty");
    expect(zws.inbound(Uint8Array.of(2))).toBeNull();
    expect(delivered.map((chunk) => chunk.length)).toEqual([0]);
  });

  test("the made-up peer greeting: the subprotocol's mechanism, version 3.0; a staged greeting of ours is dropped whole", () => {
    const { zws, sent } = translator("CURVE");
    const ours = encodeGreeting("CURVE", true);
    // libzmq's staging: signature, major version, the rest.
    zws.outbound(ours, 0, 10);
    zws.outbound(ours, 10, 1);
    zws.outbound(ours, 11, 53);
    expect(sent).toEqual([]);
    const greeting = zws.peerGreeting();
    expect([greeting[0], greeting[9], greeting[10], greeting[11]]).toEqual([0xff, 0x7f, 3, 0]);
    expect(new TextDecoder().decode(greeting.subarray(12, 17))).toBe("CURVE");
  });

  test("a PING goes as a WebSocket ping where the channel has one, else as a command", () => {
    const ping = encodePing(10, text("ctx"));
    const withPing = translator("NULL", true);
    withPing.zws.outbound(Buffer.concat([encodeGreeting("NULL", false), ping]), 0, 64 + ping.length);
    expect([withPing.sent.length, withPing.pings()]).toEqual([0, 1]);
    const browser = translator("NULL", false);
    browser.zws.outbound(Buffer.concat([encodeGreeting("NULL", false), ping]), 0, 64 + ping.length);
    expect(browser.sent.map((m) => m[0])).toEqual([2]);
  });

  test("bare ZWS2.0: our READY becomes our routing id; the peer's first message becomes its READY", () => {
    const { zws, sent, frames } = translator("bare");
    // The peer's routing id may come first: it waits for our READY, which says our socket type.
    zws.inbound(Uint8Array.of(0, ...text("peer-id")));
    zws.inbound(Uint8Array.of(0, ...text("hello")));
    expect(frames()).toEqual([]);
    const ready = encodeReady([
      ["Socket-Type", text("DEALER")],
      ["Identity", text("me")],
    ]);
    zws.outbound(Buffer.concat([encodeGreeting("NULL", false), ready]), 0, 64 + ready.length);
    expect(sent.map(hex)).toEqual([hex(Uint8Array.of(0, ...text("me")))]);
    const [[flags, body], message] = frames() as [[number, string], [number, string]];
    expect(flags).toBe(FLAG_COMMAND);
    const properties = parseMetadata(Buffer.from(body, "hex").subarray(6))!;
    expect(new TextDecoder().decode(properties.get("Socket-Type"))).toBe("DEALER");
    expect(new TextDecoder().decode(properties.get("Identity"))).toBe("peer-id");
    expect(message).toEqual([0, hex(text("hello"))]);
  });

  test("bare ZWS2.0 drops commands a bare peer would read as messages (jszmq reads every message as data)", () => {
    const { zws, sent } = translator("bare");
    const ready = encodeReady([["Socket-Type", text("PUB")]]);
    const error = encodeCommand("ERROR", Uint8Array.of(1, 0x78));
    zws.outbound(Buffer.concat([encodeGreeting("NULL", false), ready, error]), 0, 64 + ready.length + error.length);
    expect(sent.map(hex)).toEqual(["00"]);
  });
});

describe("ZWS 2.0 subprotocols (libzmq ws_engine)", () => {
  test("a client offers ZWS2.0/<mechanism>; NULL also offers bare ZWS2.0, and wsBareProtocol only that", () => {
    expect(offeredSubprotocols("NULL")).toEqual(["ZWS2.0/NULL", "ZWS2.0"]);
    expect(offeredSubprotocols("CURVE")).toEqual(["ZWS2.0/CURVE"]);
    expect(offeredSubprotocols("NULL", true)).toEqual(["ZWS2.0"]);
  });

  test("a server takes the first offer its mechanism accepts; a CURVE server refuses bare ZWS2.0", () => {
    expect(selectSubprotocol("ZWS2.0/NULL,ZWS2.0", "NULL")).toBe("ZWS2.0/NULL");
    expect(selectSubprotocol("chat, ZWS2.0", "NULL")).toBe("ZWS2.0");
    expect(selectSubprotocol("ZWS2.0", "CURVE")).toBeNull();
    expect(selectSubprotocol("ZWS2.0/PLAIN", "PLAIN")).toBe("ZWS2.0/PLAIN");
    expect(selectSubprotocol(null, "NULL")).toBeNull();
    expect([modeOf("ZWS2.0", "NULL"), modeOf("ZWS2.0/CURVE", "CURVE"), modeOf("ZWS2.0/NULL", "PLAIN")]).toEqual(["bare", "CURVE", null]);
  });
});

describe("ws:// endpoints", () => {
  test("host, port and path; the path defaults to /; * binds any address and port", () => {
    expect(parseEndpoint("ws://127.0.0.1:5555/a/b", "connect", false)).toEqual({
      scheme: "ws",
      host: "127.0.0.1",
      // lint-tests-allow literal-port: parsed only, nothing binds or dials it
      port: 5555,
      family: 4,
      path: "/a/b",
    });
    expect(parseEndpoint("wss://example.com:443", "connect", false)).toMatchObject({ scheme: "wss", path: "/" });
    expect(parseEndpoint("ws://*:*/x", "bind", false)).toMatchObject({ host: "0.0.0.0", port: 0 });
    expect(parseEndpoint("ws://[::1]:80/x", "connect", true)).toMatchObject({ host: "::1", family: 6, path: "/x" });
  });

  test("a connect needs a real port, a bind a numeric address, and the path must be a URL path", () => {
    const refusal = (endpoint: string, purpose: "bind" | "connect") => {
      try {
        parseEndpoint(endpoint, purpose, false);
      } catch (error) {
        return `${(error as { code: string }).code}: ${(error as { detail: string }).detail}`;
      }
      throw new Error(`${endpoint} was accepted`);
    };
    expect(refusal("ws://h:*/", "connect")).toMatch(/^EINVAL: .*real port/);
    expect(refusal("ws://example.com:1/", "bind")).toMatch(/^ENODEV: .*numeric address/);
    expect(refusal("ws://h:1/a b", "connect")).toMatch(/^EINVAL: .*URL path/);
    expect(refusal("ws://nohost/", "connect")).toMatch(/^EINVAL: .*ws:\/\/host:port\/path/);
  });
});
