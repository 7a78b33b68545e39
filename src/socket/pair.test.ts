// PAIR routing core driven with in-memory pipes: one active peer, standby peers, and what a leaving
// peer sent before it left. No sockets.

import { describe, expect, test } from "bun:test";
import type { Message } from "../core/message.ts";
import { createPipePair, type PipeEnd } from "../pipe/pipe-end.ts";
import { PairSocket } from "./pair.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const text = (message: Message | undefined): string[] | undefined => message?.map((f) => decoder.decode(f));

function attach(pair: PairSocket): { peer: PipeEnd; socketEnd: PipeEnd } {
  const pipes = createPipePair(100, 100, { routingId: new Uint8Array(0), address: "test" });
  pair.attachPipe(pipes.socketEnd);
  return { peer: pipes.peerEnd, socketEnd: pipes.socketEnd };
}

describe("PAIR core", () => {
  test("messages that arrived before the active peer left are still received, before the next peer's", () => {
    const pair = new PairSocket();
    const first = attach(pair);
    const second = attach(pair);
    first.peer.outbound.write([encoder.encode("before leaving")]);
    second.peer.outbound.write([encoder.encode("from the standby peer")]);
    pair.detachPipe(first.socketEnd);
    expect(pair.readable).toBe(true);
    expect(text(pair.tryReceive())).toEqual(["before leaving"]);
    expect(text(pair.tryReceive())).toEqual(["from the standby peer"]);
    expect(pair.tryReceive()).toBeUndefined();
    expect(pair.readable).toBe(false);
  });

  test("a later peer takes over sending once the active one has left", () => {
    const pair = new PairSocket();
    const first = attach(pair);
    const second = attach(pair);
    pair.detachPipe(first.socketEnd);
    expect(pair.trySend([encoder.encode("to the new peer")])).toBe(true);
    expect(text(second.peer.inbound.read())).toEqual(["to the new peer"]);
  });
});
