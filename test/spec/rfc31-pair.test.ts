// RFC 31/EXPAIR (https://rfc.zeromq.org/spec/31/), bunzmq PAIR <-> bunzmq PAIR over every
// transport of test/conformance/transports.ts; a sentence no peer takes part in runs once.
// Each test is named after the RFC sentence it checks (libzmq test_spec_* style).

import { describe, expect, test } from "bun:test";
import { Pair } from "../../src/index.ts";
import { forEachTransport, peersReady, type TransportRow } from "../conformance/transports.ts";
import { receiveMany, receiveText, strings, useSockets, withTimeout } from "../api/support.ts";

const sockets = useSockets();

/** A bound PAIR and a PAIR connected to it, with both handshakes done. */
async function connectedPair(row: TransportRow): Promise<{ bound: Pair; peer: Pair; endpoint: string }> {
  const { socket: bound, endpoint } = await sockets.bound(Pair, {}, row.bindable());
  const peer = sockets.open(Pair);
  const ready = peersReady(row, peer, 1);
  peer.connect(endpoint);
  await ready;
  return { bound, peer, endpoint };
}

// No peer takes part, so the transport does not matter: this runs once.
describe("RFC 31 PAIR", () => {
  test("RFC 31 PAIR: SHALL block on sending, or return a suitable error, when it has no available peer", async () => {
    const { socket: lonely } = await sockets.bound(Pair);
    expect(lonely.trySend("no peer")).toBe(false);
    lonely.sendTimeout = 0;
    const error = await lonely.send("no peer").catch((caught: { code?: string }) => caught);
    expect((error as { code?: string }).code).toBe("EAGAIN");
    lonely.sendTimeout = -1;
    const blocked = lonely.send("waits");
    expect(Bun.peek.status(blocked)).toBe("pending");
    lonely.close();
    await blocked.catch(() => {});
  });
});

forEachTransport((row) => {
  describe("RFC 31 PAIR", () => {
    test("RFC 31 PAIR: MAY be connected to at most one PAIR peer — a second PAIR connecting gets nothing while the first is connected", async () => {
      const { socket: bound, endpoint } = await sockets.bound(Pair, {}, row.bindable());
      const [firstReady, bothReady] = [peersReady(row, bound, 1), peersReady(row, bound, 2)];
      const first = sockets.open(Pair);
      first.connect(endpoint);
      await firstReady;

      // libzmq completes the second handshake and then ignores that peer (zmtp-notes §6.8).
      const second = sockets.open(Pair);
      const secondReady = peersReady(row, second, 1);
      second.connect(endpoint);
      await secondReady;
      await bothReady;

      for (let i = 0; i < 10; i++) await bound.send(String(i));
      expect(await receiveMany(first, 10)).toEqual(Array.from({ length: 10 }, (_, i) => String(i)));
      // Routing happens when each message is queued, so nothing is still on its way to `second`.
      expect(second.tryReceive()).toBeNull();

      await second.send("intruder");
      await first.send("from the first peer");
      expect(await receiveText(bound)).toEqual(["from the first peer"]);
      expect(bound.tryReceive()).toBeNull();
    });

    test("RFC 31 PAIR: MAY both send and receive messages", async () => {
      const { bound, peer } = await connectedPair(row);
      await peer.send("ping");
      expect(await receiveText(bound)).toEqual(["ping"]);
      await bound.send("pong");
      expect(await receiveText(peer)).toEqual(["pong"]);
    });

    test("RFC 31 PAIR: SHALL not filter or modify outgoing or incoming messages in any way", async () => {
      const { bound, peer } = await connectedPair(row);
      const parts = [Buffer.alloc(0), Buffer.from([0, 1, 255]), Buffer.alloc(1000, 9), Buffer.alloc(0)];
      await peer.send(parts);
      const there = await withTimeout(bound.receive(), 5000, "the message on the bound PAIR");
      expect(there.map((f) => Array.from(f))).toEqual(parts.map((f) => Array.from(f)));
      await bound.send(there);
      const back = await withTimeout(peer.receive(), 5000, "the echo");
      expect(back.map((f) => Array.from(f))).toEqual(parts.map((f) => Array.from(f)));
    });

    test("RFC 31 PAIR: SHALL maintain a double queue for its peer, allowing outgoing and incoming messages to be queued independently", async () => {
      const { bound, peer } = await connectedPair(row);
      for (let i = 0; i < 5; i++) {
        await bound.send(`down ${i}`);
        await peer.send(`up ${i}`);
      }
      expect(await receiveMany(peer, 5)).toEqual([0, 1, 2, 3, 4].map((i) => `down ${i}`));
      expect(await receiveMany(bound, 5)).toEqual([0, 1, 2, 3, 4].map((i) => `up ${i}`));
    });

    test("RFC 31 PAIR: SHALL create a double queue when initiating an outgoing connection to a peer, and SHALL maintain the double queue whether or not the connection is established", async () => {
      const endpoint = row.vacant();
      const early = sockets.open(Pair, { reconnectInterval: 10 });
      early.connect(endpoint);
      await withTimeout(early.send("sent before the peer exists"), 5000, "a send on the connecting PAIR");
      const late = sockets.open(Pair);
      await late.bind(endpoint);
      expect(await receiveText(late)).toEqual(["sent before the peer exists"]);
      await late.send("reply");
      expect(await receiveText(early)).toEqual(["reply"]);
    });

    test("RFC 31 PAIR: SHALL consider its peer as available only when it has a outgoing queue that is not full", async () => {
      const pair = sockets.open(Pair, { sendHighWaterMark: 2 });
      pair.connect(row.vacant());
      expect(pair.trySend("1")).toBe(true);
      expect(pair.trySend("2")).toBe(true);
      expect(pair.writable).toBe(false);
      expect(pair.trySend("3")).toBe(false);
    });

    test("RFC 31 PAIR: SHALL NOT discard messages that it cannot queue (a blocked send is delivered once the peer has room)", async () => {
      const endpoint = row.vacant();
      const pair = sockets.open(Pair, { sendHighWaterMark: 1, reconnectInterval: 10 });
      pair.connect(endpoint);
      await pair.send("first");
      const blocked = pair.send(["second", "part"]);
      expect(Bun.peek.status(blocked)).toBe("pending");
      const peer = sockets.open(Pair);
      await peer.bind(endpoint);
      await withTimeout(blocked, 5000, "the blocked send to complete");
      expect(await receiveMany(peer, 2)).toEqual(["first", "second|part"]);
    });

    test("RFC 31 PAIR: SHALL receive incoming messages from its single peer if it has one", async () => {
      const { bound, peer } = await connectedPair(row);
      await peer.send(["a", "b"]);
      const message = await withTimeout(bound.receive(), 5000, "the message");
      expect(message.every((frame) => Buffer.isBuffer(frame))).toBe(true);
      expect(strings(message)).toEqual(["a", "b"]);
    });
  });
});
