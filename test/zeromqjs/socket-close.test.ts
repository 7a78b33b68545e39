// close() as zeromq.js defines it (its socket-close unit file): `closed` flips at once, a pending
// send or receive rejects with EAGAIN, and a close() asked for while a bind or unbind settles waits
// for it, and nothing keeps a closed socket's Context reachable (it can be garbage-collected), not
// even a dial the kernel is still refusing.

import { expect, test } from "bun:test";
import { Context, Dealer } from "../../src/index.ts";
import { ALL_TRANSPORTS, expectRejection, forEachTransport, freshEndpoint, useSockets, vacantEndpoint } from "./support.ts";
import { waitFor } from "../helpers/wait.ts";

const sockets = useSockets();
const CANCELLED = { code: "EAGAIN", message: "Operation was not possible or timed out" };

test("close() marks the socket closed at once", () => {
  const socket = sockets.open(Dealer);
  expect(socket.closed).toBe(false);
  socket.close();
  expect(socket.closed).toBe(true);
});

test("close() again is harmless", () => {
  const socket = sockets.open(Dealer);
  socket.close();
  expect(() => socket.close()).not.toThrow();
  expect(socket.closed).toBe(true);
});

test("a send waiting for a peer rejects with EAGAIN when the socket closes", async () => {
  const socket = sockets.open(Dealer);
  const sending = socket.send(Buffer.from("nobody to take this"));
  expect(Bun.peek.status(sending)).toBe("pending");
  socket.close();
  expect(socket.closed).toBe(true);
  await expectRejection(sending, CANCELLED);
});

test("a receive waiting for a message rejects with EAGAIN when the socket closes", async () => {
  const socket = sockets.open(Dealer);
  const receiving = socket.receive();
  expect(Bun.peek.status(receiving)).toBe("pending");
  socket.close();
  expect(socket.closed).toBe(true);
  await expectRejection(receiving, CANCELLED);
});

forEachTransport(ALL_TRANSPORTS, (transport) => {
  test("close() during a bind that succeeds takes effect once the bind resolves", async () => {
    const socket = sockets.open(Dealer);
    const binding = socket.bind(freshEndpoint(transport));
    socket.close();
    expect(socket.closed).toBe(false);
    await binding;
    expect(socket.closed).toBe(true);
  });

  test("close() during a bind that fails takes effect once the bind rejects", async () => {
    const socket = sockets.open(Dealer);
    await socket.bind(freshEndpoint(transport));
    const binding = socket.bind(socket.lastEndpoint!);
    socket.close();
    expect(socket.closed).toBe(false);
    await expectRejection(binding, { code: "EADDRINUSE", message: "Address already in use" });
    expect(socket.closed).toBe(true);
  });

  test("close() during an unbind that succeeds takes effect once the unbind resolves", async () => {
    const socket = sockets.open(Dealer);
    await socket.bind(freshEndpoint(transport));
    const unbinding = socket.unbind(socket.lastEndpoint!);
    socket.close();
    expect(socket.closed).toBe(false);
    await unbinding;
    expect(socket.closed).toBe(true);
  });

  test("close() during an unbind that fails takes effect once the unbind rejects", async () => {
    const socket = sockets.open(Dealer);
    const unbinding = socket.unbind(freshEndpoint(transport));
    socket.close();
    expect(socket.closed).toBe(false);
    await expectRejection(unbinding, { code: "ENOENT", message: "No such endpoint" });
    expect(socket.closed).toBe(true);
  });

  test("a close() deferred by a bind releases every endpoint once it runs", async () => {
    const socket = sockets.open(Dealer);
    await socket.bind(freshEndpoint(transport));
    const first = socket.lastEndpoint!;
    const binding = socket.bind(freshEndpoint(transport));
    socket.close();
    await binding;
    const second = socket.lastEndpoint!;
    const next = sockets.open(Dealer);
    await next.bind(first);
    await next.bind(second);
    expect(next.lastEndpoint).toBe(second);
  });

  test("a closed socket releases its Context: full collections find it gone once a dial in flight has settled", async () => {
    let context: WeakRef<Context> | undefined;
    const connectSendClose = async (): Promise<void> => {
      const owned = new Context();
      context = new WeakRef(owned);
      const socket = new Dealer({ context: owned, linger: 0 });
      socket.connect(vacantEndpoint(transport));
      await socket.send("queued, then dropped");
      socket.close();
    };
    await connectSendClose();
    // Full collections between short waits, bounded: a tcp dial still in flight when close() ran
    // holds the socket until Bun settles it (a few ms; longer on a loaded machine), and
    // JavaScriptCore scans the stack conservatively, so a stale register can keep an object one
    // more round. Something that really holds the Context keeps it through every round.
    await waitFor(
      () => {
        Bun.gc(true);
        return context!.deref() === undefined;
      },
      { timeoutMs: 3000, what: "the closed socket's Context to be collected" },
    ).catch(() => undefined);
    expect(context!.deref()).toBeUndefined();
  });
});
