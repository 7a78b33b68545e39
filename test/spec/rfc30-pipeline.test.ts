// RFC 30/PIPELINE (https://rfc.zeromq.org/spec/30/), bunzmq PUSH <-> bunzmq PULL over every
// transport of test/conformance/transports.ts; a sentence no peer takes part in runs once.
// Each test is named after the RFC sentence it checks (libzmq test_spec_pushpull style).

import { describe, expect, test } from "bun:test";
import { Context, Pull, Push, type SocketInit } from "../../src/index.ts";
import { forEachTransport, peersReady } from "../conformance/transports.ts";
import { receiveMany, receiveText, strings, useSockets, waitFor, withTimeout } from "../api/support.ts";

const sockets = useSockets();

/** The sequence number carried in frame 0 of each message. */
function seq(message: string): number {
  return Number(message.split("|")[0]);
}

// No peer takes part, so the transport does not matter: this runs once.
describe("RFC 30 PUSH", () => {
  test("RFC 30 PUSH: SHALL block on sending, or return a suitable error, when it has no available peers", async () => {
    const { socket: push } = await sockets.bound(Push);
    expect(push.writable).toBe(false);
    expect(push.trySend("no peer")).toBe(false);
    push.sendTimeout = 0;
    const error = await push.send("no peer").catch((caught: { code?: string }) => caught);
    expect((error as { code?: string }).code).toBe("EAGAIN");
    push.sendTimeout = -1;
    const blocked = push.send("waits");
    expect(Bun.peek.status(blocked)).toBe("pending");
    push.close();
    await blocked.catch(() => {});
  });
});

