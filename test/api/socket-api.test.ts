// The zeromq.js v6 socket contract (api-contract §1.2-1.4, §6) over real TCP sockets: one pending
// send/receive (EBUSY thrown synchronously), timeouts (EAGAIN), close (EAGAIN, then EBADF), options,
// per-type methods and the events observer.

import { describe, expect, test } from "bun:test";
import { Pair, Pull, Push } from "../../src/index.ts";
import { ZmqError } from "../../src/extras.ts";
import { receiveText, record, rejection, strings, syncError, useSockets, withTimeout } from "./support.ts";

const sockets = useSockets();

async function pipeline(pushOptions = {}, pullOptions = {}): Promise<{ push: Push; pull: Pull; endpoint: string }> {
  const { socket: pull, endpoint } = await sockets.bound(Pull, pullOptions);
  const push = sockets.open(Push, pushOptions);
  push.connect(endpoint);
  return { push, pull, endpoint };
}

/**
 * A PUSH whose only pipe is full: sendHighWaterMark 1, connected (immediate: false) to a port
 * nobody listens on, so the pipe exists and its one slot is taken. The next send blocks.
 */
async function blockedPush(options = {}): Promise<Push> {
  const push = sockets.open(Push, { sendHighWaterMark: 1, immediate: false, ...options });
  push.connect(await sockets.unusedEndpoint());
  await withTimeout(push.send("fills the pipe"), 5000, "the first send to be queued");
  return push;
}

describe("one pending operation per direction", () => {
  test("a second concurrent receive() throws EBUSY synchronously instead of rejecting", async () => {
    const { pull } = await pipeline();
    const first = pull.receive();
    const error = syncError(() => pull.receive(), "EBUSY");
    expect(error.errno).toBe(16);
    expect(error.message).toContain("busy");
    pull.close();
    await rejection(first, "EAGAIN");
  });

  test("receiveBatch and tryReceive also throw EBUSY while a receive is pending", async () => {
    const { pull } = await pipeline();
    const first = pull.receive();
    syncError(() => pull.receiveBatch(4), "EBUSY");
    syncError(() => pull.tryReceive(), "EBUSY");
    pull.close();
    await rejection(first, "EAGAIN");
  });

  test("a second concurrent send() throws EBUSY synchronously while the first is blocked at the high-water mark", async () => {
    const push = await blockedPush();
    const first = push.send("blocked");
    expect(Bun.peek.status(first)).toBe("pending");
    const error = syncError(() => push.send("second"), "EBUSY");
    expect(error.errno).toBe(16);
    syncError(() => push.trySend("third"), "EBUSY");
    push.close();
    await rejection(first, "EAGAIN");
  });

  test("after a pending receive completes, the next receive is accepted", async () => {
    const { push, pull } = await pipeline();
    const first = pull.receive();
    await push.send("one");
    expect(strings(await withTimeout(first, 5000, "the first message"))).toEqual(["one"]);
    await push.send("two");
    expect(await receiveText(pull)).toEqual(["two"]);
  });

  test("after a blocked send completes, the next send is accepted", async () => {
    const { socket: push, endpoint } = await sockets.bound(Push);
    const first = push.send("waits for a peer");
    expect(Bun.peek.status(first)).toBe("pending");
    const pull = sockets.open(Pull);
    pull.connect(endpoint);
    await withTimeout(first, 5000, "the blocked send to complete once a peer arrives");
    await withTimeout(push.send("next"), 5000, "the next send");
    expect(await receiveText(pull)).toEqual(["waits for a peer"]);
    expect(await receiveText(pull)).toEqual(["next"]);
  });
});

