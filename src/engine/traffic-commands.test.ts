// Bounded replies (#14): what a peer provokes with PINGs, and our own PINGs, never pile up behind a
// kernel that takes nothing: one PONG waits (the latest PING's, as libzmq keeps it), one PING waits,
// and a peer that leaves more protocol output unread than maxProtocolBacklog is dropped with ENOBUFS.

import { describe, expect, test } from "bun:test";
import { SocketType } from "../core/socket-type.ts";
import type { Mechanism, Properties } from "../mechanism/mechanism.ts";
import { NullMechanism } from "../mechanism/null.ts";
import { createPipePair, type PipeEnd } from "../pipe/pipe-end.ts";
import { encodeCommand, encodePing, encodeReady } from "../wire/command.ts";
import { encodeGreeting } from "../wire/greeting.ts";
import type { EngineFailure, EngineHost } from "./engine.ts";
import { type EngineConfig, ZmtpEngine } from "./zmtp-engine.ts";
import { FakeStream } from "./test-support.ts";

const text = new TextEncoder();

async function until(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Lets scheduled flushes (a microtask, then the check phase) run. */
const flushes = () => new Promise((resolve) => setImmediate(resolve));

class FakeHost implements EngineHost {
  closed: Array<EngineFailure | null> = [];
  pipes = createPipePair(1000, 1000, { routingId: new Uint8Array(0), address: "x" });
  readyCount = 0;
  engineReady(): PipeEnd {
    this.readyCount++;
    return this.pipes.peerEnd;
  }
  engineClosed(_engine: ZmtpEngine, failure: EngineFailure | null): void {
    this.closed.push(failure);
  }
}

/** An engine past its handshake with a ROUTER peer; `room` is what the kernel takes from then on. */
function connected(room: number, limits: Partial<EngineConfig> = {}) {
  const stream = new FakeStream();
  const host = new FakeHost();
  const mechanism = new NullMechanism([["Socket-Type", text.encode("DEALER")]]);
  const config: EngineConfig = {
    socketType: SocketType.Dealer,
    mechanism,
    maxMessageSize: -1,
    handshakeInterval: 0,
    outBatchSize: 8192,
    ...limits,
  };
  const engine = new ZmtpEngine(stream, config, host);
  engine.start();
  const feed = (bytes: Uint8Array) => stream.handler!.onData(Buffer.from(bytes));
  feed(Buffer.concat([encodeGreeting("NULL", false), encodeReady([["Socket-Type", text.encode("ROUTER")]])]));
  const handshakeBytes = stream.bytes().length;
  stream.room = room;
  /** What the engine wrote after its handshake, as [command name, data] pairs. */
  const commands = () => commandsIn(stream.bytes().subarray(handshakeBytes));
  return { stream, host, engine, feed, commands };
}

function commandsIn(wire: Uint8Array): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let at = 0; at + 2 <= wire.length; ) {
    const size = wire[at + 1]!;
    const body = wire.subarray(at + 2, at + 2 + size);
    out.push([Buffer.from(body.subarray(1, 1 + body[0]!)).toString(), Buffer.from(body.subarray(1 + body[0]!)).toString()]);
    at += 2 + size;
  }
  return out;
}

const ping = (context: string) => encodePing(0, text.encode(context));
const pings = (from: number, count: number) => Buffer.concat(Array.from({ length: count }, (_, i) => ping(`ctx-${from + i}`)));

