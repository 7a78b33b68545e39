// bind() and unbind() as zeromq.js reports them (its socket-bind-unbind unit file): failures reject
// with libzmq's text, code, errno and the address given; while one is settling the socket is blocked.

import { expect, test } from "bun:test";
import { Dealer } from "../../src/index.ts";
import { ALL_TRANSPORTS, expectRejection, expectThrow, forEachTransport, freshEndpoint, useSockets, vacantEndpoint } from "./support.ts";

const sockets = useSockets();
const BLOCKED = { code: "EBUSY", message: "Socket is blocked by a bind or unbind operation" };

forEachTransport(ALL_TRANSPORTS, (transport) => {
  test("bind resolves and reports the endpoint in lastEndpoint", async () => {
    const socket = sockets.open(Dealer);
    const endpoint = freshEndpoint(transport);
    expect(await socket.bind(endpoint)).toBeUndefined();
    if (transport === "tcp") expect(socket.lastEndpoint).toMatch(/^tcp:\/\/127\.0\.0\.1:[1-9]\d*$/);
    else expect(socket.lastEndpoint).toBe(endpoint);
  });

  test("unbind of an endpoint never bound rejects with ENOENT 'No such endpoint' and the address", async () => {
    const address = vacantEndpoint(transport);
    const socket = sockets.open(Dealer);
    await expectRejection(socket.unbind(address), { code: "ENOENT", message: "No such endpoint", address });
  });

  test("bind of an address without a scheme rejects with EINVAL 'Invalid argument' and the address", async () => {
    const socket = sockets.open(Dealer);
    await expectRejection(socket.bind("foo-bar"), { code: "EINVAL", message: "Invalid argument", address: "foo-bar" });
  });

  test("bind of an unknown scheme rejects with EPROTONOSUPPORT 'Protocol not supported' and the address", async () => {
    const socket = sockets.open(Dealer);
    await expectRejection(socket.bind("foo://bar"), {
      code: "EPROTONOSUPPORT",
      message: "Protocol not supported",
      address: "foo://bar",
    });
  });

  test("a second bind while the first settles throws EBUSY at once; the first still completes", async () => {
    const socket = sockets.open(Dealer);
    const first = socket.bind(freshEndpoint(transport));
    expectThrow(() => socket.bind(freshEndpoint(transport)), BLOCKED);
    expect(await first).toBeUndefined();
    expect(await socket.bind(freshEndpoint(transport))).toBeUndefined();
  });

  test("while a bind settles, connect, send and unbind are refused with the same EBUSY", async () => {
    const socket = sockets.open(Dealer);
    const bound = socket.bind(freshEndpoint(transport));
    expectThrow(() => socket.connect(vacantEndpoint(transport)), BLOCKED);
    expectThrow(() => socket.send("too early"), BLOCKED);
    expectThrow(() => socket.unbind(freshEndpoint(transport)), BLOCKED);
    await bound;
    expect(() => socket.connect(vacantEndpoint(transport))).not.toThrow();
  });

  test("unbind resolves and releases the endpoint for another socket", async () => {
    const socket = sockets.open(Dealer);
    await socket.bind(freshEndpoint(transport));
    const endpoint = socket.lastEndpoint!;
    expect(await socket.unbind(endpoint)).toBeUndefined();
    const next = sockets.open(Dealer);
    expect(await next.bind(endpoint)).toBeUndefined();
  });

  test("unbind of an address without a scheme rejects with EINVAL and the address", async () => {
    const socket = sockets.open(Dealer);
    await expectRejection(socket.unbind("foo-bar"), { code: "EINVAL", message: "Invalid argument", address: "foo-bar" });
  });

  test("unbind of an unknown scheme rejects with EPROTONOSUPPORT and the address", async () => {
    const socket = sockets.open(Dealer);
    await expectRejection(socket.unbind("foo://bar"), {
      code: "EPROTONOSUPPORT",
      message: "Protocol not supported",
      address: "foo://bar",
    });
  });

  test("a second unbind while the first settles throws EBUSY at once; the first still completes", async () => {
    const socket = sockets.open(Dealer);
    await socket.bind(freshEndpoint(transport));
    const endpoint = socket.lastEndpoint!;
    const first = socket.unbind(endpoint);
    expectThrow(() => socket.unbind(endpoint), BLOCKED);
    expect(await first).toBeUndefined();
  });
});
