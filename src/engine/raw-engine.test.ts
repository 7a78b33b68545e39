// The raw (STREAM) engine over a scripted in-memory stream: no handshake, chunks <-> one-frame
// messages, notifications, the close marker, back-pressure both ways.

import { describe, expect, test } from "bun:test";
import { createPipePair, type PipeEnd } from "../pipe/pipe-end.ts";
import type { Engine, EngineFailure, EngineHost, PeerDescription } from "./engine.ts";
import { CLOSE_MARKER, RawEngine } from "./raw-engine.ts";
import { FakeStream } from "./test-support.ts";

const text = new TextEncoder();

class FakeHost implements EngineHost {
  closed: Array<EngineFailure | null> = [];
  peers: PeerDescription[] = [];
  readonly pipes: { socketEnd: PipeEnd; peerEnd: PipeEnd };
  constructor(receiveHwm: number) {
    this.pipes = createPipePair(1000, receiveHwm, { routingId: new Uint8Array(0), address: "x" });
  }
  engineReady(_engine: Engine, peer: PeerDescription): PipeEnd {
    this.peers.push(peer);
    return this.pipes.peerEnd;
  }
  engineClosed(_engine: Engine, failure: EngineFailure | null): void {
    this.closed.push(failure);
  }
}

function setup({ notify = true, receiveHwm = 1000 } = {}) {
  const stream = new FakeStream();
  const host = new FakeHost(receiveHwm);
  const engine = new RawEngine(stream, { notify, outBatchSize: 8192 }, host);
  engine.start();
  const toSocket = host.pipes.socketEnd.inbound;
  const toWire = host.pipes.socketEnd.outbound;
  const feed = (s: string) => stream.handler!.onData(Buffer.from(s));
  const received = (): string[] => {
    const out: string[] = [];
    for (let m = toSocket.read(); m !== undefined; m = toSocket.read()) out.push(Buffer.from(m[0]!).toString());
    return out;
  };
  return { stream, host, engine, toSocket, toWire, feed, received };
}

describe("RawEngine", () => {
  test("is ready at start, before any byte, announcing a STREAM peer and writing nothing", () => {
    const { host, engine, stream } = setup();
    expect(host.peers).toEqual([{ socketType: "STREAM", routingId: new Uint8Array(0), properties: new Map() }]);
    expect(engine.handshaking).toBe(false);
    expect(stream.handler).not.toBeNull();
    expect(stream.written).toEqual([]);
  });

  test("with notify, the first message is an empty connect notification; each chunk follows as one frame", () => {
    const { feed, received } = setup();
    feed("abc");
    feed("de");
    expect(received()).toEqual(["", "abc", "de"]);
  });

  test("without notify, only data reaches the socket, even at close", () => {
    const { feed, received, stream, host } = setup({ notify: false });
    feed("abc");
    stream.handler!.onClose();
    expect(received()).toEqual(["abc"]);
    expect(host.closed).toEqual([null]);
  });

  test("outbound frames go on the wire raw: no greeting, no framing, in order", () => {
    const { engine, toWire, stream } = setup();
    toWire.write([text.encode("hello ")]);
    toWire.write([text.encode("world")]);
    engine.flush();
    expect(stream.text()).toBe("hello world");
  });

  test("the close marker writes what came before it, then FINs, and sends nothing after it", () => {
    const { engine, toWire, stream, host, received } = setup();
    toWire.write([text.encode("bye")]);
    toWire.write(CLOSE_MARKER);
    toWire.write([text.encode("never")]);
    engine.flush();
    expect(stream.text()).toBe("bye");
    expect(stream.ended).toBe(true);
    expect(engine.closeRequested).toBe(true);
    // The FIN completes: no disconnect notification for a close the socket asked for.
    received();
    stream.handler!.onClose();
    expect(received()).toEqual([]);
    expect(host.closed).toEqual([null]);
  });

  test("a peer that goes away yields an empty disconnect notification, then engineClosed once", () => {
    const { feed, stream, host, received, engine } = setup();
    feed("x");
    stream.handler!.onClose();
    engine.destroy();
    expect(received()).toEqual(["", "x", ""]);
    expect(host.closed).toEqual([null]);
    expect(engine.closeRequested).toBe(false);
  });

  test("destroy() closes at once without a notification and reports once", () => {
    const { stream, host, received, engine } = setup();
    engine.destroy();
    expect(stream.destroyed).toBe(true);
    expect(received()).toEqual([""]);
    expect(host.closed).toEqual([null]);
  });

  test("end() writes what is queued, then FINs", () => {
    const { engine, toWire, stream } = setup();
    toWire.write([text.encode("tail")]);
    engine.end();
    expect(stream.text()).toBe("tail");
    expect(stream.ended).toBe(true);
  });

  test("a partial write keeps the rest and finishes it on drain, before later data", () => {
    const { engine, toWire, stream } = setup();
    stream.room = 3;
    toWire.write([text.encode("abcdef")]);
    engine.flush();
    expect(stream.text()).toBe("abc");
    toWire.write([text.encode("gh")]);
    engine.flush();
    expect(stream.text()).toBe("abc");
    stream.room = Infinity;
    stream.handler!.onDrain();
    expect(stream.text()).toBe("abcdefgh");
  });

  test("at the receive high-water mark it holds chunks, pauses the stream, and resumes in order", async () => {
    const { feed, stream, toSocket, received } = setup({ notify: false, receiveHwm: 2 });
    feed("1");
    feed("2");
    expect(stream.paused).toBe(false);
    feed("3");
    expect(stream.paused).toBe(true);
    feed("4");
    expect(toSocket.size).toBe(2);
    expect(received()).toEqual(["1", "2"]);
    await Promise.resolve();
    // "4" filled the pipe again, so the stream stays paused until that is read too.
    expect(stream.paused).toBe(true);
    expect(received()).toEqual(["3", "4"]);
    await Promise.resolve();
    expect(stream.paused).toBe(false);
    feed("5");
    expect(received()).toEqual(["5"]);
  });

  test("chunks held at the high-water mark still arrive, before the disconnect notification, when the peer closes", () => {
    const { feed, stream, received } = setup({ receiveHwm: 2 });
    feed("a");
    feed("b");
    feed("c");
    stream.handler!.onClose();
    expect(received()).toEqual(["", "a", "b", "c", ""]);
  });
});
