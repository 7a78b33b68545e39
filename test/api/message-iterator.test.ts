// The async iterator of a receiving socket (src/api/message-iterator.ts) against an async
// generator's rules, which zeromq.js's iterator follows: messages in order whether they were queued
// already or arrive while it waits, next() called twice without awaiting, return() and errors end
// it for good, close() ends it quietly. Over inproc: only the iterator is under test.

import { describe, expect, test } from "bun:test";
import { Pull, Push, Request } from "../../src/index.ts";
import { rejection, strings, useSockets, withTimeout } from "./support.ts";

const sockets = useSockets();
let names = 0;

async function pipeline(): Promise<{ push: Push; pull: Pull }> {
  const address = `inproc://message-iterator-${process.pid}-${names++}`;
  const { socket: pull } = await sockets.bound(Pull, {}, address);
  const push = sockets.open(Push);
  push.connect(address);
  return { push, pull };
}

const text = (result: IteratorResult<Buffer[], undefined>) => (result.done ? "done" : strings(result.value).join("|"));

describe("for await over a socket", () => {
  test("yields queued messages and then ones that arrive while it waits, in order", async () => {
    const { push, pull } = await pipeline();
    for (const word of ["a", "b"]) await push.send(word);
    await withTimeout(
      (async () => {
        while (!pull.readable) await new Promise((resolve) => setImmediate(resolve));
      })(),
      5000,
      "the first messages to be queued",
    );
    const iterator = pull[Symbol.asyncIterator]();
    expect(text(await iterator.next())).toBe("a");
    expect(text(await iterator.next())).toBe("b");
    const waiting = iterator.next();
    await push.send(["c", "d"]);
    expect(text(await withTimeout(waiting, 5000, "the message sent while waiting"))).toBe("c|d");
  });

  test("next() called again before the first settles queues behind it instead of throwing EBUSY", async () => {
    const { push, pull } = await pipeline();
    const iterator = pull[Symbol.asyncIterator]();
    const first = iterator.next();
    const second = iterator.next();
    await push.send("one");
    await push.send("two");
    const results = await withTimeout(Promise.all([first, second]), 5000, "both results");
    expect(results.map(text)).toEqual(["one", "two"]);
  });

  test("return() ends the iteration: later next() calls are done and receive nothing", async () => {
    const { push, pull } = await pipeline();
    await push.send("kept");
    const iterator = pull[Symbol.asyncIterator]();
    expect(await iterator.return(undefined)).toEqual({ value: undefined, done: true });
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
    expect(strings(await withTimeout(pull.receive(), 5000, "the message the iterator left"))).toEqual(["kept"]);
  });

  test("an error ends the iteration: EFSM from a Request that has not sent, then done", async () => {
    const request = sockets.open(Request);
    const iterator = request[Symbol.asyncIterator]();
    await rejection(iterator.next(), "EFSM");
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });

  test("a receive time-out rejects with EAGAIN and ends the iteration, the socket still open", async () => {
    const { pull } = await pipeline();
    pull.receiveTimeout = 1;
    const iterator = pull[Symbol.asyncIterator]();
    await rejection(iterator.next(), "EAGAIN");
    expect(pull.closed).toBe(false);
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });

  test("close() while next() waits resolves it as done, and the next call too", async () => {
    const { pull } = await pipeline();
    const iterator = pull[Symbol.asyncIterator]();
    const waiting = iterator.next();
    pull.close();
    expect(await withTimeout(waiting, 5000, "the waiting next()")).toEqual({ value: undefined, done: true });
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });
});
