// zeromq.js message contract over real TCP sockets (api-contract §1.4): every MessageLike is
// accepted by send(), receive() always yields Buffer[], plus bunzmq's trySend/tryReceive/receiveBatch.

import { describe, expect, test } from "bun:test";
import { Pair, Pull, Push } from "../../src/index.ts";
import { receiveMany, receiveText, strings, useSockets, waitFor, withTimeout } from "./support.ts";

const sockets = useSockets();

/** A bound PULL and a PUSH connected to it. */
async function pipeline(): Promise<{ push: Push; pull: Pull }> {
  const { socket: pull, endpoint } = await sockets.bound(Pull);
  const push = sockets.open(Push);
  push.connect(endpoint);
  return { push, pull };
}

/** Sends `input` through a fresh PUSH/PULL pair and returns the one message that arrives. */
async function roundTrip(input: Parameters<Push["send"]>[0]): Promise<Buffer[]> {
  const { push, pull } = await pipeline();
  await withTimeout(push.send(input), 5000, "send to be queued");
  return withTimeout(pull.receive(), 5000, "the message");
}

function bytesOf(view: ArrayBufferView): number[] {
  return Array.from(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
}

describe("send() accepts every MessageLike", () => {
  test("a string is sent as UTF-8", async () => {
    const message = await roundTrip("héllo ✓");
    expect(message.length).toBe(1);
    expect(Array.from(message[0]!)).toEqual(Array.from(Buffer.from("héllo ✓", "utf8")));
  });

  test("a Buffer is sent as its bytes", async () => {
    const message = await roundTrip(Buffer.from([0, 1, 2, 254, 255]));
    expect(Array.from(message[0]!)).toEqual([0, 1, 2, 254, 255]);
  });

  test("a Uint8Array is sent as its bytes", async () => {
    const message = await roundTrip(new Uint8Array([9, 8, 7]));
    expect(Array.from(message[0]!)).toEqual([9, 8, 7]);
  });

  test("a Uint8Array view into a larger buffer sends only the viewed bytes", async () => {
    const backing = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    const message = await roundTrip(new Uint8Array(backing.buffer, 2, 3));
    expect(Array.from(message[0]!)).toEqual([3, 4, 5]);
  });

  test("other TypedArray views are sent as their underlying bytes", async () => {
    const views: ArrayBufferView[] = [
      new Uint16Array([0x0102, 0xfffe]),
      new Int32Array([-1, 7]),
      new Float64Array([Math.PI]),
      new BigUint64Array([0x0102030405060708n]),
      new Int16Array(new Int16Array([1, 2, 3, 4]).buffer, 2, 2),
      new DataView(new Uint8Array([10, 11, 12, 13]).buffer, 1, 2),
    ];
    const { push, pull } = await pipeline();
    for (const view of views) await push.send(view);
    for (const view of views) {
      const [frame] = await withTimeout(pull.receive(), 5000, "a typed-array message");
      expect(Array.from(frame!)).toEqual(bytesOf(view));
    }
  });

  test("an ArrayBuffer is sent as its bytes", async () => {
    const message = await roundTrip(new Uint8Array([4, 5, 6]).buffer);
    expect(Array.from(message[0]!)).toEqual([4, 5, 6]);
  });

  test("a SharedArrayBuffer is sent as its bytes", async () => {
    const shared = new SharedArrayBuffer(4);
    new Uint8Array(shared).set([40, 41, 42, 43]);
    const message = await roundTrip(shared);
    expect(Array.from(message[0]!)).toEqual([40, 41, 42, 43]);
  });

  test("a number is stringified, as zeromq.js does", async () => {
    const { push, pull } = await pipeline();
    for (const n of [42, 3.5, -7, 0]) await push.send(n);
    expect(await receiveMany(pull, 4)).toEqual(["42", "3.5", "-7", "0"]);
  });

  test("null is sent as an empty frame", async () => {
    const message = await roundTrip(null);
    expect(message.length).toBe(1);
    expect(message[0]!.length).toBe(0);
  });

  test("an array is one multipart message, and empty frames in it are preserved", async () => {
    const { push, pull } = await pipeline();
    await push.send(["", "a", null, Buffer.alloc(0), new Uint8Array(0), "b", ""]);
    await push.send("next");
    expect(await receiveText(pull)).toEqual(["", "a", "", "", "", "b", ""]);
    expect(await receiveText(pull)).toEqual(["next"]);
  });

  test("an array may mix every MessageLike kind", async () => {
    const shared = new SharedArrayBuffer(1);
    new Uint8Array(shared)[0] = 0x53;
    const message = await roundTrip([
      "s",
      Buffer.from("B"),
      new Uint8Array([0x55]),
      new Uint16Array([0x4141]),
      new Uint8Array([0x41]).buffer,
      shared,
      12,
      null,
    ]);
    expect(strings(message)).toEqual(["s", "B", "U", "AA", "A", "S", "12", ""]);
  });

  test("a 1 MiB message arrives intact", async () => {
    const big = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7 + (i >>> 10)) & 0xff;
    const message = await roundTrip(big);
    expect(message[0]!.length).toBe(big.length);
    expect(message[0]!.equals(big)).toBe(true);
  });
});