describe("timeouts", () => {
  test("receiveTimeout 0 rejects with EAGAIN at once when nothing is queued", async () => {
    const { pull } = await pipeline({}, { receiveTimeout: 0 });
    const attempt = pull.receive();
    expect(Bun.peek.status(attempt)).toBe("rejected");
    const error = await rejection(attempt, "EAGAIN");
    expect(error.message).toBe("Operation was not possible or timed out");
  });

  test("receiveTimeout 50 rejects with EAGAIN when nothing arrives", async () => {
    const { pull } = await pipeline({}, { receiveTimeout: 50 });
    await rejection(pull.receive(), "EAGAIN");
  });

  test("a receive that timed out frees the socket for the next receive", async () => {
    const { push, pull } = await pipeline({}, { receiveTimeout: 50 });
    await rejection(pull.receive(), "EAGAIN");
    pull.receiveTimeout = -1;
    await push.send("after");
    expect(await receiveText(pull)).toEqual(["after"]);
  });

  test("sendTimeout 0 rejects with EAGAIN at once when no peer has room", async () => {
    const push = sockets.open(Push, { sendTimeout: 0 });
    const attempt = push.send("nowhere");
    expect(Bun.peek.status(attempt)).toBe("rejected");
    await rejection(attempt, "EAGAIN");
  });

  test("sendTimeout 0 rejects with EAGAIN at once when the only pipe is full", async () => {
    const push = await blockedPush({ sendTimeout: 0 });
    const attempt = push.send("over the mark");
    expect(Bun.peek.status(attempt)).toBe("rejected");
    await rejection(attempt, "EAGAIN");
  });

  test("sendTimeout 50 rejects with EAGAIN when no peer gets room", async () => {
    const push = await blockedPush({ sendTimeout: 50 });
    await rejection(push.send("over the mark"), "EAGAIN");
  });

  test("a message whose send timed out is not delivered later", async () => {
    const { socket: push, endpoint } = await sockets.bound(Push, { sendTimeout: 50 });
    await rejection(push.send("timed out"), "EAGAIN");
    const pull = sockets.open(Pull);
    pull.connect(endpoint);
    push.sendTimeout = -1;
    await withTimeout(push.send("delivered"), 5000, "a send once the peer is up");
    expect(await receiveText(pull)).toEqual(["delivered"]);
    expect(pull.tryReceive()).toBeNull();
  });
});

describe("close()", () => {
  test("events read for the first time after close() are already closed: iteration ends, receive() rejects EBADF", async () => {
    const { pull } = await pipeline();
    pull.close();
    const seen: string[] = [];
    for await (const event of pull.events) seen.push(event.type);
    expect(seen).toEqual([]);
    expect(pull.events.closed).toBe(true);
    await rejection(pull.events.receive(), "EBADF");
  });

  test("close() rejects a pending receive with EAGAIN", async () => {
    const { pull } = await pipeline();
    const pending = pull.receive();
    pull.close();
    await rejection(pending, "EAGAIN");
  });

  test("close() rejects a pending send with EAGAIN", async () => {
    const push = await blockedPush();
    const pending = push.send("never queued");
    push.close();
    await rejection(pending, "EAGAIN");
  });

  test("close() twice is harmless and closed reports true", () => {
    const push = sockets.open(Push);
    expect(push.closed).toBe(false);
    push.close();
    push.close();
    expect(push.closed).toBe(true);
  });

  test("readable and writable are false after close", async () => {
    const { push, pull } = await pipeline();
    push.close();
    pull.close();
    expect(push.writable).toBe(false);
    expect(pull.readable).toBe(false);
  });

  type Call = [name: string, call: (push: Push, pull: Pull) => unknown];
  const calls: Call[] = [
    ["bind", (push) => push.bind("tcp://127.0.0.1:*")],
    ["bindSync", (push) => push.bindSync("tcp://127.0.0.1:*")],
    ["unbind", (push) => push.unbind("tcp://127.0.0.1:*")],
    ["unbindSync", (push) => push.unbindSync("tcp://127.0.0.1:*")],
    ["connect", (push) => push.connect("tcp://localhost:1")], // lint-tests-allow literal-port: socket is closed, nothing connects
    ["disconnect", (push) => push.disconnect("tcp://localhost:1")], // lint-tests-allow literal-port: socket is closed, nothing connects
    ["send", (push) => push.send("x")],
    ["trySend", (push) => push.trySend("x")],
    ["receive", (_, pull) => pull.receive()],
    ["tryReceive", (_, pull) => pull.tryReceive()],
    ["receiveBatch", (_, pull) => pull.receiveBatch(4)],
    ["an option setter", (push) => (push.linger = 5)],
  ];
  for (const [name, call] of calls) {
    test(`${name} after close throws EBADF synchronously`, () => {
      const push = sockets.open(Push);
      const pull = sockets.open(Pull);
      push.close();
      pull.close();
      const error = syncError(() => call(push, pull), "EBADF");
      expect(error.message).toBe("Socket is closed");
    });
  }

  test("for await over a PULL yields messages and ends without throwing when the socket closes", async () => {
    const { push, pull } = await pipeline();
    const seen: string[] = [];
    const loop = (async () => {
      for await (const message of pull) {
        seen.push(strings(message).join("|"));
        if (seen.length === 2) pull.close();
      }
      return "ended";
    })();
    await push.send("a");
    await push.send(["b", "c"]);
    expect(await withTimeout(loop, 5000, "the for-await loop to end")).toBe("ended");
    expect(seen).toEqual(["a", "b|c"]);
  });

  test("for await that is waiting for a message ends when the socket is closed from outside", async () => {
    const { pull } = await pipeline();
    let iterations = 0;
    const loop = (async () => {
      for await (const _ of pull) iterations++;
      return "ended";
    })();
    // The iterator already holds the socket's one pending receive.
    syncError(() => pull.receive(), "EBUSY");
    pull.close();
    expect(await withTimeout(loop, 5000, "the for-await loop to end")).toBe("ended");
    expect(iterations).toBe(0);
  });
});

