// send() and receive() as zeromq.js defines them (its socket-send-receive unit file): what each kind
// of value arrives as, readable/writable, time-outs, one pending operation per direction, closed
// sockets, iteration, and one yield to the event loop per 512 operations that complete at once.
// What happens to the sent buffers themselves is in socket-send-receive-buffers.test.ts.

import { describe, expect, test } from "bun:test";
import { Pair, Publisher, Request } from "../../src/index.ts";
import {
  ALL_TRANSPORTS,
  expectRejection,
  expectThrow,
  forEachTransport,
  freshEndpoint,
  receiveTexts,
  useSockets,
  vacantEndpoint,
  waitFor,
  withTimeout,
  yieldsOfSynchronousRuns,
  type Transport,
} from "./support.ts";

const sockets = useSockets();
const TIMED_OUT = { code: "EAGAIN", message: "Operation was not possible or timed out" };
const CLOSED = { code: "EBADF", message: "Socket is closed" };

/** Two Pairs, `b` bound and `a` connected to it (zeromq.js's "when connected" fixture). */
async function connectedPairs(transport: Transport): Promise<{ a: Pair; b: Pair }> {
  const [a, b] = [sockets.open(Pair), sockets.open(Pair)];
  await b.bind(freshEndpoint(transport));
  a.connect(b.lastEndpoint!);
  return { a, b };
}

describe("sockets without the verb", () => {
  test("a Publisher has no receive at runtime: calling it is a TypeError naming receive", () => {
    const publisher = sockets.open(Publisher);
    expect(() => (publisher as unknown as { receive(): unknown }).receive()).toThrow(/receive is not a function/);
  });

  test("send() without a message throws TypeError 'Message must be present'", () => {
    const pair = sockets.open(Pair);
    expect(() => pair.send(undefined as never)).toThrow(new TypeError("Message must be present"));
  });
});

describe("one pending operation per direction", () => {
  test("a second send while one waits throws EBUSY with zeromq.js's text; the first times out", async () => {
    const pair = sockets.open(Pair, { sendTimeout: 20 });
    const first = pair.send(null);
    expectThrow(() => pair.send(null), {
      code: "EBUSY",
      message: "Socket is busy writing; only one send operation may be in progress at any time",
    });
    await expectRejection(first, TIMED_OUT);
  });

  test("a second receive while one waits throws EBUSY with zeromq.js's text; the first times out", async () => {
    const pair = sockets.open(Pair, { receiveTimeout: 20 });
    const first = pair.receive();
    expectThrow(() => pair.receive(), {
      code: "EBUSY",
      message: "Socket is busy reading; only one receive operation may be in progress at any time",
    });
    await expectRejection(first, TIMED_OUT);
  });
});

describe("a closed socket", () => {
  test("is neither writable nor readable", () => {
    const pair = sockets.open(Pair);
    pair.close();
    expect([pair.writable, pair.readable]).toEqual([false, false]);
  });

  test("throws EBADF 'Socket is closed' from send and receive", () => {
    const pair = sockets.open(Pair);
    pair.close();
    expectThrow(() => pair.send(Buffer.alloc(8192)), CLOSED);
    expectThrow(() => pair.receive(), CLOSED);
  });

  test("ends a for await loop that was waiting when close() came", async () => {
    const pair = sockets.open(Pair);
    process.nextTick(() => pair.close());
    const iterate = async () => {
      for await (const message of pair) throw new Error(`unexpected message ${String(message)}`);
    };
    expect(await withTimeout(iterate(), 5000, "the loop to end")).toBeUndefined();
  });

  test("does not hide another error from a for await loop: a Request that has not sent gives EFSM", async () => {
    const request = sockets.open(Request);
    process.nextTick(() => request.close());
    const iterate = async () => {
      for await (const message of request) throw new Error(`unexpected message ${String(message)}`);
    };
    await expectRejection(iterate(), { code: "EFSM", message: "Operation cannot be accomplished in current state" });
  });
});