forEachTransport((row) => {
  const bound = <T extends Push | Pull>(type: new (options?: SocketInit) => T, options: SocketInit = {}) =>
    sockets.bound(type, options, row.bindable());

  describe("RFC 30 PUSH", () => {
    test("RFC 30 PUSH: SHALL route outgoing messages to available peers using a round-robin strategy (connected peers)", async () => {
      const pulls = await Promise.all([0, 1, 2].map(() => bound(Pull)));
      const push = sockets.open(Push);
      for (const { endpoint } of pulls) push.connect(endpoint);
      for (let i = 0; i < 30; i++) await push.send(String(i));
      // Connecting creates the three queues in connect order, so the rotation is exact.
      for (const [k, { socket }] of pulls.entries()) {
        expect(await receiveMany(socket, 10)).toEqual(Array.from({ length: 10 }, (_, j) => String(k + 3 * j)));
      }
    });

    test("RFC 30 PUSH: SHALL route outgoing messages to available peers using a round-robin strategy (bound PUSH)", async () => {
      const { socket: push, endpoint } = await bound(Push);
      const ready = peersReady(row, push, 3);
      const pulls = [0, 1, 2].map(() => sockets.open(Pull));
      for (const pull of pulls) pull.connect(endpoint);
      await ready;
      for (let i = 0; i < 30; i++) await push.send(String(i));
      const received = await Promise.all(pulls.map((pull) => receiveMany(pull, 10)));
      const firsts = received.map((list) => Number(list[0])).sort();
      expect(firsts).toEqual([0, 1, 2]);
      for (const list of received) {
        const start = Number(list[0]);
        expect(list).toEqual(Array.from({ length: 10 }, (_, j) => String(start + 3 * j)));
      }
    });

    test("RFC 30 PUSH: SHALL not filter or modify outgoing messages in any way", async () => {
      const { socket: pull, endpoint } = await bound(Pull);
      const push = sockets.open(Push);
      push.connect(endpoint);
      const parts = [Buffer.alloc(0), Buffer.from([0, 255, 1]), Buffer.alloc(300, 0xab), Buffer.alloc(0)];
      await push.send(parts);
      const message = await withTimeout(pull.receive(), 5000, "the multipart message");
      expect(message.map((frame) => Array.from(frame))).toEqual(parts.map((frame) => Array.from(frame)));
    });

    test("RFC 30 PUSH: SHALL create this queue when initiating an outgoing connection to a peer, and SHALL maintain the queue whether or not the connection is established", async () => {
      const endpoint = row.vacant();
      const push = sockets.open(Push, { reconnectInterval: 10 });
      push.connect(endpoint);
      expect(push.trySend("queued before the peer exists")).toBe(true);
      const pull = sockets.open(Pull);
      await pull.bind(endpoint);
      expect(await receiveText(pull)).toEqual(["queued before the peer exists"]);
    });

    test("RFC 30 PUSH: SHALL consider a peer as available only when it has an outgoing queue that is not full", async () => {
      // One queue never drains (its peer never comes up); the other peer is live.
      const push = sockets.open(Push, { sendHighWaterMark: 2 });
      push.connect(row.vacant());
      const { socket: live, endpoint } = await bound(Pull);
      push.connect(endpoint);
      for (let i = 0; i < 20; i++) await withTimeout(push.send(String(i)), 5000, `send ${i}`);
      // 0 and 2 fill the dead queue; from then on every message goes to the live peer.
      expect(await receiveMany(live, 18)).toEqual(["1", ...Array.from({ length: 17 }, (_, j) => String(j + 3))]);
    });

    test("RFC 30 PUSH: SHALL NOT discard messages that it cannot queue (a blocked send is delivered once a peer has room)", async () => {
      const endpoint = row.vacant();
      const push = sockets.open(Push, { sendHighWaterMark: 1, reconnectInterval: 10 });
      push.connect(endpoint);
      await push.send("first");
      const blocked = push.send("second");
      expect(Bun.peek.status(blocked)).toBe("pending");
      const pull = sockets.open(Pull);
      await pull.bind(endpoint);
      await withTimeout(blocked, 5000, "the blocked send to complete");
      expect(await receiveMany(pull, 2)).toEqual(["first", "second"]);
    });

    test("RFC 30 PUSH: SHALL NOT discard messages — with two PULL peers, one not reading, it keeps sending to the other and loses nothing", async () => {
      const total = 600;
      const body = Buffer.alloc(128 * 1024, 0x5a);
      const { socket: idle, endpoint: idleEndpoint } = await bound(Pull, { receiveHighWaterMark: 1 });
      const { socket: busy, endpoint: busyEndpoint } = await bound(Pull, { receiveHighWaterMark: 1 });
      const push = sockets.open(Push, { sendHighWaterMark: 1 });
      push.connect(idleEndpoint);
      push.connect(busyEndpoint);

      const fromBusy: number[] = [];
      const reading = (async () => {
        for await (const message of busy) fromBusy.push(seq(strings(message).join("|")));
      })();
      // Every send completes although the idle peer never reads: its queue fills and is skipped.
      const sending = (async () => {
        for (let i = 0; i < total; i++) await push.send([String(i), body]);
      })();
      await withTimeout(sending, 20_000, `${total} sends with one peer not reading`);

      // Only now does the idle peer read: what it holds plus what the busy one got is everything, once.
      const fromIdle: number[] = [];
      await waitFor(
        () => {
          for (let m = idle.tryReceive(); m !== null; m = idle.tryReceive()) fromIdle.push(Number(m[0]!.toString()));
          return fromBusy.length + fromIdle.length >= total;
        },
        { timeoutMs: 20_000, what: () => `${total} messages across both peers (busy ${fromBusy.length}, idle ${fromIdle.length})` },
      );
      busy.close();
      await withTimeout(reading, 5000, "the busy reader to end");

      expect(fromBusy.length).toBeGreaterThan(total / 2);
      expect([...fromBusy, ...fromIdle].sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i));
      for (const list of [fromBusy, fromIdle]) expect(list.every((n, i) => i === 0 || n > list[i - 1]!)).toBe(true);
    }, 60_000);
  });

  describe("RFC 30 PULL", () => {
    test("RFC 30 PULL: SHALL receive incoming messages from its peers using a fair-queuing strategy", async () => {
      const highWaterMark = 4;
      // Every socket here runs its engines on this thread, even when BUNZMQ_IO_THREADS moves the rest:
      // an I/O Worker puts further buffers (its pipe and ring) between a socket's queue and the
      // connection, so "every queue towards the PULL is full" could not be awaited from outside
      // (the PUSH queues could be full while the Worker still fills the connection). One context
      // also lets inproc peers find the name.
      const context = new Context();
      const { socket: pull, endpoint } = await bound(Pull, { receiveHighWaterMark: highWaterMark, context });
      const tags = ["A", "B", "C"];
      const pushes = tags.map(() => sockets.open(Push, { sendHighWaterMark: highWaterMark, context }));
      const ready = Promise.all([peersReady(row, pull, 3), ...pushes.map((push) => peersReady(row, push, 1))]);
      for (const push of pushes) push.connect(endpoint);
      await ready;

      // Each PUSH floods until everything between it and the PULL is full.
      const body = Buffer.alloc(16 * 1024, 1);
      const floods = pushes.map(async (push, k) => {
        try {
          for (let i = 0; ; i++) await push.send([tags[k]!, String(i), body]);
        } catch {
          // closed at the end of the test
        }
      });
      let stableChecks = 0;
      await waitFor(
        () => {
          stableChecks = pushes.every((push) => !push.writable) ? stableChecks + 1 : 0;
          return stableChecks >= 3;
        },
        { timeoutMs: 20_000, what: "all three PUSH queues to stay full (every queue towards the PULL is full)" },
      );

      // Every peer's queue holds at least highWaterMark messages: fair queuing takes one from each in turn.
      const order: string[] = [];
      const next = new Map(tags.map((tag) => [tag, 0]));
      for (let i = 0; i < 3 * highWaterMark; i++) {
        const [tag, n] = strings(await withTimeout(pull.receive(), 5000, "a queued message"));
        order.push(tag!);
        expect(Number(n)).toBe(next.get(tag!)!);
        next.set(tag!, Number(n) + 1);
      }
      expect(new Set(order.slice(0, 3)).size).toBe(3);
      expect(order.every((tag, i) => tag === order[i % 3])).toBe(true);

      for (const push of pushes) push.close();
      await withTimeout(Promise.all(floods), 5000, "the floods to stop");
    }, 60_000);

    test("RFC 30 PULL: SHALL not filter or modify incoming messages in any way", async () => {
      const { socket: pull, endpoint } = await bound(Pull);
      const push = sockets.open(Push);
      push.connect(endpoint);
      const parts = [Buffer.from([0]), Buffer.alloc(0), Buffer.alloc(70_000, 0x11)];
      await push.send(parts);
      const message = await withTimeout(pull.receive(), 5000, "the message");
      expect(message.length).toBe(3);
      message.forEach((frame, i) => expect(frame.equals(parts[i]!)).toBe(true));
    });

    test("RFC 30 PULL: SHALL create this queue when initiating an outgoing connection to a peer (a connecting PULL receives from a later-bound PUSH)", async () => {
      const endpoint = row.vacant();
      const pull = sockets.open(Pull, { reconnectInterval: 10 });
      pull.connect(endpoint);
      const push = sockets.open(Push);
      await push.bind(endpoint);
      await withTimeout(push.send("to the connecting PULL"), 5000, "the PUSH to see its peer");
      expect(await receiveText(pull)).toEqual(["to the connecting PULL"]);
    });
  });
});