describe("options", () => {
  test("an unknown constructor option or a value of the wrong type throws a TypeError", () => {
    const unknown = { linger: 0, notAnOption: 1 } as unknown as ConstructorParameters<typeof Push>[0];
    expect(() => new Push(unknown)).toThrow(TypeError);
    const wrongType = { linger: "x" } as unknown as ConstructorParameters<typeof Push>[0];
    expect(() => new Push(wrongType)).toThrow(TypeError);
  });

  test("a value out of libzmq's range throws EINVAL and keeps the old value", () => {
    const push = sockets.open(Push);
    syncError(() => (push.sendHighWaterMark = -2), "EINVAL");
    syncError(() => (push.linger = -2), "EINVAL");
    expect(push.sendHighWaterMark).toBe(1000);
    expect(push.linger).toBe(0);
  });

  test("option properties are readable and writable", () => {
    const push = sockets.open(Push);
    push.linger = 0;
    expect(push.linger).toBe(0);
    push.sendHighWaterMark = 5;
    expect(push.sendHighWaterMark).toBe(5);
    push.sendTimeout = 250;
    expect(push.sendTimeout).toBe(250);
    push.immediate = true;
    expect(push.immediate).toBe(true);
    push.reconnectInterval = 20;
    expect(push.reconnectInterval).toBe(20);
  });

  test("constructor options show up as properties, and the rest keep libzmq's defaults", () => {
    const pull = sockets.open(Pull, { receiveHighWaterMark: 7, receiveTimeout: 30 });
    expect(pull.receiveHighWaterMark).toBe(7);
    expect(pull.receiveTimeout).toBe(30);
    expect(pull.linger).toBe(0);
    expect("sendHighWaterMark" in pull).toBe(false);
    expect("sendTimeout" in pull).toBe(false);
    expect(pull.immediate).toBe(false);
    expect(pull.reconnectInterval).toBe(100);
  });
});

describe("socket types", () => {
  test("a PUSH has no receive methods at runtime", () => {
    const push = sockets.open(Push);
    expect("receive" in push).toBe(false);
    expect("tryReceive" in push).toBe(false);
    expect("receiveBatch" in push).toBe(false);
    expect(Symbol.asyncIterator in push).toBe(false);
  });

  test("a PULL has no send methods at runtime", () => {
    const pull = sockets.open(Pull);
    expect("send" in pull).toBe(false);
    expect("trySend" in pull).toBe(false);
  });

  test("a PAIR has both send and receive methods", () => {
    const pair = sockets.open(Pair);
    expect(typeof pair.send).toBe("function");
    expect(typeof pair.receive).toBe("function");
    expect(typeof pair[Symbol.asyncIterator]).toBe("function");
  });

  test("type reports the libzmq socket type number", () => {
    expect(sockets.open(Pair).type as number).toBe(0);
    expect(sockets.open(Pull).type as number).toBe(7);
    expect(sockets.open(Push).type as number).toBe(8);
  });

  test("errors are ZmqError instances that carry code and errno", async () => {
    const { pull } = await pipeline({}, { receiveTimeout: 0 });
    const error = await rejection(pull.receive(), "EAGAIN");
    expect(error).toBeInstanceOf(ZmqError);
    expect(error).toBeInstanceOf(Error);
    expect(error.errno).toBe(11);
  });
});

describe("events", () => {
  test("events is the same object on every access", () => {
    const pull = sockets.open(Pull);
    expect(pull.events).toBe(pull.events);
  });

  test("on('handshake') fires on both sides with the endpoint as address", async () => {
    const pull = sockets.open(Pull);
    const pullHandshakes = record(pull, "handshake");
    await pull.bind("tcp://127.0.0.1:*");
    const endpoint = pull.lastEndpoint!;
    const push = sockets.open(Push);
    const pushHandshakes = record(push, "handshake");
    push.connect(endpoint);
    await pullHandshakes.until(1);
    await pushHandshakes.until(1);
    expect(pullHandshakes.seen[0]!.address).toBe(endpoint);
    expect(pushHandshakes.seen[0]!.address).toBe(endpoint);
  });
});
