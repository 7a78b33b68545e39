// REP routing core driven with in-memory pipes: envelope handling, the receive/send state machine,
// malformed requests and vanished requesters. No sockets.

import { describe, expect, test } from "bun:test";
import type { ZmqError } from "../core/errors.ts";
import type { Message } from "../core/message.ts";
import { createPipePair, type PipeEnd } from "../pipe/pipe-end.ts";
import { RepSocket } from "./rep.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const b = (text: string): Uint8Array => encoder.encode(text);
const text = (message: Message | undefined): string[] | undefined => message?.map((f) => decoder.decode(f));

function connect(rep: RepSocket, hwm = 100): { client: PipeEnd; socketEnd: PipeEnd } {
  const pair = createPipePair(hwm, hwm, { routingId: new Uint8Array(0), address: "test" });
  rep.attachPipe(pair.socketEnd);
  return { client: pair.peerEnd, socketEnd: pair.socketEnd };
}

function request(client: PipeEnd, ...frames: string[]): void {
  client.outbound.write(frames.map(b));
}

function code(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    return (error as ZmqError).code;
  }
  return "no error";
}

describe("REP core", () => {
  test("the envelope up to the first empty frame is kept and goes back in front of the reply", () => {
    const rep = new RepSocket();
    const { client } = connect(rep);
    request(client, "hop2", "hop1", "", "body", "more");
    expect(text(rep.tryReceive())).toEqual(["body", "more"]);
    expect(rep.trySend([b("answer")])).toBe(true);
    expect(text(client.inbound.read())).toEqual(["hop2", "hop1", "", "answer"]);
  });

  test("sending before receiving throws EFSM", () => {
    const rep = new RepSocket();
    connect(rep);
    expect(rep.writable).toBe(false);
    expect(code(() => rep.trySend([b("x")]))).toBe("EFSM");
  });

  test("receiving again before replying throws EFSM", () => {
    const rep = new RepSocket();
    const { client } = connect(rep);
    request(client, "", "1");
    request(client, "", "2");
    rep.tryReceive();
    expect(rep.readable).toBe(false);
    expect(code(() => rep.tryReceive())).toBe("EFSM");
    rep.trySend([b("r")]);
    expect(text(rep.tryReceive())).toEqual(["2"]);
  });

  test("requests without a delimiter (or with nothing after it) are discarded silently", () => {
    const rep = new RepSocket();
    const { client } = connect(rep);
    request(client, "no delimiter");
    request(client, "x", "");
    request(client, "", "good");
    expect(text(rep.tryReceive())).toEqual(["good"]);
  });

  test("requests are fair-queued and each reply goes to the peer that asked", () => {
    const rep = new RepSocket();
    const [a, c] = [connect(rep).client, connect(rep).client];
    request(a, "", "a1");
    request(a, "", "a2");
    request(c, "", "c1");
    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      const body = text(rep.tryReceive())![0]!;
      order.push(body);
      rep.trySend([b(`re ${body}`)]);
    }
    expect(order).toEqual(["a1", "c1", "a2"]);
    expect(text(a.inbound.read())).toEqual(["", "re a1"]);
    expect(text(c.inbound.read())).toEqual(["", "re c1"]);
    expect(text(a.inbound.read())).toEqual(["", "re a2"]);
  });

  test("a reply to a requester that left is dropped and the socket receives again", () => {
    const rep = new RepSocket();
    const gone = connect(rep);
    const staying = connect(rep).client;
    request(gone.client, "", "q");
    rep.tryReceive();
    rep.detachPipe(gone.socketEnd);
    expect(rep.trySend([b("lost")])).toBe(true);
    expect(gone.client.inbound.size).toBe(0);
    request(staying, "", "next");
    expect(text(rep.tryReceive())).toEqual(["next"]);
  });

  test("requests a peer sent before it left are still received; their replies are dropped", () => {
    const rep = new RepSocket();
    const gone = connect(rep);
    request(gone.client, "", "q1");
    request(gone.client, "", "q2");
    rep.detachPipe(gone.socketEnd);
    expect(text(rep.tryReceive())).toEqual(["q1"]);
    expect(rep.trySend([b("r1")])).toBe(true);
    expect(text(rep.tryReceive())).toEqual(["q2"]);
    expect(rep.trySend([b("r2")])).toBe(true);
    expect(gone.client.inbound.size).toBe(0);
    expect(rep.tryReceive()).toBeUndefined();
    expect(rep.readable).toBe(false);
  });

  test("a reply to a requester whose queue is full is dropped rather than blocking", () => {
    const rep = new RepSocket();
    const { client } = connect(rep, 1);
    request(client, "", "q1");
    rep.tryReceive();
    rep.trySend([b("r1")]);
    request(client, "", "q2");
    rep.tryReceive();
    expect(rep.trySend([b("r2")])).toBe(true);
    expect(client.inbound.size).toBe(1);
  });
});
