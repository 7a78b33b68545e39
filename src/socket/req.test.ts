// REQ routing core driven with in-memory pipes: the lock-step state machine, the delimiter, reply
// matching (peer, malformed replies, correlate ids), relaxed and probeRouter. No sockets.

import { describe, expect, test } from "bun:test";
import type { ZmqError } from "../core/errors.ts";
import type { Message } from "../core/message.ts";
import { createPipePair, type PipeEnd } from "../pipe/pipe-end.ts";
import { ReqSocket } from "./req.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const b = (text: string): Uint8Array => encoder.encode(text);
const text = (message: Message | undefined): string[] | undefined => message?.map((f) => decoder.decode(f));

/** Connects a fresh pipe pair; returns the server's end (what it reads is what REQ sent). */
function connect(req: ReqSocket, socketEnds?: PipeEnd[]): PipeEnd {
  const pair = createPipePair(100, 100, { routingId: new Uint8Array(0), address: "test" });
  req.attachPipe(pair.socketEnd);
  socketEnds?.push(pair.socketEnd);
  return pair.peerEnd;
}

function reply(server: PipeEnd, ...frames: Array<string | Uint8Array>): void {
  server.outbound.write(frames.map((f) => (typeof f === "string" ? b(f) : f)));
}

function code(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    return (error as ZmqError).code;
  }
  return "no error";
}

describe("REQ core", () => {
  test("a request goes out as an empty delimiter frame followed by the body", () => {
    const req = new ReqSocket();
    const server = connect(req);
    expect(req.trySend([b("a"), b("b")])).toBe(true);
    expect(text(server.inbound.read())).toEqual(["", "a", "b"]);
  });

  test("sending twice without receiving throws EFSM and sends nothing", () => {
    const req = new ReqSocket();
    const server = connect(req);
    req.trySend([b("1")]);
    expect(req.writable).toBe(false);
    expect(code(() => req.trySend([b("2")]))).toBe("EFSM");
    expect(server.inbound.size).toBe(1);
  });

  test("receiving before any request throws EFSM", () => {
    const req = new ReqSocket();
    connect(req);
    expect(code(() => req.tryReceive())).toBe("EFSM");
  });

  test("with no peer the request waits (false) and the state stays ready to send", () => {
    const req = new ReqSocket();
    expect(req.trySend([b("1")])).toBe(false);
    expect(code(() => req.tryReceive())).toBe("EFSM");
  });

  test("the reply's delimiter is stripped, and the socket may then send again", () => {
    const req = new ReqSocket();
    const server = connect(req);
    req.trySend([b("q")]);
    expect(req.readable).toBe(false);
    reply(server, "", "r1", "r2");
    expect(req.readable).toBe(true);
    expect(text(req.tryReceive())).toEqual(["r1", "r2"]);
    expect(req.writable).toBe(true);
    expect(req.trySend([b("q2")])).toBe(true);
  });

  test("requests go round-robin and only the peer that got the request may answer", () => {
    const req = new ReqSocket();
    const [first, second] = [connect(req), connect(req)];
    req.trySend([b("q")]);
    expect(first.inbound.size).toBe(1);
    reply(second, "", "impostor");
    expect(req.tryReceive()).toBeUndefined();
    reply(first, "", "genuine");
    expect(text(req.tryReceive())).toEqual(["genuine"]);
    req.trySend([b("q2")]);
    expect(second.inbound.size).toBe(1);
  });

  test("a reply without the empty delimiter, or with nothing after it, is discarded", () => {
    const req = new ReqSocket();
    const server = connect(req);
    req.trySend([b("q")]);
    reply(server, "no delimiter");
    reply(server, "");
    reply(server, "x", "", "y");
    expect(req.tryReceive()).toBeUndefined();
    reply(server, "", "good");
    expect(text(req.tryReceive())).toEqual(["good"]);
  });

  test("replies queued before a new request are discarded when it is sent", () => {
    const req = new ReqSocket();
    req.relaxed = true;
    const server = connect(req);
    req.trySend([b("q1")]);
    reply(server, "", "late answer to q1");
    req.trySend([b("q2")]);
    expect(req.tryReceive()).toBeUndefined();
    reply(server, "", "answer to q2");
    expect(text(req.tryReceive())).toEqual(["answer to q2"]);
  });

  test("relaxed allows a new request before the reply and receiving still needs a request first", () => {
    const req = new ReqSocket();
    req.relaxed = true;
    const server = connect(req);
    expect(code(() => req.tryReceive())).toBe("EFSM");
    req.trySend([b("q1")]);
    expect(req.writable).toBe(true);
    expect(req.trySend([b("q2")])).toBe(true);
    expect(server.inbound.size).toBe(2);
  });

  test("correlate puts a 4-byte id before the delimiter and accepts only the reply echoing it", () => {
    const req = new ReqSocket(41);
    req.correlate = true;
    req.relaxed = true;
    const server = connect(req);
    req.trySend([b("q1")]);
    const first = server.inbound.read()!;
    expect(Array.from(first[0]!)).toEqual([0, 0, 0, 42]);
    expect(text(first.slice(1))).toEqual(["", "q1"]);
    req.trySend([b("q2")]);
    const second = server.inbound.read()!;
    expect(Array.from(second[0]!)).toEqual([0, 0, 0, 43]);
    reply(server, first[0]!, "", "stale");
    reply(server, "", "no id");
    expect(req.tryReceive()).toBeUndefined();
    reply(server, second[0]!, "", "fresh");
    expect(text(req.tryReceive())).toEqual(["fresh"]);
  });

  test("probeRouter sends an empty message to each peer as it attaches", () => {
    const req = new ReqSocket();
    req.probeRouter = true;
    const server = connect(req);
    expect(text(server.inbound.read())).toEqual([""]);
  });

  test("a reply already queued when its peer leaves can still be received", () => {
    const req = new ReqSocket();
    const ends: PipeEnd[] = [];
    const server = connect(req, ends);
    req.trySend([b("q")]);
    reply(server, "", "last words");
    req.detachPipe(ends[0]!);
    expect(text(req.tryReceive())).toEqual(["last words"]);
  });
});
