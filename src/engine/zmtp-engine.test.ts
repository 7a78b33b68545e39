// The engine over a scripted in-memory stream: greeting, handshake ordering, failures, back-pressure.

import { describe, expect, test } from "bun:test";
import { SocketType } from "../core/socket-type.ts";
import { NullMechanism } from "../mechanism/null.ts";
import { createPipePair, type PipeEnd } from "../pipe/pipe-end.ts";
import { encodeFrame, FLAG_MORE } from "../wire/frame.ts";
import { encodeReady, encodeCommand } from "../wire/command.ts";
import { encodeGreeting } from "../wire/greeting.ts";
import type { EngineFailure, EngineHost } from "./engine.ts";
import { ZmtpEngine } from "./zmtp-engine.ts";
import { FakeStream } from "./test-support.ts";

const text = new TextEncoder();

class FakeHost implements EngineHost {
  closed: Array<EngineFailure | null> = [];
  pipes = createPipePair(1000, 2, { routingId: new Uint8Array(0), address: "x" });
  ready = 0;
  engineReady(): PipeEnd {
    this.ready++;
    return this.pipes.peerEnd;
  }
  engineClosed(_engine: ZmtpEngine, failure: EngineFailure | null): void {
    this.closed.push(failure);
  }
}

function ready(socketType: string): Uint8Array {
  return encodeReady([["Socket-Type", text.encode(socketType)]]);
}

function setup(maxMessageSize = -1, handshakeInterval = 0) {
  const stream = new FakeStream();
  const host = new FakeHost();
  const mechanism = new NullMechanism([["Socket-Type", text.encode("PULL")]]);
  const engine = new ZmtpEngine(
    stream,
    { socketType: SocketType.Pull, mechanism, maxMessageSize, handshakeInterval, outBatchSize: 8192 },
    host,
  );
  engine.start();
  const feed = (bytes: Uint8Array) => stream.handler!.onData(Buffer.from(bytes));
  return { stream, host, engine, feed };
}

