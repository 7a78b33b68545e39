// Sockets in Workers, as zeromq.js has them: over tcp, ipc and inproc, within one Worker, between a
// Worker and the main thread, and between two Workers. inproc:// works across threads because the
// default context (and its inproc names) is one for the whole process. Every Worker here ends on
// its own with its sockets still open, which open sockets must allow. Workers run
// test/fixtures/default-context-worker-fixture.ts.

import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { Pair, Pull } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { startWorker, streamFrame } from "../helpers/default-context-worker.ts";
import { withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();
// A Worker's start-up (loading bunzmq) is most of each test; every wait inside is bounded.
setDefaultTimeout(20_000);

let names = 0;
/**
 * An address a socket can bind now: tcp picks its own port; ipc gets an abstract name (a Worker that
 * ends with its socket open leaves nothing on disk), inproc a fresh name.
 */
function bindable(transport: string): string {
  const name = `socket-thread-${process.pid}-${++names}`;
  return transport === "tcp" ? "tcp://127.0.0.1:*" : transport === "ipc" ? `ipc://@${name}` : `inproc://${name}`;
}

function open<T extends { close(): void }>(socket: T): T {
  cleanup.track(socket);
  return socket;
}

const strings = (message: Buffer[]): string[] => message.map((frame) => frame.toString());

for (const transport of ["tcp", "ipc", "inproc"]) {
  describe(`over ${transport}`, () => {
    test("sockets within a Worker deliver messages, and the Worker ends with them open", async () => {
      const worker = startWorker(cleanup, { role: "pair-within", address: bindable(transport) });
      expect(await worker.next("what the Worker received")).toEqual(["foo", "bar"]);
      expect(await worker.ended()).toBe(0);
    });

    test("a socket in a Worker talks to one in the main thread", async () => {
      const main = open(new Pair({ linger: 0 }));
      await main.bind(bindable(transport));
      const sent = main.send(["foo", "bar"]);
      const worker = startWorker(cleanup, { role: "pair-echo", address: main.lastEndpoint! });
      await withTimeout(sent, 10_000, "the main thread's send to be taken");
      expect(strings(await withTimeout(main.receive(), 10_000, "the Worker's echo"))).toEqual(["foo", "bar"]);
      expect(await worker.ended()).toBe(0);
    });

    test("sockets in two Workers talk to each other", async () => {
      const binder = startWorker(cleanup, { role: "pair-bind-send-receive", address: bindable(transport) });
      const endpoint = (await binder.next("the first Worker's endpoint")) as string;
      const echo = startWorker(cleanup, { role: "pair-echo", address: endpoint });
      expect(await binder.next("what the first Worker received")).toEqual(["foo", "bar"]);
      expect(await echo.ended()).toBe(0);
      expect(await binder.ended()).toBe(0);
    });
  });
}

describe("inproc across threads", () => {
  test("a name bound in a Worker is in use for the main thread, and free again once the Worker has ended", async () => {
    const address = bindable("inproc");
    const worker = startWorker(cleanup, { role: "bind-and-end", address });
    expect(await worker.next("the Worker's bind")).toBe("bound");
    expect(await worker.ended()).toBe(0);
    // The Worker's sockets were left open: ending on its own released its names anyway.
    const pull = open(new Pull({ linger: 0 }));
    await pull.bind(address);
    expect(pull.lastEndpoint).toBe(address);
  });

  test("binding a name the main thread holds fails in a Worker with EADDRINUSE", async () => {
    const pull = open(new Pull({ linger: 0 }));
    await pull.bind(bindable("inproc"));
    const worker = startWorker(cleanup, { role: "bind-code", address: pull.lastEndpoint! });
    expect(await worker.next("the code of the Worker's bind")).toBe("EADDRINUSE");
    expect(await worker.ended()).toBe(0);
  });

  test("connecting an incompatible socket type to a name bound in another thread throws ENOCOMPATPROTO at once", async () => {
    const pull = open(new Pull({ linger: 0 }));
    await pull.bind(bindable("inproc"));
    const worker = startWorker(cleanup, { role: "connect-code", address: pull.lastEndpoint! });
    expect(await worker.next("the code of the Worker's connect")).toBe("ENOCOMPATPROTO");
    expect(await worker.ended()).toBe(0);
  });

  test("a Worker may connect before the main thread binds", async () => {
    const address = bindable("inproc");
    const worker = startWorker(cleanup, { role: "pair-connect-first", address });
    expect(await worker.next("the Worker's connect and send")).toBe("connected");
    const main = open(new Pair({ linger: 0 }));
    await main.bind(address);
    expect(strings(await withTimeout(main.receive(), 10_000, "the message sent before the bind"))).toEqual(["hello"]);
    await main.send("welcome");
    expect(await worker.next("what the Worker received")).toEqual(["welcome"]);
    expect(await worker.ended()).toBe(0);
  });

  test("many messages, some larger than the rings between threads, arrive whole and in order after the sender closed", async () => {
    const count = 1000;
    // A small receiving queue, read only once the sender has closed: most of the stream is still in
    // the sending thread or the rings then, and must go on arriving as it is read.
    const pull = open(new Pull({ linger: 0, receiveHighWaterMark: 10 }));
    await pull.bind(bindable("inproc"));
    const worker = startWorker(cleanup, { role: "push-many", address: pull.lastEndpoint!, count });
    expect(await worker.next("the Worker's report")).toBe("sent");
    for (let i = 0; i < count; i++) {
      const [index, frame] = await withTimeout(pull.receive(), 10_000, `message ${i}`);
      expect(index!.toString()).toBe(`${i}`);
      expect(frame!.equals(streamFrame(i))).toBe(true);
    }
    expect(await worker.ended()).toBe(0);
  });
});