describe("bounded replies", () => {
  test("PINGs that arrive together are answered by one PONG, the latest PING's", async () => {
    const { feed, commands, engine } = connected(Infinity);
    feed(pings(0, 100));
    await flushes();
    expect(commands()).toEqual([["PONG", "ctx-99"]]);
    engine.destroy();
  });

  test("a peer that PINGs and never reads: at most one PONG waits, and the latest goes out once the kernel takes bytes again", async () => {
    const { stream, feed, commands, host } = connected(0);
    for (let chunk = 0; chunk < 100; chunk++) {
      feed(pings(chunk * 1000, 1000));
      await flushes();
    }
    // 100,000 PINGs: the first PONG was refused by the kernel and waits in the backlog; only the
    // latest of the others is kept.
    expect(commands()).toEqual([]);
    stream.room = Infinity;
    stream.handler!.onDrain();
    await flushes();
    expect(commands()).toEqual([
      ["PONG", "ctx-999"],
      ["PONG", "ctx-99999"],
    ]);
    expect(host.closed).toEqual([]);
  });

  test("a PONG echoes at most 16 bytes of its PING's context, as libzmq does", async () => {
    const { feed, commands, engine } = connected(Infinity);
    feed(encodeCommand("PING", Buffer.concat([Buffer.from([0, 0]), Buffer.from("0123456789abcdefXYZ")])));
    await flushes();
    expect(commands()).toEqual([["PONG", "0123456789abcdef"]]);
    engine.destroy();
  });

  test("our heartbeat PINGs never pile up: one waits while the kernel takes nothing", async () => {
    const blocked = connected(0, { heartbeatInterval: 1, heartbeatTimeout: 0 });
    const witness = connected(Infinity, { heartbeatInterval: 1, heartbeatTimeout: 0 });
    await until(() => blocked.stream.destroyed || witness.commands().length >= 20, "20 PINGs from an engine with the same interval");
    blocked.stream.room = Infinity;
    // The drain writes the backlog and what waits at once, before the next interval can add a PING.
    blocked.stream.handler!.onDrain();
    // The PING the kernel refused, then the one that waited.
    expect(blocked.commands().map(([name]) => name)).toEqual(["PING", "PING"]);
    blocked.engine.destroy();
    witness.engine.destroy();
  });

  test("a peer that leaves more protocol output unread than maxProtocolBacklog is dropped with ENOBUFS", async () => {
    const { feed, host, stream, commands } = connected(0, { maxProtocolBacklog: 16 });
    // Its PONG (23 bytes) is refused whole: more than 16 bytes unread.
    feed(ping("0123456789abcdef"));
    await until(() => host.closed.length > 0, "the engine to close");
    expect(host.closed).toEqual([expect.objectContaining({ stage: "traffic", kind: "overflow", code: "ENOBUFS" })]);
    expect(host.closed[0]!.message).toContain("maxProtocolBacklog (16 bytes)");
    expect(stream.destroyed).toBe(true);
    expect(commands()).toEqual([]);
  });

  test("the bound holds during the handshake too: a greeting the kernel refuses over the bound fails it with ENOBUFS", () => {
    const stream = new FakeStream();
    // The signature (10 bytes) is the first piece of the staged greeting: refused whole, over 8.
    stream.room = 0;
    const host = new FakeHost();
    const mechanism = new NullMechanism([["Socket-Type", text.encode("DEALER")]]);
    const limits = { maxMessageSize: -1, handshakeInterval: 0, outBatchSize: 8192, maxProtocolBacklog: 8 };
    new ZmtpEngine(stream, { socketType: SocketType.Dealer, mechanism, ...limits }, host).start();
    expect(host.closed).toEqual([expect.objectContaining({ stage: "handshake", kind: "overflow", code: "ENOBUFS" })]);
  });

  test("a handshake reply that passes the bound as the mechanism turns ready ends the connection once, never ready", () => {
    // A mechanism whose answer to the peer's first command is a 20 KiB frame (written straight to the
    // kernel, which takes 100 bytes of it) and which is ready at once, as a PLAIN server after INITIATE.
    const mechanism: Mechanism = {
      name: "NULL",
      asServer: false,
      status: "handshaking",
      failure: null,
      peerProperties: null,
      pendingCredentials: null,
      cipher: null,
      start: () => [],
      onCommand() {
        Object.assign(this, { status: "ready", peerProperties: new Map([["Socket-Type", text.encode("ROUTER")]]) as Properties });
        return [encodeCommand("READY", new Uint8Array(20_000))];
      },
      onVerdict: () => [],
    };
    const stream = new FakeStream();
    const host = new FakeHost();
    const limits = { maxMessageSize: -1, handshakeInterval: 0, outBatchSize: 8192, maxProtocolBacklog: 1000 };
    new ZmtpEngine(stream, { socketType: SocketType.Dealer, mechanism, ...limits }, host).start();
    stream.room = 100;
    stream.handler!.onData(Buffer.concat([encodeGreeting("NULL", false), encodeReady([["Socket-Type", text.encode("ROUTER")]])]));
    expect(host.closed).toEqual([expect.objectContaining({ stage: "handshake", code: "ENOBUFS" })]);
    expect(host.readyCount).toBe(0);
  });

  test("with the default bound, the handshake and a PONG the kernel refuses leave the connection up", async () => {
    const { feed, host, engine } = connected(0);
    feed(ping("a"));
    await flushes();
    expect(host.closed).toEqual([]);
    engine.destroy();
  });
});
