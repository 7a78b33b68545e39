// zeromq.js endpoint contract over real TCP: bind/unbind/connect/disconnect, their error codes,
// unbindSync that really unbinds (zeromq.js#704), connect before bind, and reconnection.

import { describe, expect, test } from "bun:test";
import { Pull, Push } from "../../src/index.ts";
import { receiveMany, receiveText, record, rejection, syncError, TCP_ANY, useSockets, waitFor, withTimeout } from "./support.ts";

const sockets = useSockets();

describe("bind", () => {
  test("bind to port * resolves and lastEndpoint names the real port", async () => {
    const pull = sockets.open(Pull);
    expect(pull.lastEndpoint).toBeNull();
    await pull.bind(TCP_ANY);
    const match = /^tcp:\/\/127\.0\.0\.1:(\d+)$/.exec(pull.lastEndpoint ?? "");
    expect(match).not.toBeNull();
    expect(Number(match![1])).toBeGreaterThan(0);
  });

  test("bind to an endpoint another socket has bound rejects with EADDRINUSE naming the endpoint", async () => {
    const { endpoint } = await sockets.bound(Pull);
    const second = sockets.open(Pull);
    const error = await rejection(second.bind(endpoint), "EADDRINUSE");
    expect(error.detail).toContain(endpoint);
    expect(error.errno).toBe(98);
  });

  test("bindSync to a bound endpoint throws EADDRINUSE", async () => {
    const { endpoint } = await sockets.bound(Pull);
    const error = syncError(() => sockets.open(Pull).bindSync(endpoint), "EADDRINUSE");
    expect(error.detail).toContain(endpoint);
  });

  test("bind to a host name rejects with ENODEV naming the endpoint", async () => {
    const error = await rejection(sockets.open(Pull).bind("tcp://localhost:*"), "ENODEV");
    expect(error.detail).toContain("tcp://localhost:*");
  });

  test("bind to an unsupported transport rejects with EPROTONOSUPPORT", async () => {
    await rejection(sockets.open(Pull).bind("tipc://bunzmq-test"), "EPROTONOSUPPORT");
    await rejection(sockets.open(Pull).bind("foo://x"), "EPROTONOSUPPORT");
  });

  test("a failed bind leaves lastEndpoint unchanged", async () => {
    const { socket, endpoint } = await sockets.bound(Pull);
    await rejection(socket.bind("tcp://localhost:*"), "ENODEV");
    expect(socket.lastEndpoint).toBe(endpoint);
  });
});

describe("unbind", () => {
  test("unbindSync really unbinds: another socket can bind the same endpoint afterwards", async () => {
    const { socket: first, endpoint } = await sockets.bound(Pull);
    first.unbindSync(endpoint);
    const second = sockets.open(Pull);
    second.bindSync(endpoint);
    expect(second.lastEndpoint).toBe(endpoint);
  });

  test("unbind (async) really unbinds too", async () => {
    const { socket: first, endpoint } = await sockets.bound(Pull);
    await first.unbind(endpoint);
    const second = sockets.open(Pull);
    await second.bind(endpoint);
    expect(second.lastEndpoint).toBe(endpoint);
  });

  test("after unbind, the socket can bind the same endpoint again and receive on it", async () => {
    const { socket: pull, endpoint } = await sockets.bound(Pull);
    pull.unbindSync(endpoint);
    await pull.bind(endpoint);
    const push = sockets.open(Push);
    push.connect(endpoint);
    await push.send("rebound");
    expect(await receiveText(pull)).toEqual(["rebound"]);
  });

  test("unbind of an endpoint that is not bound rejects with ENOENT", async () => {
    const { socket, endpoint } = await sockets.bound(Pull);
    const unknown = await sockets.unusedEndpoint();
    const error = await rejection(socket.unbind(unknown), "ENOENT");
    expect(error.detail).toContain(unknown);
    expect(socket.lastEndpoint).toBe(endpoint);
  });

  test("unbindSync of an endpoint that is not bound throws ENOENT", async () => {
    const pull = sockets.open(Pull);
    syncError(() => pull.unbindSync(TCP_ANY), "ENOENT");
  });
});

describe("connect and disconnect", () => {
  test("connect to port * throws EINVAL naming the endpoint", () => {
    const error = syncError(() => sockets.open(Push).connect("tcp://127.0.0.1:*"), "EINVAL");
    expect(error.detail).toContain("tcp://127.0.0.1:*");
  });

  test("connect to an endpoint without a port throws EINVAL", () => {
    syncError(() => sockets.open(Push).connect("tcp://host"), "EINVAL");
  });

  test("connect to an unsupported transport throws EPROTONOSUPPORT", () => {
    syncError(() => sockets.open(Push).connect("tipc://bunzmq-test"), "EPROTONOSUPPORT");
  });

  test("lastEndpoint after connect is the endpoint as given", async () => {
    const endpoint = await sockets.unusedEndpoint();
    const push = sockets.open(Push);
    push.connect(endpoint);
    expect(push.lastEndpoint).toBe(endpoint);
  });

  test("disconnect of an endpoint that was never connected throws ENOENT", async () => {
    const push = sockets.open(Push);
    const endpoint = await sockets.unusedEndpoint();
    const error = syncError(() => push.disconnect(endpoint), "ENOENT");
    expect(error.detail).toContain(endpoint);
  });

  test("disconnect removes the peer: a PUSH left with no peer stops accepting messages", async () => {
    const { socket: pull, endpoint } = await sockets.bound(Pull);
    const push = sockets.open(Push);
    push.connect(endpoint);
    await push.send("before");
    expect(await receiveText(pull)).toEqual(["before"]);
    push.disconnect(endpoint);
    await waitFor(() => !push.writable, { what: "the PUSH to lose its only peer" });
    expect(push.trySend("after")).toBe(false);
    syncError(() => push.disconnect(endpoint), "ENOENT");
  });

  test("connect before bind works: messages sent meanwhile are delivered once the peer binds", async () => {
    const endpoint = await sockets.unusedEndpoint();
    const push = sockets.open(Push, { reconnectInterval: 10 });
    push.connect(endpoint);
    await withTimeout(push.send("early 1"), 5000, "a send before the peer exists");
    await withTimeout(push.send(["early", "2"]), 5000, "a second send before the peer exists");
    const pull = sockets.open(Pull);
    await pull.bind(endpoint);
    expect(await receiveMany(pull, 2)).toEqual(["early 1", "early|2"]);
  });

  test("a PUSH reconnects to a new peer bound on the same endpoint, and messages sent in between are delivered", async () => {
    const { socket: first, endpoint } = await sockets.bound(Pull);
    const push = sockets.open(Push, { reconnectInterval: 10 });
    const disconnects = record(push, "disconnect");
    push.connect(endpoint);
    await push.send("to first");
    expect(await receiveText(first)).toEqual(["to first"]);

    first.close();
    await disconnects.until(1);
    await withTimeout(push.send("in between 1"), 5000, "a send while no peer is up");
    await withTimeout(push.send("in between 2"), 5000, "a second send while no peer is up");

    const second = sockets.open(Pull);
    await second.bind(endpoint);
    expect(await receiveMany(second, 2)).toEqual(["in between 1", "in between 2"]);
    await push.send("to second");
    expect(await receiveText(second)).toEqual(["to second"]);
  });
});
