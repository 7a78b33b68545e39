// RADIO and DISH routing cores driven with in-memory pipes (RFC 48): groups route messages, a full
// Dish misses them, a departed Dish's groups go, a Dish filters and joins again on reconnect. No sockets.

import { describe, expect, test } from "bun:test";
import { decodeGroupCommand, groupCommandMessage } from "../core/group-command.ts";
import type { Message } from "../core/message.ts";
import { createPipePair, type PipeEnd } from "../pipe/pipe-end.ts";
import { DishSocket } from "./dish.ts";
import { RadioSocket } from "./radio.ts";
import type { SocketBase } from "./socket-base.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const bytes = (text: string) => encoder.encode(text);

function attach(socket: SocketBase, sendHighWaterMark = 100): { peer: PipeEnd; socketEnd: PipeEnd } {
  const pipes = createPipePair(sendHighWaterMark, 100, { routingId: new Uint8Array(0), address: "test" });
  socket.attachPipe(pipes.socketEnd);
  return { peer: pipes.peerEnd, socketEnd: pipes.socketEnd };
}

const drain = (end: PipeEnd): Message[] => {
  const out: Message[] = [];
  for (let m = end.inbound.read(); m !== undefined; m = end.inbound.read()) out.push(m);
  return out;
};
const texts = (messages: Message[]) => messages.map((m) => m.map((f) => decoder.decode(f)).join("|"));

describe("RADIO core", () => {
  test("a message goes to the pipes that joined its group, as [group, body]", () => {
    const radio = new RadioSocket();
    const a = attach(radio);
    const b = attach(radio);
    a.peer.outbound.write(groupCommandMessage(true, bytes("news")));
    b.peer.outbound.write(groupCommandMessage(true, bytes("sport")));
    radio.trySend([bytes("news"), bytes("n1")]);
    radio.trySend([bytes("sport"), bytes("s1")]);
    radio.trySend([bytes("weather"), bytes("w1")]);
    expect(texts(drain(a.peer))).toEqual(["news|n1"]);
    expect(texts(drain(b.peer))).toEqual(["sport|s1"]);
  });

  test("a Dish at its high-water mark misses messages (dropped, never waited for)", () => {
    const radio = new RadioSocket();
    const a = attach(radio, 2);
    a.peer.outbound.write(groupCommandMessage(true, bytes("g")));
    for (let i = 0; i < 5; i++) expect(radio.trySend([bytes("g"), bytes(`m${i}`)])).toBe(true);
    expect(texts(drain(a.peer))).toEqual(["g|m0", "g|m1"]);
  });

  test("a departed Dish's groups go with it; data a peer sends is discarded", () => {
    const radio = new RadioSocket();
    const a = attach(radio);
    a.peer.outbound.write(groupCommandMessage(true, bytes("g")));
    a.peer.outbound.write([bytes("not a command")]);
    expect(radio.groupCount).toBe(1);
    expect(a.socketEnd.inbound.size).toBe(0);
    radio.detachPipe(a.socketEnd);
    expect(radio.groupCount).toBe(0);
  });
});

describe("DISH core", () => {
  test("join sends JOIN to every Radio, leave sends LEAVE; doubles are EINVAL as zmq_join and zmq_leave", () => {
    const dish = new DishSocket();
    const a = attach(dish);
    dish.join(bytes("g"));
    expect(() => dish.join(bytes("g"))).toThrow(expect.objectContaining({ code: "EINVAL" }));
    dish.leave(bytes("g"));
    expect(() => dish.leave(bytes("g"))).toThrow(expect.objectContaining({ code: "EINVAL" }));
    expect(() => dish.join(new Uint8Array(256))).toThrow(expect.objectContaining({ code: "EINVAL" }));
    const sent = drain(a.peer).map((m) => decodeGroupCommand(m[0]!));
    expect(sent.map((c) => (c === null || c === "too-long" ? c : [c.join, decoder.decode(c.group)]))).toEqual([
      [true, "g"],
      [false, "g"],
    ]);
  });

  test("only joined groups' two-frame messages are received; a new or reconnected Radio is told every group", () => {
    const dish = new DishSocket();
    dish.join(bytes("news"));
    const a = attach(dish);
    expect(drain(a.peer).map((m) => m.isGroupCommand)).toEqual([true]);
    a.peer.outbound.write([bytes("sport"), bytes("s")]);
    a.peer.outbound.write([bytes("news")]);
    a.peer.outbound.write([bytes("news"), bytes("n")]);
    expect(dish.readable).toBe(true);
    expect(texts([dish.tryReceive()!])).toEqual(["news|n"]);
    expect(dish.tryReceive()).toBeUndefined();
    dish.pipeReconnected(a.socketEnd);
    expect(drain(a.peer)).toHaveLength(1);
  });
});
