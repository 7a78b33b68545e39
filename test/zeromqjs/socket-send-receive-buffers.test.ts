// What send() does with the buffers it is given, and high-water marks on live pipes: the memory half
// of zeromq.js's socket-send-receive unit file. Frames of up to 128 bytes are copied at send (the
// caller may reuse or drop them at once); larger ones are lent until written. Nothing sent or
// received is kept once delivered. A high-water mark changed on a connected socket reaches its pipes.

import { describe, expect, test } from "bun:test";
import { Pair } from "../../src/index.ts";
import {
  ALL_TRANSPORTS,
  forEachTransport,
  freshEndpoint,
  receiveTexts,
  useSockets,
  vacantEndpoint,
  waitFor,
  withTimeout,
  type Transport,
} from "./support.ts";

const sockets = useSockets();

/** Collects garbage until every reference is gone; bounded, so a leak fails instead of hanging. */
async function collected(refs: WeakRef<object>[], what: string): Promise<void> {
  await waitFor(
    () => {
      Bun.gc(true);
      return refs.every((ref) => ref.deref() === undefined);
    },
    { what: () => `${what} to be collected (${refs.filter((ref) => ref.deref() !== undefined).length} of ${refs.length} remain)` },
  );
}

/** A Pair connected to an endpoint nobody has bound yet, so what it sends waits in its queue. */
function waitingSender(transport: Transport): { sender: Pair; endpoint: string } {
  const endpoint = vacantEndpoint(transport);
  const sender = sockets.open(Pair, { reconnectInterval: 10 });
  sender.connect(endpoint);
  return { sender, endpoint };
}

/** Binds a receiver where `waitingSender` connected and returns the first frame it receives. */
async function firstFrameAt(endpoint: string): Promise<Buffer> {
  const receiver = sockets.open(Pair);
  await receiver.bind(endpoint);
  const [frame] = await withTimeout(receiver.receive(), 5000, "the queued message");
  return frame!;
}

