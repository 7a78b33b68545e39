// RFC 48 JOIN and LEAVE through the engine: a RADIO's engine hands them up as group-command
// messages, a DISH's writes them as command frames (sealed like any command under CURVE, not tested
// here), a group over 255 bytes ends the connection with EPROTO, and other socket types ignore them.

import { describe, expect, test } from "bun:test";
import { groupCommandMessage } from "../core/group-command.ts";
import type { Message } from "../core/message.ts";
import { SOCKET_TYPE_NAMES, SocketType } from "../core/socket-type.ts";
import { NullMechanism } from "../mechanism/null.ts";
import { createPipePair, type PipeEnd } from "../pipe/pipe-end.ts";
import { FLAG_COMMAND } from "../wire/frame.ts";
import { encodeReady } from "../wire/command.ts";
import { encodeGreeting } from "../wire/greeting.ts";
import type { EngineFailure, EngineHost } from "./engine.ts";
import { ZmtpEngine } from "./zmtp-engine.ts";
import { FakeStream } from "./test-support.ts";

const text = new TextEncoder();

class FakeHost implements EngineHost {
  closed: Array<EngineFailure | null> = [];
  pipes = createPipePair(1000, 1000, { routingId: new Uint8Array(0), address: "x" });
  engineReady(): PipeEnd {
    return this.pipes.peerEnd;
  }
  engineClosed(_engine: ZmtpEngine, failure: EngineFailure | null): void {
    this.closed.push(failure);
  }
}

/** An engine of `type` past its handshake with a `peer`, and what it wrote after it. */
function connected(type: SocketType, peer: SocketType) {
  const stream = new FakeStream();
  const host = new FakeHost();
  const mechanism = new NullMechanism([["Socket-Type", text.encode(SOCKET_TYPE_NAMES[type]!)]]);
  const engine = new ZmtpEngine(
    stream,
    { socketType: type, mechanism, maxMessageSize: -1, handshakeInterval: 0, outBatchSize: 8192 },
    host,
  );
  engine.start();
  stream.handler!.onData(
    Buffer.concat([encodeGreeting("NULL", false), encodeReady([["Socket-Type", text.encode(SOCKET_TYPE_NAMES[peer]!)]])]),
  );
  const handshakeBytes = stream.bytes().length;
  const feed = (bytes: Uint8Array) => stream.handler!.onData(Buffer.from(bytes));
  const received = (): Message[] => {
    const out: Message[] = [];
    for (let message = host.pipes.socketEnd.inbound.read(); message !== undefined; message = host.pipes.socketEnd.inbound.read())
      out.push(message);
    return out;
  };
  return { stream, host, engine, feed, received, written: () => stream.bytes().subarray(handshakeBytes) };
}

/** A JOIN or LEAVE command frame with a short header (bodies under 256 bytes) or a long one. */
function commandFrame(name: "JOIN" | "LEAVE", group: string): Buffer {
  const body = Buffer.concat([Buffer.from([name.length]), Buffer.from(name), Buffer.from(group)]);
  const header =
    body.length > 255 ? Buffer.concat([Buffer.from([FLAG_COMMAND | 0x02]), Buffer.alloc(8)]) : Buffer.from([FLAG_COMMAND, body.length]);
  if (body.length > 255) header.writeBigUInt64BE(BigInt(body.length), 1);
  return Buffer.concat([header, body]);
}

const flushes = () => new Promise((resolve) => setImmediate(resolve));

describe("RFC 48 group commands through the engine", () => {
  test("a RADIO's engine hands JOIN and LEAVE up as group-command messages, whole", () => {
    const { feed, received, host } = connected(SocketType.Radio, SocketType.Dish);
    feed(Buffer.concat([commandFrame("JOIN", "news"), commandFrame("LEAVE", "news"), commandFrame("JOIN", "")]));
    const messages = received();
    expect(messages.map((m) => [m.isGroupCommand, Buffer.from(m[0]!).toString("latin1")])).toEqual([
      [true, "\x04JOINnews"],
      [true, "\x05LEAVEnews"],
      [true, "\x04JOIN"],
    ]);
    expect(host.closed).toEqual([]);
  });

  test("a JOIN with a group over 255 bytes ends the connection with EPROTO; 255 bytes is fine", () => {
    const fine = connected(SocketType.Radio, SocketType.Dish);
    fine.feed(commandFrame("JOIN", "g".repeat(255)));
    expect(fine.received()).toHaveLength(1);
    expect(fine.host.closed).toEqual([]);

    const bad = connected(SocketType.Radio, SocketType.Dish);
    bad.feed(commandFrame("JOIN", "g".repeat(256)));
    expect(bad.received()).toEqual([]);
    expect(bad.host.closed.map((f) => [f?.stage, f?.kind, f?.code])).toEqual([["traffic", "protocol", "EPROTO"]]);
  });

  test("other socket types ignore JOIN and LEAVE, as libzmq's sessions pass them to sockets that drop them", () => {
    const { feed, received, host } = connected(SocketType.Dish, SocketType.Radio);
    feed(Buffer.concat([commandFrame("JOIN", "x"), commandFrame("JOIN", "g".repeat(300))]));
    expect(received()).toEqual([]);
    expect(host.closed).toEqual([]);
  });

  test("a DISH's engine writes group-command messages as command frames, JOIN then LEAVE", async () => {
    const { host, written } = connected(SocketType.Dish, SocketType.Radio);
    host.pipes.socketEnd.outbound.write(groupCommandMessage(true, text.encode("weather")));
    host.pipes.socketEnd.outbound.write(groupCommandMessage(false, text.encode("weather")));
    await flushes();
    expect(Buffer.from(written())).toEqual(Buffer.concat([commandFrame("JOIN", "weather"), commandFrame("LEAVE", "weather")]));
  });
});

describe("RFC 48 group messages into a DISH's engine", () => {
  for (const [what, bad] of [
    ["a single frame", [Buffer.from("no group")]],
    ["three frames", [Buffer.from("g"), Buffer.from("a"), Buffer.from("b")]],
    ["a group over 255 bytes", [Buffer.alloc(256, 0x67), Buffer.from("body")]],
  ] as const) {
    test(`${what} ends the connection with EPROTO, as libzmq's dish session drops it; [group, body] passes`, () => {
      const { feed, received, host } = connected(SocketType.Dish, SocketType.Radio);
      const frames = (parts: readonly Buffer[]) =>
        Buffer.concat(parts.map((part, i) => Buffer.concat([Buffer.from([i < parts.length - 1 ? 1 : 0, part.length]), part])));
      const good = frames([Buffer.from("g"), Buffer.from("fine")]);
      const long = bad[0]!.length > 255;
      feed(good);
      if (long) {
        const header = Buffer.alloc(9);
        header[0] = 0x03;
        header.writeBigUInt64BE(256n, 1);
        feed(Buffer.concat([header, bad[0]!, Buffer.from([0, 4]), bad[1]!]));
      } else feed(frames(bad));
      expect(received().map((m) => m.length)).toEqual([2]);
      expect(host.closed.map((f) => f?.code)).toEqual(["EPROTO"]);
    });
  }
});
