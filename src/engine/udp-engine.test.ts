// The udp:// engine without a network: what a RADIO and a DGRAM send through a sink, that they stop
// while the UDP socket is full (so the pipe's high-water mark applies) and carry on at resume(), and
// what they drop.

import { describe, expect, test } from "bun:test";
import type { Message } from "../core/message.ts";
import { createPipePair } from "../pipe/pipe-end.ts";
import { UdpEngine } from "./udp-engine.ts";

const text = (value: string) => new TextEncoder().encode(value);

/** A sink that takes `room` datagrams, then is full until `room` is raised. */
function sink(room: number) {
  const sent: Array<{ bytes: string; to: string }> = [];
  return {
    sent,
    room,
    send(bytes: Uint8Array, address: string, port: number) {
      sent.push({ bytes: Buffer.from(bytes).toString("hex"), to: `${address}:${port}` });
    },
    get writable() {
      return sent.length < this.room;
    },
  };
}

function engine(role: "radio" | "dgram", room: number, highWaterMark = 4) {
  const { socketEnd, peerEnd } = createPipePair(highWaterMark, highWaterMark, { routingId: new Uint8Array(0), address: "udp://test" });
  const out = sink(room);
  const target = role === "radio" ? { address: "10.0.0.2", port: 7 } : null; // lint-tests-allow literal-port: a sink, nothing binds
  const udp = new UdpEngine({ role, target, maxMessageSize: -1 }, peerEnd, out);
  return { socketEnd, out, udp };
}

describe("the udp engine's sending side", () => {
  test("a RADIO's [group, body] goes out as one datagram to the target", () => {
    const { socketEnd, out } = engine("radio", 10);
    socketEnd.outbound.write([text("g"), text("hi")] as Message);
    expect(out.sent).toEqual([{ bytes: "01676869", to: "10.0.0.2:7" }]); // lint-tests-allow literal-port: a sink, nothing binds
  });

  test("while the UDP socket is full the engine stops; the pipe fills to its mark; resume() sends the rest in order", () => {
    const { socketEnd, out, udp } = engine("radio", 2, 4);
    let accepted = 0;
    for (let i = 0; i < 10; i++) {
      if (!socketEnd.outbound.canWrite()) break;
      socketEnd.outbound.write([text("g"), Uint8Array.of(i)] as Message);
      accepted++;
    }
    // Two taken by the socket, four waiting in the pipe, the rest refused at the high-water mark.
    expect([out.sent.length, accepted]).toEqual([2, 6]);
    out.room = 100;
    udp.resume();
    expect(out.sent.map(({ bytes }) => bytes.slice(-2))).toEqual(["00", "01", "02", "03", "04", "05"]);
  });

  test("a DGRAM sends its body to the ip:port of the first frame, and drops a message without one", () => {
    const { socketEnd, out, udp } = engine("dgram", 10);
    socketEnd.outbound.write([text("127.0.0.1:9\0"), text("a")] as Message); // lint-tests-allow literal-port: a sink, nothing binds
    socketEnd.outbound.write([text("nowhere"), text("b")] as Message);
    socketEnd.outbound.write([text("127.0.0.1:10"), new Uint8Array(8193)] as Message); // lint-tests-allow literal-port: a sink
    expect(out.sent).toEqual([{ bytes: "61", to: "127.0.0.1:9" }]); // lint-tests-allow literal-port: a sink, nothing binds
    expect(udp.drops).toMatchObject({ unaddressed: 1, oversized: 1 });
  });
});
