// Engines and a message framed once for every connection (Message.wire, wire/shared-encoding.ts):
// which engines take it (ZMTP 3.x and 2.0 framing with NULL; not ZMTP 1.0's), that the first engine
// to write it frames it and the others write the same block, and that an engine framing on its own
// writes the same bytes. The distributing socket's side is in routing/distribute.test.ts.

import { describe, expect, test } from "bun:test";
import type { Message } from "../core/message.ts";
import { SocketType } from "../core/socket-type.ts";
import { NullMechanism } from "../mechanism/null.ts";
import { createPipePair } from "../pipe/pipe-end.ts";
import { encodeReady } from "../wire/command.ts";
import { encodeGreeting } from "../wire/greeting.ts";
import { FakeStream } from "./test-support.ts";
import { ZmtpEngine } from "./zmtp-engine.ts";

const text = new TextEncoder();

/** An XPUB engine over a scripted stream; `peer` is what the peer sends first. */
function engine(peer: Uint8Array) {
  const stream = new FakeStream();
  const pipes = createPipePair(1000, 1000, { routingId: new Uint8Array(0), address: "x" });
  const mechanism = new NullMechanism([["Socket-Type", text.encode("XPUB")]]);
  const host = { engineReady: () => pipes.peerEnd, engineClosed: () => {} };
  const zmtp = new ZmtpEngine(
    stream,
    { socketType: SocketType.XPublisher, mechanism, maxMessageSize: -1, handshakeInterval: 0, outBatchSize: 8192 },
    host,
  );
  zmtp.start();
  stream.handler!.onData(Buffer.from(peer));
  const handshake = stream.bytes().length;
  return { zmtp, stream, writes: stream.writeSources, toWire: pipes.socketEnd.outbound, traffic: () => stream.bytes().subarray(handshake) };
}

const zmtp3Sub = () => Buffer.concat([encodeGreeting("NULL", false), encodeReady([["Socket-Type", text.encode("SUB")]])]);

/** What the distributing socket hands each pipe: the same message object, marked to be framed once. */
function marked(...frames: string[]): Message {
  const message: Message = frames.map((f) => text.encode(f));
  message.wire = null;
  return message;
}

describe("engines and shared framing", () => {
  test("a NULL engine with a ZMTP 3.x peer takes it once traffic starts, and no longer once closed", () => {
    const { zmtp, toWire } = engine(new Uint8Array(0));
    expect(toWire.takesWire).toBe(false);
    const ready = engine(zmtp3Sub());
    expect(ready.toWire.takesWire).toBe(true);
    ready.zmtp.destroy();
    expect(ready.toWire.takesWire).toBe(false);
    zmtp.destroy();
  });

  test("an engine with a ZMTP 1.0 peer, whose framing differs, does not, and frames a marked message its own way", () => {
    const legacy = engine(new Uint8Array([0x01, 0x00])); // the peer's empty identity frame: a 1.0 peer
    expect(legacy.toWire.takesWire).toBe(false);
    legacy.toWire.write(marked("hello"));
    legacy.zmtp.flush();
    expect([...legacy.stream.bytes().subarray(-7)]).toEqual([0x06, 0x00, ...text.encode("hello")]);
  });

  test("the first engine to write a marked message frames it; the others write the same block, byte for byte", () => {
    const engines = [engine(zmtp3Sub()), engine(zmtp3Sub()), engine(zmtp3Sub()), engine(zmtp3Sub())];
    const messages = [marked("topic", "a"), marked("b"), marked("")];
    for (const message of messages) for (const e of engines) e.toWire.write(message);
    for (const e of engines) e.zmtp.flush();
    const expected = [1, 5, ...text.encode("topic"), 0, 1, ...text.encode("a"), 0, 1, ...text.encode("b"), 0, 0];
    for (const e of engines) expect([...e.traffic()]).toEqual(expected);
    const block = messages[0]!.wire!.bytes;
    for (const message of messages) expect(message.wire!.bytes).toBe(block);
    for (const e of engines) expect(e.writes.at(-1)).toBe(block);
  });

  test("an engine framing the same messages itself writes the same bytes as the shared block", () => {
    const own = engine(zmtp3Sub());
    for (const frames of [["topic", "a"], ["b"], [""]]) own.toWire.write(frames.map((f) => text.encode(f)));
    own.zmtp.flush();
    const shared = engine(zmtp3Sub());
    for (const message of [marked("topic", "a"), marked("b"), marked("")]) shared.toWire.write(message);
    shared.zmtp.flush();
    expect(shared.traffic()).toEqual(own.traffic());
    expect(own.writes.at(-1)).not.toBe(shared.writes.at(-1));
  });
});
