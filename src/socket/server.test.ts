// SERVER (and PEER) routing core driven with in-memory pipes (RFC 41): routing ids, unroutable and
// full peers, multipart messages dropped whole, a departed peer's last messages. No sockets.

import { describe, expect, test } from "bun:test";
import type { Message } from "../core/message.ts";
import { createPipePair, type PipeEnd } from "../pipe/pipe-end.ts";
import { NumberedPeers } from "../routing/numbered-peers.ts";
import { PeerSocket } from "./peer.ts";
import { ServerSocket } from "./server.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function attach(server: ServerSocket, sendHighWaterMark = 100): { peer: PipeEnd; socketEnd: PipeEnd } {
  const pipes = createPipePair(sendHighWaterMark, 100, { routingId: new Uint8Array(0), address: "test" });
  server.attachPipe(pipes.socketEnd);
  return { peer: pipes.peerEnd, socketEnd: pipes.socketEnd };
}

function to(routingId: number, text: string): Message {
  const message: Message = [encoder.encode(text)];
  message.routingId = routingId;
  return message;
}

const texts = (end: PipeEnd): string[] => {
  const out: string[] = [];
  for (let m = end.inbound.read(); m !== undefined; m = end.inbound.read()) out.push(m.map((f) => decoder.decode(f)).join("|"));
  return out;
};

describe("SERVER core", () => {
  test("each peer gets the next 32-bit id from the counter, never 0, and messages carry it both ways", () => {
    const server = new ServerSocket(undefined, 0xffff_ffff);
    const a = attach(server);
    const b = attach(server);
    a.peer.outbound.write([encoder.encode("from a")]);
    b.peer.outbound.write([encoder.encode("from b")]);
    const first = server.tryReceive()!;
    const second = server.tryReceive()!;
    expect([first.routingId, second.routingId]).toEqual([0xffff_ffff, 1]);
    expect(server.trySend(to(second.routingId!, "to b"))).toBe(true);
    expect(texts(b.peer)).toEqual(["to b"]);
    expect(texts(a.peer)).toEqual([]);
  });

  test("an unknown id is EHOSTUNREACH; a full peer makes the send wait (false), a multipart send is EINVAL", () => {
    const server = new ServerSocket(undefined, 7);
    const a = attach(server, 1);
    expect(() => server.trySend(to(8, "nobody"))).toThrow(expect.objectContaining({ code: "EHOSTUNREACH" }));
    expect(server.trySend(to(7, "fills"))).toBe(true);
    expect(server.trySend(to(7, "waits"))).toBe(false);
    const multipart = to(7, "a");
    multipart.push(encoder.encode("b"));
    expect(() => server.trySend(multipart)).toThrow(expect.objectContaining({ code: "EINVAL" }));
    expect(texts(a.peer)).toEqual(["fills"]);
  });

  test("a multipart message from a peer is dropped whole; the next single-part one arrives", () => {
    const server = new ServerSocket();
    const a = attach(server);
    a.peer.outbound.write([encoder.encode("multi"), encoder.encode("part")]);
    a.peer.outbound.write([encoder.encode("single")]);
    expect(decoder.decode(server.tryReceive()![0]!)).toBe("single");
    expect(server.tryReceive()).toBeUndefined();
  });

  test("what a peer sent before leaving is received with its id; sending to it is then EHOSTUNREACH", () => {
    const server = new ServerSocket(undefined, 40);
    const a = attach(server);
    a.peer.outbound.write([encoder.encode("last words")]);
    server.detachPipe(a.socketEnd);
    const last = server.tryReceive()!;
    expect([decoder.decode(last[0]!), last.routingId]).toEqual(["last words", 40]);
    expect(() => server.trySend(to(40, "too late"))).toThrow(expect.objectContaining({ code: "EHOSTUNREACH" }));
  });

  test("a PEER names each new pipe at once (what connectPeer returns)", () => {
    const peer = new PeerSocket(100);
    attach(peer);
    expect(peer.lastAttachedId).toBe(100);
    attach(peer);
    expect(peer.lastAttachedId).toBe(101);
  });
});

describe("numbered peers", () => {
  test("the counter wraps past 0xffffffff and skips 0; a removed id is free", () => {
    const table = new NumberedPeers(0xffff_fffe);
    const ends = Array.from({ length: 3 }, () => createPipePair(1, 1, { routingId: new Uint8Array(0), address: "x" }).socketEnd);
    expect(ends.map((end) => table.add(end))).toEqual([0xffff_fffe, 0xffff_ffff, 1]);
    expect(table.add(ends[0]!)).toBe(0xffff_fffe);
    expect(table.lookup(1)).toBe(ends[2]);
    table.remove(ends[2]!);
    expect([table.lookup(1), table.idOf(ends[2]!), table.size]).toEqual([undefined, undefined, 2]);
  });
});
