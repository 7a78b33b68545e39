// ZMTP 3.1 heartbeats (zmtp-notes §4.2): the Heartbeat timers against a recording host, then the engine
// over a scripted in-memory stream. Intervals are a few ms; every wait is a bounded poll on a condition,
// and "nothing happened" is judged against a control timer of the same length that did fire.

import { describe, expect, test } from "bun:test";
import { SocketType } from "../core/socket-type.ts";
import { NullMechanism } from "../mechanism/null.ts";
import { createPipePair, type PipeEnd } from "../pipe/pipe-end.ts";
import { encodeCommand, encodePing, encodeReady, parseCommand, parsePing } from "../wire/command.ts";
import { encodeFrame } from "../wire/frame.ts";
import { encodeGreeting } from "../wire/greeting.ts";
import { Heartbeat, type HeartbeatOptions, peerTtlMs, ttlDeciseconds } from "./heartbeat.ts";
import type { EngineFailure, EngineHost } from "./engine.ts";
import { type EngineConfig, ZmtpEngine } from "./zmtp-engine.ts";
import { FakeStream } from "./test-support.ts";

const text = new TextEncoder();
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");

/** Re-checks `predicate` once per event-loop turn until it holds; throws naming `what` after `timeoutMs`. */
async function until(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

class RecordingHost {
  pings: Uint8Array[] = [];
  expired: string[] = [];
  /** Called after each recorded PING, e.g. to play a peer that answers. */
  onPing: () => void = () => {};
  sendPing(frame: Uint8Array): void {
    this.pings.push(frame);
    this.onPing();
  }
  heartbeatExpired(message: string): void {
    this.expired.push(message);
  }
}

function heartbeat(options: Partial<HeartbeatOptions>): { beat: Heartbeat; host: RecordingHost } {
  const host = new RecordingHost();
  const beat = new Heartbeat({ interval: 0, timeToLive: 0, timeout: -1, ...options }, host);
  return { beat, host };
}

/** A heartbeat whose peer TTL of `ttl` ds is never refreshed: its expiry marks that the TTL has passed. */
function ttlClock(ttl: number): RecordingHost {
  const clock = heartbeat({});
  clock.beat.peerPinged(ttl);
  return clock.host;
}

describe("heartbeat arithmetic (libzmq 4.3.4)", () => {
  test("our TTL goes on the wire in whole deciseconds, clamped to 0..65535", () => {
    expect([0, -5, 99, 100, 1050, 2500, 6_553_599, 10_000_000].map(ttlDeciseconds)).toEqual([0, 0, 0, 1, 10, 25, 65535, 65535]);
  });

  test("a received TTL becomes ms in 16 bits: above 655 ds it wraps (zmtp-notes §0 item 8)", () => {
    expect([0, 1, 5, 10, 655, 656, 700, 16384].map(peerTtlMs)).toEqual([0, 100, 500, 1000, 65500, 64, 4464, 0]);
  });
});

describe("Heartbeat", () => {
  test("sends a PING every interval, carrying the TTL in deciseconds and the 2 TTL bytes even with no context", async () => {
    const { beat, host } = heartbeat({ interval: 5, timeToLive: 2500, timeout: 0 });
    beat.start();
    await until(() => host.pings.length >= 3, "3 PINGs");
    beat.stop();
    // libzmq's own PING with TTL 2500 ms (zmtp-notes §4.2): 04 07 04 'PING' 00 19.
    expect(hex(host.pings[0]!)).toBe("0407" + "0450494e47" + "0019");
    expect(host.expired).toEqual([]);
  });

  test("closes when no frame arrives within the timeout after a PING", async () => {
    const { beat, host } = heartbeat({ interval: 5, timeout: 20 });
    const started = performance.now();
    beat.start();
    await until(() => host.expired.length > 0, "the heartbeat time-out");
    beat.stop();
    // First PING after one interval, then the time-out: never sooner than both.
    expect(performance.now() - started).toBeGreaterThanOrEqual(20);
    expect(host.expired[0]).toContain("20 ms");
  });

  test("a timeout of -1 means the interval", async () => {
    const { beat, host } = heartbeat({ interval: 5, timeout: -1 });
    beat.start();
    await until(() => host.expired.length > 0, "the heartbeat time-out");
    beat.stop();
    expect(host.expired[0]).toContain("5 ms");
  });

  test("any inbound frame after a PING keeps the connection: a peer answering every PING is never dropped", async () => {
    const { beat, host } = heartbeat({ interval: 2, timeout: 4 });
    host.onPing = () => queueMicrotask(() => beat.arrivals++);
    beat.start();
    await until(() => host.pings.length >= 30, "30 answered PINGs");
    beat.stop();
    expect(host.expired).toEqual([]);
  });

  test("a frame only cancels the armed time-out: the next PING re-arms it, and silence after that expires", async () => {
    const { beat, host } = heartbeat({ interval: 3, timeout: 10 });
    let answers = 3;
    host.onPing = () => {
      if (answers-- > 0) beat.arrivals++;
    };
    beat.start();
    await until(() => host.expired.length > 0, "the time-out after the peer fell silent");
    beat.stop();
    expect(host.pings.length).toBeGreaterThanOrEqual(4);
  });

  test("timeout 0 never closes", async () => {
    const { beat, host } = heartbeat({ interval: 2, timeout: 0 });
    beat.start();
    const clock = ttlClock(1);
    await until(() => clock.expired.length > 0, "the 100 ms control clock");
    beat.stop();
    expect(host.pings.length).toBeGreaterThan(3);
    expect(host.expired).toEqual([]);
  });

  test("a peer PING with a TTL closes after TTL x 100 ms of silence; any later frame cancels it", async () => {
    const silent = heartbeat({});
    const chatty = heartbeat({});
    silent.beat.peerPinged(1);
    chatty.beat.peerPinged(1);
    chatty.beat.arrivals++;
    const clock = ttlClock(2);
    await until(() => clock.expired.length > 0, "the 200 ms control clock");
    expect(silent.host.expired.length).toBe(1);
    expect(silent.host.expired[0]).toContain("100 ms TTL");
    expect(chatty.host.expired).toEqual([]);
  });

  test("a peer PING with TTL 0, or one that wraps to 0 ms, arms nothing; nor does any PING with heartbeats off", async () => {
    const zero = heartbeat({});
    zero.beat.peerPinged(0);
    zero.beat.peerPinged(16384);
    const idle = heartbeat({});
    idle.beat.start();
    const clock = ttlClock(1);
    await until(() => clock.expired.length > 0, "the 100 ms control clock");
    expect(zero.host.expired).toEqual([]);
    expect(idle.host.pings).toEqual([]);
  });

  test("stop() clears every timer: no PING, time-out or TTL fires afterwards", async () => {
    const { beat, host } = heartbeat({ interval: 2, timeout: 3 });
    beat.start();
    beat.peerPinged(1);
    await until(() => host.pings.length >= 1, "the first PING");
    beat.stop();
    const pings = host.pings.length;
    beat.start();
    beat.peerPinged(1);
    const clock = ttlClock(2);
    await until(() => clock.expired.length > 0, "the 200 ms control clock");
    expect(host.pings.length).toBe(pings);
    expect(host.expired).toEqual([]);
  });
});

describe("Heartbeat after a busy thread", () => {
  test("an answer waiting unread in the kernel when a due time-out fires keeps the connection", async () => {
    // A loopback pair whose server answers every PING at once. After the first answer is written,
    // this thread is busy (a long synchronous task) for five time-outs, so when the loop runs again
    // the time-out is due while the answer still sits unread in the kernel: timers run before
    // sockets are read in a loop turn.
    let answered!: () => void;
    const firstAnswer = new Promise<void>((resolve) => (answered = resolve));
    const server = Bun.listen<undefined>({
      hostname: "127.0.0.1",
      port: 0,
      socket: {
        data(socket) {
          socket.write("pong");
          answered();
        },
      },
    });
    const { beat, host } = heartbeat({ interval: 10, timeout: 30 });
    const client = await Bun.connect<undefined>({
      hostname: "127.0.0.1",
      port: server.port,
      socket: { data: () => void beat.arrivals++ },
    });
    try {
      host.onPing = () => void client.write("ping");
      beat.start();
      await firstAnswer;
      const busyUntil = performance.now() + 150;
      while (performance.now() < busyUntil);
      const clock = ttlClock(2);
      await until(() => clock.expired.length > 0, "the 200 ms control clock");
      expect(beat.arrivals).toBeGreaterThan(0);
      expect(host.expired).toEqual([]);
    } finally {
      beat.stop();
      client.end();
      server.stop(true);
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// The engine: heartbeats start after the handshake, expiry is a traffic failure ETIMEDOUT.

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

const PING_PREFIX = hex(new Uint8Array([0x04, 0x07, 0x04, ...text.encode("PING")]));

/** Whole PING commands the engine wrote, as [ttl, context] (our PINGs are always 9 bytes: no context). */
function pingsIn(stream: FakeStream): Array<{ ttl: number; context: Uint8Array }> {
  const wire = hex(stream.bytes());
  const out: Array<{ ttl: number; context: Uint8Array }> = [];
  for (let at = wire.indexOf(PING_PREFIX); at >= 0; at = wire.indexOf(PING_PREFIX, at + 2)) {
    if (at % 2 !== 0) continue;
    const body = Buffer.from(wire.slice(at + 4, at + 18), "hex");
    out.push(parsePing(parseCommand(body)!.data)!);
  }
  return out;
}

function connect(heartbeats: Pick<EngineConfig, "heartbeatInterval" | "heartbeatTimeToLive" | "heartbeatTimeout">, handshake = true) {
  const stream = new FakeStream();
  const host = new FakeHost();
  const mechanism = new NullMechanism([["Socket-Type", text.encode("DEALER")]]);
  const config: EngineConfig = {
    socketType: SocketType.Dealer,
    mechanism,
    maxMessageSize: -1,
    handshakeInterval: 0,
    outBatchSize: 8192,
    ...heartbeats,
  };
  const engine = new ZmtpEngine(stream, config, host);
  engine.start();
  const feed = (bytes: Uint8Array) => stream.handler!.onData(Buffer.from(bytes));
  if (handshake) feed(Buffer.concat([encodeGreeting("NULL", false), encodeReady([["Socket-Type", text.encode("ROUTER")]])]));
  return { stream, host, engine, feed };
}

describe("ZmtpEngine heartbeats", () => {
  test("sends no PING before the handshake completes, then PINGs with our TTL every interval", async () => {
    const { stream, feed } = connect({ heartbeatInterval: 3, heartbeatTimeToLive: 1000, heartbeatTimeout: 0 }, false);
    const clock = ttlClock(1);
    await until(() => clock.expired.length > 0, "the 100 ms control clock");
    expect(pingsIn(stream)).toEqual([]);
    feed(Buffer.concat([encodeGreeting("NULL", false), encodeReady([["Socket-Type", text.encode("ROUTER")]])]));
    await until(() => pingsIn(stream).length >= 2, "2 PINGs after the handshake");
    expect(pingsIn(stream)[0]).toEqual({ ttl: 10, context: new Uint8Array(0) });
  });

  test("closes a silent peer as a traffic time-out ETIMEDOUT, destroying the stream", async () => {
    const { stream, host } = connect({ heartbeatInterval: 5, heartbeatTimeout: 15 });
    await until(() => host.closed.length > 0, "the engine to close");
    expect(host.closed).toEqual([expect.objectContaining({ stage: "traffic", kind: "timeout", code: "ETIMEDOUT" })]);
    expect(stream.destroyed).toBe(true);
    expect(pingsIn(stream).length).toBeGreaterThanOrEqual(1);
  });

  test("stays up while the peer answers each PING with a PONG, and while it sends data instead", async () => {
    const pong = connect({ heartbeatInterval: 2, heartbeatTimeout: 10 });
    pong.stream.onWrite = (bytes) => {
      if (hex(bytes).includes(PING_PREFIX)) queueMicrotask(() => pong.feed(encodeCommand("PONG")));
    };
    const data = connect({ heartbeatInterval: 2, heartbeatTimeout: 10 });
    data.stream.onWrite = (bytes) => {
      if (hex(bytes).includes(PING_PREFIX)) queueMicrotask(() => data.feed(encodeFrame(0, text.encode("x"))));
    };
    await until(() => pingsIn(pong.stream).length >= 20 && pingsIn(data.stream).length >= 20, "20 answered PINGs on each");
    expect(pong.host.closed).toEqual([]);
    expect(data.host.closed).toEqual([]);
    pong.engine.destroy();
    data.engine.destroy();
  });

  test("with heartbeats off, a peer PING with TTL closes us after TTL x 100 ms of silence; TTL 0 arms nothing", async () => {
    const ttl = connect({});
    ttl.feed(encodePing(1, text.encode("ctx")));
    const zero = connect({});
    zero.feed(encodePing(0, new Uint8Array(0)));
    await until(() => ttl.host.closed.length > 0, "the peer TTL to expire");
    expect(ttl.host.closed[0]).toMatchObject({ stage: "traffic", kind: "timeout", code: "ETIMEDOUT" });
    // The PING was still answered, with its context.
    expect(hex(ttl.stream.bytes())).toContain(hex(encodeCommand("PONG", text.encode("ctx"))));
    const clock = ttlClock(1);
    await until(() => clock.expired.length > 0, "the 100 ms control clock");
    expect(zero.host.closed).toEqual([]);
    expect(pingsIn(zero.stream)).toEqual([]);
    zero.engine.destroy();
  });

  test("a frame after the peer's PING cancels its TTL", async () => {
    const { host, feed, engine } = connect({});
    feed(encodePing(1, new Uint8Array(0)));
    feed(encodeFrame(0, text.encode("alive")));
    const clock = ttlClock(2);
    await until(() => clock.expired.length > 0, "the 200 ms control clock");
    expect(host.closed).toEqual([]);
    engine.destroy();
    expect(host.closed).toEqual([null]);
  });

  test("destroy() stops the timers: no PING is written and no second close is reported", async () => {
    const { stream, host, engine } = connect({ heartbeatInterval: 2, heartbeatTimeout: 3 });
    await until(() => pingsIn(stream).length >= 1, "the first PING");
    engine.destroy();
    const written = stream.bytes().length;
    const clock = ttlClock(1);
    await until(() => clock.expired.length > 0, "the 100 ms control clock");
    expect(stream.bytes().length).toBe(written);
    expect(host.closed).toEqual([null]);
  });
});