describe("receive() yields Buffer[]", () => {
  test("a single-part message is still an array, and every frame is a Buffer", async () => {
    const message = await roundTrip("one");
    expect(Array.isArray(message)).toBe(true);
    expect(message.length).toBe(1);
    expect(Buffer.isBuffer(message[0])).toBe(true);
  });

  test("every frame of a multipart message, empty ones included, is a Buffer", async () => {
    const message = await roundTrip(["a", null, new Uint16Array([1]), ""]);
    expect(message.length).toBe(4);
    for (const frame of message) expect(Buffer.isBuffer(frame)).toBe(true);
  });

  test("a PAIR sends and receives in both directions with the same contract", async () => {
    const { socket: a, endpoint } = await sockets.bound(Pair);
    const b = sockets.open(Pair);
    b.connect(endpoint);
    await b.send(["to-a", 1]);
    expect(await receiveText(a)).toEqual(["to-a", "1"]);
    await a.send([null, "to-b"]);
    const reply = await withTimeout(b.receive(), 5000, "the reply on b");
    expect(reply.every((frame) => Buffer.isBuffer(frame))).toBe(true);
    expect(strings(reply)).toEqual(["", "to-b"]);
  });
});

describe("trySend, tryReceive and receiveBatch (bunzmq additions)", () => {
  test("trySend returns true when queued and false at the high-water mark, never a promise", async () => {
    const push = sockets.open(Push, { sendHighWaterMark: 1 });
    push.connect(await sockets.unusedEndpoint());
    expect(push.trySend("fits")).toBe(true);
    const second = push.trySend("full");
    expect(second).toBe(false);
  });

  test("trySend on a PUSH with no peer at all returns false", () => {
    const push = sockets.open(Push);
    expect(push.trySend("nowhere")).toBe(false);
  });

  test("trySend delivers like send", async () => {
    const { push, pull } = await pipeline();
    expect(push.trySend(["x", "y"])).toBe(true);
    expect(await receiveText(pull)).toEqual(["x", "y"]);
  });

  test("tryReceive returns null when nothing is queued", async () => {
    const { pull } = await pipeline();
    expect(pull.tryReceive()).toBeNull();
  });

  test("tryReceive returns a queued message as Buffer[]", async () => {
    const { push, pull } = await pipeline();
    await push.send(["p", "q"]);
    const message = await waitFor(() => pull.tryReceive(), { what: "a message for tryReceive" });
    expect(message.every((frame) => Buffer.isBuffer(frame))).toBe(true);
    expect(strings(message)).toEqual(["p", "q"]);
    expect(pull.tryReceive()).toBeNull();
  });

  test("receiveBatch(max) returns between 1 and max messages, in order, until all are read", async () => {
    const { push, pull } = await pipeline();
    for (let i = 0; i < 50; i++) await push.send(String(i));
    const received: string[] = [];
    const batches = (async () => {
      while (received.length < 50) {
        const batch = await pull.receiveBatch(7);
        expect(batch.length).toBeGreaterThanOrEqual(1);
        expect(batch.length).toBeLessThanOrEqual(7);
        for (const message of batch) {
          expect(Buffer.isBuffer(message[0])).toBe(true);
          received.push(strings(message).join("|"));
        }
      }
    })();
    await withTimeout(batches, 10_000, "50 messages in batches");
    expect(received).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));
  });

  test("receiveBatch waits for the first message when none is queued", async () => {
    const { push, pull } = await pipeline();
    const pending = pull.receiveBatch(10);
    expect(Bun.peek.status(pending)).toBe("pending");
    await push.send("first");
    const batch = await withTimeout(pending, 5000, "the batch");
    expect(batch.length).toBe(1);
    expect(strings(batch[0]!)).toEqual(["first"]);
  });

  test("receiveBatch(0) is refused with EINVAL", async () => {
    const { pull } = await pipeline();
    let error: unknown;
    try {
      await pull.receiveBatch(0);
    } catch (caught) {
      error = caught;
    }
    expect((error as { code?: string } | undefined)?.code).toBe("EINVAL");
  });
});