describe("ZmtpEngine", () => {
  test("stages its greeting as libzmq does: the signature, the major once the peer's signature is in, the rest once its revision is", () => {
    const { stream, feed } = setup();
    const greeting = encodeGreeting("NULL", false);
    expect(stream.bytes()).toEqual(Buffer.from(greeting.subarray(0, 10)));
    feed(greeting.subarray(0, 9));
    expect(stream.written.length).toBe(1);
    feed(greeting.subarray(9, 10));
    expect(stream.bytes()).toEqual(Buffer.from(greeting.subarray(0, 11)));
    feed(greeting.subarray(10, 11));
    expect(stream.bytes()).toEqual(Buffer.from(greeting));
  });

  test("sends READY only after the peer's greeting is complete, even when it arrives 10/1/53 bytes at a time", () => {
    const { stream, feed } = setup();
    const greeting = encodeGreeting("NULL", false);
    feed(greeting.subarray(0, 10));
    feed(greeting.subarray(10, 11));
    expect(stream.bytes().length).toBe(64);
    feed(greeting.subarray(11));
    expect(stream.bytes().subarray(64)).toEqual(Buffer.from(ready("PULL")));
  });

  test("sends no traffic before the peer's READY has arrived (zmtp-notes §0 item 4)", () => {
    const stream = new FakeStream();
    const host = new FakeHost();
    const mechanism = new NullMechanism([["Socket-Type", text.encode("PUSH")]]);
    const engine = new ZmtpEngine(
      stream,
      { socketType: SocketType.Push, mechanism, maxMessageSize: -1, handshakeInterval: 0, outBatchSize: 8192 },
      host,
    );
    host.pipes.socketEnd.outbound.write([text.encode("early")]);
    engine.start();
    stream.handler!.onData(Buffer.from(encodeGreeting("NULL", false)));
    const beforeReady = stream.bytes().length;
    expect(beforeReady).toBe(64 + ready("PUSH").length);
    stream.handler!.onData(Buffer.from(ready("PULL")));
    expect(host.ready).toBe(1);
    expect(Buffer.from(stream.bytes().subarray(beforeReady))).toEqual(Buffer.from([0x00, 0x05, ...text.encode("early")]));
  });

  test("delivers a READY and data frames that arrive in the same chunk as one multipart message", () => {
    const { host, feed } = setup();
    const chunk = Buffer.concat([
      encodeGreeting("NULL", false),
      ready("PUSH"),
      encodeFrame(FLAG_MORE, text.encode("a")),
      encodeFrame(FLAG_MORE, new Uint8Array(0)),
      encodeFrame(0, text.encode("b")),
    ]);
    feed(chunk);
    const message = host.pipes.socketEnd.inbound.read()!;
    expect(message.map((f) => Buffer.from(f).toString())).toEqual(["a", "", "b"]);
  });

  test("refuses a peer whose mechanism differs, before any READY", () => {
    const { host, stream, feed } = setup();
    feed(encodeGreeting("PLAIN", false));
    expect(host.closed[0]?.code).toBe("ERR_ZMTP_MECHANISM_MISMATCH");
    expect(stream.destroyed).toBe(true);
    expect(stream.bytes().length).toBe(64);
  });

  test("refuses an incompatible socket type and a READY without Socket-Type", () => {
    const a = setup();
    a.feed(Buffer.concat([encodeGreeting("NULL", false), ready("PULL")]));
    expect(a.host.closed[0]).toMatchObject({ stage: "handshake", code: "ERR_ZMTP_SOCKET_TYPE_MISMATCH" });
    const b = setup();
    b.feed(Buffer.concat([encodeGreeting("NULL", false), encodeReady([["Identity", new Uint8Array(0)]])]));
    expect(b.host.closed[0]).toMatchObject({ stage: "handshake", code: "ERR_ZMTP_INVALID_METADATA" });
  });

  test("refuses an unexpected command during the handshake", () => {
    const { host, feed } = setup();
    feed(Buffer.concat([encodeGreeting("NULL", false), encodeCommand("HELLO", new Uint8Array(2))]));
    expect(host.closed[0]).toMatchObject({ stage: "handshake", code: "ERR_ZMTP_UNEXPECTED_COMMAND" });
  });

  test("ignores unknown commands after the handshake and answers PING with PONG carrying its context", () => {
    const { host, stream, feed } = setup();
    feed(Buffer.concat([encodeGreeting("NULL", false), ready("PUSH")]));
    feed(encodeCommand("FROB", text.encode("x")));
    feed(encodeCommand("PING", new Uint8Array([0, 10, ...text.encode("ctx")])));
    expect(host.closed.length).toBe(0);
    return Promise.resolve().then(() => {
      const tail = Buffer.from(stream.bytes().subarray(-10));
      expect(tail).toEqual(Buffer.from(encodeCommand("PONG", text.encode("ctx"))));
    });
  });

  test("closes a connection whose frame exceeds maxMessageSize, as a traffic failure", () => {
    const { host, feed } = setup(100);
    feed(Buffer.concat([encodeGreeting("NULL", false), ready("PUSH")]));
    feed(encodeFrame(0, new Uint8Array(101)));
    expect(host.closed[0]).toMatchObject({ stage: "traffic", code: "EMSGSIZE" });
  });

  test("holds decoding at the receive high-water mark, pauses the stream only if more arrives, and loses nothing", async () => {
    const { host, stream, feed } = setup();
    const frames = [1, 2, 3, 4, 5].map((n) => encodeFrame(0, new Uint8Array([n])));
    feed(Buffer.concat([encodeGreeting("NULL", false), ready("PUSH"), ...frames]));
    const inbound = host.pipes.socketEnd.inbound;
    expect(inbound.size).toBe(2);
    expect(stream.paused).toBe(false);
    feed(Buffer.concat([6, 7].map((n) => encodeFrame(0, new Uint8Array([n])))));
    expect(stream.paused).toBe(true);
    expect(inbound.size).toBe(2);
    const seen: number[] = [];
    while (seen.length < 7) {
      const message = inbound.read();
      if (message === undefined) await Promise.resolve();
      else seen.push(message[0]![0]!);
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(stream.paused).toBe(false);
  });

  test("a peer that closes while decoding is held at the HWM still has every message delivered before the close is reported", async () => {
    const { host, stream, feed } = setup();
    const frames = [1, 2, 3, 4, 5, 6].map((n) => encodeFrame(0, new Uint8Array([n])));
    feed(Buffer.concat([encodeGreeting("NULL", false), ready("PUSH"), ...frames.slice(0, 4)]));
    feed(Buffer.concat(frames.slice(4)));
    stream.handler!.onClose();
    expect(host.closed).toEqual([]);
    const inbound = host.pipes.socketEnd.inbound;
    const seen: number[] = [];
    while (seen.length < 6) {
      const message = inbound.read();
      if (message === undefined) await Promise.resolve();
      else seen.push(message[0]![0]!);
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    // Reading resumes in a microtask once the pipe falls to its low-water mark.
    for (let turn = 0; turn < 10 && host.closed.length === 0; turn++) await Promise.resolve();
    expect(host.closed).toEqual([null]);
  });

  test("fails the handshake with ETIMEDOUT when the peer stays silent past handshakeInterval", async () => {
    const { host } = setup(-1, 20);
    const deadline = Date.now() + 5000;
    while (host.closed.length === 0 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    expect(host.closed[0]).toMatchObject({ stage: "handshake", kind: "timeout", code: "ETIMEDOUT" });
  });
});
