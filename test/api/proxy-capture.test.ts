// The capture socket, a bunzmq addition to zeromq.js's Proxy (libzmq zmq_proxy's third socket):
// passed as `{ capture }`, it gets every forwarded message, both ways, with all its frames.

import { describe, expect, test } from "bun:test";
import { Dealer, Proxy, Pull, Push, Reply, Request, Router, type Socket, type ZmqError } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TRANSPORTS, anyEndpoint, type Transport } from "../helpers/endpoint.ts";
import { withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();

/** A capture PUSH bound over `transport` and the PULL that reads it. */
async function captureLine(transport: Transport, highWaterMark = 1000): Promise<{ capture: Push; tap: Pull }> {
  const capture = cleanup.track(new Push({ linger: 0, sendHighWaterMark: highWaterMark }));
  await capture.bind(anyEndpoint(transport));
  const tap = cleanup.track(new Pull({ linger: 0, receiveHighWaterMark: highWaterMark }));
  tap.connect(capture.lastEndpoint!);
  return { capture, tap };
}

const text = (message: Buffer[]) => message.map(String);

describe("proxy construction with a capture socket", () => {
  test("the third argument is an options object; capture reads back, null without one", () => {
    const [front, back, capture] = [new Router(), new Dealer(), new Push()].map((s) => cleanup.track(s as Socket));
    expect(new Proxy(front!, back!, { capture: capture! }).capture).toBe(capture!);
    expect(new Proxy(front!, back!).capture).toBeNull();
    expect(new Proxy(front!, back!, {}).capture).toBeNull();
  });

  test("a capture that is not a socket, or cannot send, is a TypeError", () => {
    const [front, back, pull] = [new Router(), new Dealer(), new Pull()].map((s) => cleanup.track(s as Socket));
    const wrong = { capture: {} } as unknown as { capture: Socket };
    expect(() => new Proxy(front!, back!, wrong)).toThrow(TypeError);
    expect(() => new Proxy(front!, back!, { capture: pull! })).toThrow(TypeError);
  });

  test("run() needs the capture bound or connected too (EINVAL), and leaves it open at the end", async () => {
    const [front, back] = [new Pull({ linger: 0 }), new Push({ linger: 0 })].map((s) => cleanup.track(s));
    await front!.bind(anyEndpoint("inproc"));
    await back!.bind(anyEndpoint("inproc"));
    const capture = cleanup.track(new Push({ linger: 0 }));
    const proxy = new Proxy(front!, back!, { capture });
    expect(() => proxy.run()).toThrow("Capture socket must be bound or connected");
    await capture.bind(anyEndpoint("inproc"));
    const done = proxy.run();
    proxy.terminate();
    await withTimeout(done, 5000, "run() to resolve");
    expect(capture.closed).toBe(false);
  });
});

for (const transport of TRANSPORTS) {
  describe(`proxy capture over ${transport}`, () => {
    test("a PUSH/PULL proxy copies each multipart message to the capture, before the receiver has it", async () => {
      const front = cleanup.track(new Pull({ linger: 0 }));
      const back = cleanup.track(new Push({ linger: 0 }));
      await front.bind(anyEndpoint(transport));
      await back.bind(anyEndpoint(transport));
      const { capture, tap } = await captureLine(transport);
      const proxy = new Proxy(front, back, { capture });
      const done = proxy.run();
      const sender = cleanup.track(new Push({ linger: 0 }));
      const receiver = cleanup.track(new Pull({ linger: 0 }));
      sender.connect(front.lastEndpoint!);
      receiver.connect(back.lastEndpoint!);
      for (let i = 0; i < 100; i++) await sender.send([`m${i}`, "", "tail"]);
      for (let i = 0; i < 100; i++) {
        expect(text(await withTimeout(receiver.receive(), 5000, `message ${i}`))).toEqual([`m${i}`, "", "tail"]);
        expect(text(await withTimeout(tap.receive(), 5000, `capture ${i}`))).toEqual([`m${i}`, "", "tail"]);
      }
      proxy.terminate();
      await withTimeout(done, 5000, "run() to resolve");
    });

    test("a ROUTER/DEALER proxy captures requests and replies with their routing envelope", async () => {
      const front = cleanup.track(new Router({ linger: 0 }));
      const back = cleanup.track(new Dealer({ linger: 0 }));
      await front.bind(anyEndpoint(transport));
      await back.bind(anyEndpoint(transport));
      const { capture, tap } = await captureLine(transport);
      const proxy = new Proxy(front, back, { capture });
      const done = proxy.run();
      const req = cleanup.track(new Request({ linger: 0, routingId: "client" }));
      const rep = cleanup.track(new Reply({ linger: 0 }));
      req.connect(front.lastEndpoint!);
      rep.connect(back.lastEndpoint!);
      await req.send("question");
      expect(text(await withTimeout(rep.receive(), 5000, "the request"))).toEqual(["question"]);
      await rep.send("answer");
      expect(text(await withTimeout(req.receive(), 5000, "the reply"))).toEqual(["answer"]);
      expect(text(await withTimeout(tap.receive(), 5000, "the captured request"))).toEqual(["client", "", "question"]);
      expect(text(await withTimeout(tap.receive(), 5000, "the captured reply"))).toEqual(["client", "", "answer"]);
      proxy.terminate();
      await withTimeout(done, 5000, "run() to resolve");
    });
  });
}

describe("proxy capture back-pressure", () => {
  test("a capture that cannot take more stops forwarding until it can, as libzmq's blocking capture send", async () => {
    const front = cleanup.track(new Pull({ linger: 0, receiveHighWaterMark: 5 }));
    const back = cleanup.track(new Push({ linger: 0 }));
    await front.bind(anyEndpoint("inproc"));
    await back.bind(anyEndpoint("inproc"));
    const { capture, tap } = await captureLine("inproc", 5);
    const proxy = new Proxy(front, back, { capture });
    const done = proxy.run();
    const sender = cleanup.track(new Push({ linger: 0, sendHighWaterMark: 5, sendTimeout: 200 }));
    const receiver = cleanup.track(new Pull({ linger: 0 }));
    sender.connect(front.lastEndpoint!);
    receiver.connect(back.lastEndpoint!);
    let accepted = 0;
    for (; accepted < 1000; accepted++) {
      const error = await sender.send(`m${accepted}`).then(
        () => null,
        (e: ZmqError) => e,
      );
      if (error !== null) break;
    }
    expect(accepted).toBeLessThan(50);
    for (let i = 0; i < accepted; i++) {
      expect(text(await withTimeout(tap.receive(), 5000, `capture ${i}`))).toEqual([`m${i}`]);
      expect(text(await withTimeout(receiver.receive(), 5000, `message ${i}`))).toEqual([`m${i}`]);
    }
    proxy.terminate();
    await withTimeout(done, 5000, "run() to resolve");
  });
});