describe("event-loop fairness (512 synchronous operations)", () => {
  test("5000 awaited sends arrive complete and in order", async () => {
    const { push, pull } = await pipeline();
    const total = 5000;
    const sending = (async () => {
      for (let i = 0; i < total; i++) await push.send(["seq", String(i)]);
    })();
    const received = await receiveMany(pull, total, 20_000);
    await withTimeout(sending, 5000, "every send to complete");
    const expected = Array.from({ length: total }, (_, i) => `seq|${i}`);
    const firstMismatch = received.findIndex((m, i) => m !== expected[i]);
    expect(firstMismatch).toBe(-1);
    expect(received.length).toBe(total);
  });

  test("5000 awaited receives of already-queued messages keep order across the 512-operation yield", async () => {
    const { push, pull } = await pipeline();
    const total = 5000;
    const sending = (async () => {
      for (let i = 0; i < total; i++) await push.send(String(i));
    })();
    await withTimeout(sending, 20_000, "5000 sends");
    const received = await receiveMany(pull, total, 20_000);
    expect(received.findIndex((m, i) => m !== String(i))).toBe(-1);
  });

  test("a setImmediate scheduled during an await send loop of 10^6 inproc messages runs before the loop ends", async () => {
    const { socket: pull, endpoint } = await sockets.bound(Pull, { linger: 0 }, "inproc://fairness-immediate");
    const push = sockets.open(Push, { linger: 0 });
    push.connect(endpoint);
    const total = 1_000_000;
    let received = 0;
    const draining = (async () => {
      while (received < total) received += (await pull.receiveBatch(4096)).length;
    })();
    let ranAt = -1;
    let sent = 0;
    setImmediate(() => (ranAt = sent));
    const body = new Uint8Array(16);
    for (; sent < total; sent++) await push.send(body);
    await withTimeout(draining, 20_000, "every message to arrive");
    expect(ranAt).toBeGreaterThanOrEqual(0);
    expect(ranAt).toBeLessThan(total);
  });

  test("a receiver in the sender's own event loop takes an await send loop's messages in batches, not one per wake", async () => {
    const { socket: pull, endpoint } = await sockets.bound(Pull, { linger: 0 }, "inproc://fairness-batches");
    const push = sockets.open(Push, { linger: 0 });
    push.connect(endpoint);
    const total = 20_000;
    let received = 0;
    let wakes = 0;
    const draining = (async () => {
      while (received < total) {
        received += (await pull.receiveBatch(4096)).length;
        wakes++;
      }
    })();
    for (let i = 0; i < total; i++) await push.send(String(i));
    await withTimeout(draining, 20_000, "every message to arrive");
    expect(received).toBe(total);
    // Woken per message this would be 20,000; the settle waits while the sender goes on.
    expect(wakes).toBeLessThan(total / 100);
  });
});