forEachTransport(ALL_TRANSPORTS, (transport) => {
  describe("before a peer is there", () => {
    test("a connected Pair is writable but not readable", () => {
      const pair = sockets.open(Pair, { sendHighWaterMark: 1 });
      pair.connect(vacantEndpoint(transport));
      expect([pair.writable, pair.readable]).toEqual([true, false]);
    });

    test("with sendHighWaterMark 1 one message queues and the next send times out with EAGAIN", async () => {
      const pair = sockets.open(Pair, { sendHighWaterMark: 1, sendTimeout: 2 });
      pair.connect(vacantEndpoint(transport));
      await withTimeout(pair.send(Buffer.alloc(8192)), 5000, "the first send to queue");
      await expectRejection(pair.send(Buffer.alloc(8192)), TIMED_OUT);
    });
  });

  describe("between two connected Pairs", () => {
    test("the connecting side is writable, and readable only once a message has arrived", async () => {
      const { a, b } = await connectedPairs(transport);
      expect([a.writable, a.readable]).toEqual([true, false]);
      await b.send(Buffer.from("foo"));
      await waitFor(() => a.readable, { what: "the message to make the socket readable" });
    });

    test("strings, Buffers and multipart arrays of either arrive as sent", async () => {
      const { a, b } = await connectedPairs(transport);
      await a.send("foo");
      await a.send(Buffer.from("foo"));
      await a.send(["foo", "bar"]);
      await a.send([Buffer.from("foo"), Buffer.from("bar")]);
      expect(await receiveTexts(b, 4)).toEqual([["foo"], ["foo"], ["foo", "bar"], ["foo", "bar"]]);
    });

    test("a received message is an array of Buffers equal to the Buffers sent", async () => {
      const { a, b } = await connectedPairs(transport);
      const sent = [Buffer.from("foo"), Buffer.from("bar")];
      await a.send(sent);
      const received = await withTimeout(b.receive(), 5000, "the message");
      for (const frame of received) expect(frame).toBeInstanceOf(Buffer);
      expect(received).toEqual(sent);
    });

    test("for await yields messages in the order sent", async () => {
      const { a, b } = await connectedPairs(transport);
      for (const text of ["foo", "bar", "baz", "qux"]) await a.send(text);
      const received: string[] = [];
      const iterate = async () => {
        for await (const [frame] of b) if (received.push(frame!.toString()) === 4) break;
      };
      await withTimeout(iterate(), 5000, "four messages");
      expect(received).toEqual(["foo", "bar", "baz", "qux"]);
    });

    test("typed arrays and ArrayBuffers are sent as their bytes", async () => {
      const { a, b } = await connectedPairs(transport);
      const bytes = Uint8Array.from([0x66, 0x6f, 0x6f]);
      const words = Int32Array.from([0x66, 0x6f, 0x6f]);
      for (const message of [bytes, bytes.buffer, words, words.buffer]) await a.send(message);
      const wordBytes = Buffer.from(words.buffer).toString();
      expect(await receiveTexts(b, 4)).toEqual([["foo"], ["foo"], [wordBytes], [wordBytes]]);
      expect(wordBytes).toBe("f\x00\x00\x00o\x00\x00\x00o\x00\x00\x00");
    });

    test("null is an empty frame, and any other value is sent as its string form", async () => {
      const { a, b } = await connectedPairs(transport);
      const aFunction = function answer() {
        return 42;
      };
      const values: unknown[] = [null, aFunction, 16.19, true, {}, Promise.resolve()];
      for (const value of values) await a.send(value as never);
      const expected = ["", String(aFunction), "16.19", "true", "[object Object]", "[object Promise]"];
      expect(await receiveTexts(b, values.length)).toEqual(expected.map((text) => [text]));
    });

    test("both sides can wait to receive while they send, right after connect and once connected", async () => {
      const { a, b } = await connectedPairs(transport);
      const exchange = (pair: Pair, text: string) =>
        Promise.all([pair.receive(), pair.send(Buffer.from(text))]).then(([[frame]]) => frame!.toString());
      for (const round of ["first", "second"]) {
        const both = Promise.all([exchange(a, `foo ${round}`), exchange(b, `bar ${round}`)]);
        expect(await withTimeout(both, 5000, `the ${round} exchange`)).toEqual([`bar ${round}`, `foo ${round}`]);
      }
    });

    test("receive rejects with EAGAIN once receiveTimeout passes", async () => {
      const { a } = await connectedPairs(transport);
      a.receiveTimeout = 2;
      await expectRejection(a.receive(), TIMED_OUT);
    });

    test("after 512 sends or receives that complete at once, the next one yields a turn of the event loop", async () => {
      const { a, b } = await connectedPairs(transport);
      a.sendHighWaterMark = 10_000;
      b.receiveHighWaterMark = 10_000;
      const count = 512 * 10;
      const sends = await yieldsOfSynchronousRuns(
        count,
        () => a.writable,
        () => a.send("x"),
      );
      expect(sends).toEqual({ runs: 10, yielded: 10, yieldedEarly: 0 });
      // Over tcp and ipc the messages may still be arriving (an I/O thread hands them over in
      // batches), and a receive that waits starts the count again: fewer runs, each checked alike.
      const receives = await withTimeout(
        yieldsOfSynchronousRuns(
          count,
          () => b.readable,
          () => b.receive(),
        ),
        10_000,
        `${count} messages`,
      );
      expect(receives.yielded).toBe(receives.runs);
      expect(receives.yieldedEarly).toBe(0);
      expect(receives.runs).toBeGreaterThanOrEqual(transport === "inproc" ? 10 : 1);
    });
  });

  if (transport !== "inproc") {
    test("a receive and a send started before bind and connect complete once the peers meet", async () => {
      const [a, b] = [sockets.open(Pair), sockets.open(Pair)];
      const exchange = Promise.all([b.receive(), a.send("foo")]);
      await b.bind(freshEndpoint(transport));
      a.connect(b.lastEndpoint!);
      const [received] = await withTimeout(exchange, 5000, "the early send and receive");
      expect(received.map(String)).toEqual(["foo"]);
    });
  }
});
