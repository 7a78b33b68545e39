// inproc:// (zmtp-notes §6.1, §7.4): sockets of one Context joined by pipes, no bytes, no copies.
// What inproc shares with every transport is in transport-conformance.test.ts; this file keeps what
// only inproc does.

import { expect, test } from "bun:test";
import { Context, Pull, Push } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();
let counter = 0;
const name = () => `inproc://bunzmq-test-${process.pid}-${++counter}`;

function receive(socket: { receive(): Promise<Buffer[]> }): Promise<Buffer[]> {
  return withTimeout(socket.receive(), 5000, "an inproc message");
}

test("a frame over 128 bytes crosses inproc as the same memory; a smaller one is copied at send, as zeromq.js", async () => {
  const endpoint = name();
  const pull = cleanup.track(new Pull({ linger: 0 }));
  await pull.bind(endpoint);
  const push = cleanup.track(new Push({ linger: 0 }));
  push.connect(endpoint);
  const buffer = Buffer.alloc(129, "a Buffer over 128 bytes arrives as the same object ");
  const large = new Uint8Array(64 * 1024).fill(7);
  const small = new Uint8Array([1, 2, 3, 4]);
  const smallBuffer = Buffer.from("reusable at once");
  await push.send([buffer, large, small, smallBuffer, "last"]);
  // The caller may reuse a small buffer as soon as send() returns: what was sent is a copy.
  small.fill(0);
  smallBuffer.fill(0);
  const [first, second, third, fourth, fifth] = await receive(pull);
  expect(first).toBe(buffer);
  expect(Buffer.isBuffer(second)).toBe(true);
  expect(second!.buffer).toBe(large.buffer);
  expect(Buffer.isBuffer(third)).toBe(true);
  expect([...third!]).toEqual([1, 2, 3, 4]);
  expect(String(fourth)).toBe("reusable at once");
  expect(String(fifth)).toBe("last");
});

test("another context has its own names: the name bound in one binds again in another", async () => {
  const endpoint = name();
  await cleanup.track(new Pull({ linger: 0 })).bind(endpoint);
  const other = new Context();
  const elsewhere = cleanup.track(new Pull({ linger: 0, context: other }));
  await elsewhere.bind(endpoint);
  expect(elsewhere.lastEndpoint).toBe(endpoint);
});

test("a connect is joined to one bind: once the bound socket goes, a later bind of the name gets nothing from it, as in libzmq", async () => {
  const endpoint = name();
  const first = cleanup.track(new Pull({ linger: 0 }));
  await first.bind(endpoint);
  const push = cleanup.track(new Push({ linger: 0 }));
  push.connect(endpoint);
  await push.send("to the first");
  expect((await receive(first)).map(String)).toEqual(["to the first"]);
  first.close();
  // The connection went with the bound socket, and with it the only place to send to.
  expect(push.writable).toBe(false);
  expect(push.trySend("to nobody")).toBe(false);
  const second = cleanup.track(new Pull({ linger: 0 }));
  await second.bind(endpoint);
  expect(push.trySend("still to nobody")).toBe(false);
  expect(second.tryReceive()).toBeNull();
});

test("an incompatible socket type is refused with ENOCOMPATPROTO", async () => {
  const endpoint = name();
  await cleanup.track(new Pull({ linger: 0 })).bind(endpoint);
  const pull = cleanup.track(new Pull({ linger: 0 }));
  expect(() => pull.connect(endpoint)).toThrow(expect.objectContaining({ code: "ENOCOMPATPROTO" }));
});
