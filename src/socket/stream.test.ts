// The STREAM routing core over in-memory pipes: routing ids, fair receive, close marker, detach.

import { describe, expect, test } from "bun:test";
import { createPipePair, type PipeEnd } from "../pipe/pipe-end.ts";
import { StreamSocket } from "./stream.ts";

const text = new TextEncoder();
const bytes = (s: string) => text.encode(s);
const str = (b: Uint8Array | undefined) => Buffer.from(b ?? new Uint8Array(0)).toString();
const hex = (b: Uint8Array | undefined) => Buffer.from(b ?? new Uint8Array(0)).toString("hex");

function connection(routingId = "", sendHwm = 1000) {
  return createPipePair(sendHwm, 1000, { routingId: bytes(routingId), address: "x" });
}

/** Attaches a connection whose engine already announced it; returns the id the socket gave it. */
function attach(socket: StreamSocket, pair: { socketEnd: PipeEnd; peerEnd: PipeEnd }): Uint8Array {
  pair.peerEnd.outbound.write([new Uint8Array(0)]);
  socket.attachPipe(pair.socketEnd);
  const [id, data] = socket.tryReceive()!;
  expect(data!.length).toBe(0);
  return id!;
}

describe("StreamSocket", () => {
  test("gives each connection a distinct 5-byte id 0x00 + uint32, and a connect() id when one is set", () => {
    const socket = new StreamSocket();
    const a = attach(socket, connection());
    const b = attach(socket, connection());
    const named = attach(socket, connection("web"));
    expect(a.length).toBe(5);
    expect(a[0]).toBe(0);
    expect(hex(b)).not.toBe(hex(a));
    expect(new DataView(b.buffer).getUint32(1)).toBe((new DataView(a.buffer).getUint32(1) + 1) >>> 0);
    expect(str(named)).toBe("web");
  });

  test("a connect() id already in use falls back to an automatic one", () => {
    const socket = new StreamSocket();
    attach(socket, connection("dup"));
    const second = attach(socket, connection("dup"));
    expect(second.length).toBe(5);
  });

  test("routes [id, data] to that connection only, as a one-frame message", () => {
    const socket = new StreamSocket();
    const a = connection();
    const b = connection();
    const idA = attach(socket, a);
    attach(socket, b);
    expect(socket.trySend([idA, bytes("hi")])).toBe(true);
    expect(a.peerEnd.inbound.read()!.map(str)).toEqual(["hi"]);
    expect(b.peerEnd.inbound.size).toBe(0);
  });

  test("receives [id, chunk] fairly across connections", () => {
    const socket = new StreamSocket();
    const a = connection();
    const b = connection();
    const idA = attach(socket, a);
    const idB = attach(socket, b);
    a.peerEnd.outbound.write([bytes("a1")]);
    a.peerEnd.outbound.write([bytes("a2")]);
    b.peerEnd.outbound.write([bytes("b1")]);
    const got = [socket.tryReceive()!, socket.tryReceive()!, socket.tryReceive()!].map(
      ([id, d]) => `${hex(id) === hex(idA) ? "A" : hex(id) === hex(idB) ? "B" : "?"}:${str(d)}`,
    );
    // Each connection gets a turn: B's one message is not stuck behind both of A's.
    expect(got).toEqual(["A:a1", "B:b1", "A:a2"]);
    expect(socket.tryReceive()).toBeUndefined();
  });

  test("unknown ids throw EHOSTUNREACH and other shapes EINVAL", () => {
    const socket = new StreamSocket();
    expect(() => socket.trySend([bytes("nobody"), bytes("x")])).toThrow(expect.objectContaining({ code: "EHOSTUNREACH" }));
    expect(() => socket.trySend([bytes("x")])).toThrow(expect.objectContaining({ code: "EINVAL" }));
    expect(socket.writable).toBe(true);
  });

  test("an empty data frame queues the close marker, forgets the id and drops unread input", () => {
    const socket = new StreamSocket();
    const a = connection();
    const id = attach(socket, a);
    a.peerEnd.outbound.write([bytes("unread")]);
    expect(socket.trySend([id, bytes("last")])).toBe(true);
    expect(socket.trySend([id, new Uint8Array(0)])).toBe(true);
    expect(a.peerEnd.inbound.read()!.map(str)).toEqual(["last"]);
    expect(a.peerEnd.inbound.read()!.map(str)).toEqual([""]);
    expect(socket.tryReceive()).toBeUndefined();
    expect(() => socket.trySend([id, bytes("x")])).toThrow(expect.objectContaining({ code: "EHOSTUNREACH" }));
  });

  test("a detached connection stays readable until drained, then its id is gone", () => {
    const socket = new StreamSocket();
    const a = connection();
    const id = attach(socket, a);
    a.peerEnd.outbound.write([bytes("tail")]);
    a.peerEnd.outbound.write([new Uint8Array(0)]);
    socket.detachPipe(a.socketEnd);
    expect(() => socket.trySend([id, bytes("x")])).toThrow(expect.objectContaining({ code: "EHOSTUNREACH" }));
    expect(socket.tryReceive()!.map(hex)).toEqual([hex(id), hex(bytes("tail"))]);
    expect(socket.tryReceive()!.map(hex)).toEqual([hex(id), ""]);
    expect(socket.tryReceive()).toBeUndefined();
    expect(socket.readable).toBe(false);
  });

  test("at the peer's high-water mark a send waits; a retry after the peer left is dropped, not thrown", () => {
    const socket = new StreamSocket();
    const a = connection("", 1);
    const id = attach(socket, a);
    expect(socket.trySend([id, bytes("1")])).toBe(true);
    const second = [id, bytes("2")];
    expect(socket.trySend(second)).toBe(false);
    socket.detachPipe(a.socketEnd);
    expect(socket.trySend(second)).toBe(true);
    expect(() => socket.trySend([id, bytes("3")])).toThrow(expect.objectContaining({ code: "EHOSTUNREACH" }));
  });
});