forEachTransport(ALL_TRANSPORTS, (transport) => {
  describe("what send() keeps", () => {
    for (const size of [16, 128]) {
      test(`a ${size}-byte frame is copied at send: changing the buffer afterwards changes nothing`, async () => {
        const { sender, endpoint } = waitingSender(transport);
        const buffer = Buffer.alloc(size, "a");
        await sender.send(buffer);
        buffer.fill("b");
        expect((await firstFrameAt(endpoint)).toString()).toBe("a".repeat(size));
      });
    }

    for (const size of [129, 1025]) {
      test(`a ${size}-byte frame is lent until written: a change before then is what the peer gets`, async () => {
        const { sender, endpoint } = waitingSender(transport);
        const buffer = Buffer.alloc(size, "a");
        await sender.send(buffer);
        buffer[0] = "b".charCodeAt(0);
        expect((await firstFrameAt(endpoint)).toString()).toBe("b" + "a".repeat(size - 1));
      });
    }

    test("a small buffer can be collected while its copy waits in the queue", async () => {
      const { sender } = waitingSender(transport);
      const refs: WeakRef<object>[] = [];
      await (async () => {
        const buffer = Buffer.alloc(16);
        refs.push(new WeakRef(buffer));
        await sender.send(buffer);
      })();
      await collected(refs, "the 16-byte buffer");
    });

    test("a large buffer stays referenced while it waits in the queue", async () => {
      const { sender } = waitingSender(transport);
      const refs: WeakRef<Buffer>[] = [];
      await (async () => {
        const buffer = Buffer.alloc(1025);
        refs.push(new WeakRef(buffer));
        await sender.send(buffer);
      })();
      for (let i = 0; i < 3; i++) Bun.gc(true);
      expect(refs[0]!.deref()).toBeInstanceOf(Buffer);
    });
  });

  describe("nothing is kept once delivered", () => {
    test("sent and received 2 KiB buffers can all be collected", async () => {
      const [a, b] = [sockets.open(Pair), sockets.open(Pair)];
      await b.bind(freshEndpoint(transport));
      a.connect(b.lastEndpoint!);
      const refs: WeakRef<object>[] = [];
      const send = async () => {
        for (let i = 0; i < 10; i++) {
          const buffer = Buffer.alloc(2048);
          refs.push(new WeakRef(buffer));
          await a.send(buffer);
        }
      };
      const receive = async () => {
        for (let i = 0; i < 10; i++) refs.push(new WeakRef(await b.receive()));
      };
      await withTimeout(Promise.all([send(), receive()]), 5000, "ten messages");
      expect(refs).toHaveLength(20);
      await collected(refs, "the sent and received messages");
    });

    test("buffers echoed back and forth can all be collected once both sockets close", async () => {
      const [a, b] = [sockets.open(Pair), sockets.open(Pair)];
      await b.bind(freshEndpoint(transport));
      a.connect(b.lastEndpoint!);
      const refs: WeakRef<object>[] = [];
      const echo = async () => {
        for (let i = 0; i < 10; i++) {
          const [frame] = await b.receive();
          await b.send(frame!);
          refs.push(new WeakRef(frame!));
        }
      };
      const send = async () => {
        for (let i = 0; i < 10; i++) {
          const buffer = Buffer.alloc(2048);
          refs.push(new WeakRef(buffer));
          await a.send(buffer);
          refs.push(new WeakRef((await a.receive())[0]!));
        }
      };
      await withTimeout(Promise.all([send(), echo()]), 5000, "ten round trips");
      a.close();
      b.close();
      expect(refs).toHaveLength(30);
      await collected(refs, "the echoed messages");
    });
  });

  describe("high-water marks on live pipes", () => {
    test("raising sendHighWaterMark on a connected socket lets more messages queue at once", () => {
      const { sender } = waitingSender(transport);
      sender.sendHighWaterMark = 1;
      expect([sender.trySend("1"), sender.trySend("2")]).toEqual([true, false]);
      sender.sendHighWaterMark = 3;
      expect([sender.trySend("2"), sender.trySend("3"), sender.trySend("4")]).toEqual([true, true, false]);
    });

    test("a send waiting at the high-water mark completes when the mark is raised", async () => {
      const { sender } = waitingSender(transport);
      sender.sendHighWaterMark = 1;
      await sender.send("fills the queue");
      const waiting = sender.send("waits");
      expect(Bun.peek.status(waiting)).toBe("pending");
      sender.sendHighWaterMark = 2;
      expect(await withTimeout(waiting, 5000, "the waiting send")).toBeUndefined();
    });
  });
});

describe("inproc", () => {
  test("a large message echoed back arrives as the very memory sent", async () => {
    const [a, b] = [sockets.open(Pair), sockets.open(Pair)];
    await b.bind(freshEndpoint("inproc"));
    a.connect(b.lastEndpoint!);
    const original = Buffer.alloc(2048);
    await a.send(original);
    await b.send(await withTimeout(b.receive(), 5000, "the message"));
    const [echoed] = await withTimeout(a.receive(), 5000, "the echo");
    echoed!.writeUInt8(0x40, 0);
    expect(original.subarray(0, 1).toString()).toBe("@");
  });

  test("once bound, a pipe holds the sender's send mark plus the receiver's receive mark", async () => {
    const [a, b] = [sockets.open(Pair), sockets.open(Pair)];
    await b.bind(freshEndpoint("inproc"));
    a.connect(b.lastEndpoint!);
    a.sendHighWaterMark = 3;
    b.receiveHighWaterMark = 2;
    let queued = 0;
    while (queued < 100 && a.trySend(`message ${queued}`)) queued++;
    expect(queued).toBe(5);
    expect(await receiveTexts(b, 5)).toEqual([0, 1, 2, 3, 4].map((i) => [`message ${i}`]));
  });

  test("before the bind the connecting socket's send mark alone sizes the pipe; the bind adds the receiver's", async () => {
    const [a, b] = [sockets.open(Pair, { sendHighWaterMark: 3 }), sockets.open(Pair, { receiveHighWaterMark: 2 })];
    const endpoint = freshEndpoint("inproc");
    a.connect(endpoint);
    let queued = 0;
    while (queued < 100 && a.trySend("early")) queued++;
    expect(queued).toBe(3);
    await b.bind(endpoint);
    while (queued < 100 && a.trySend("late")) queued++;
    expect(queued).toBe(5);
  });
});
