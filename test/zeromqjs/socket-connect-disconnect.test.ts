// connect() and disconnect() as zeromq.js reports them (its socket-connect-disconnect unit file):
// synchronous throws with libzmq's text, code, errno and the address given; a Router that names its
// peer at connect can route to it at once.

import { expect, test } from "bun:test";
import { Dealer, Router } from "../../src/index.ts";
import {
  ALL_TRANSPORTS,
  expectRejection,
  expectThrow,
  forEachTransport,
  freshEndpoint,
  receiveTexts,
  useSockets,
  vacantEndpoint,
  withTimeout,
} from "./support.ts";

const sockets = useSockets();

forEachTransport(ALL_TRANSPORTS, (transport) => {
  test("connect to an address without a scheme throws EINVAL 'Invalid argument' with the address", () => {
    const socket = sockets.open(Dealer);
    expectThrow(() => socket.connect("foo-bar"), { code: "EINVAL", message: "Invalid argument", address: "foo-bar" });
  });

  test("connect to an unknown scheme throws EPROTONOSUPPORT 'Protocol not supported' with the address", () => {
    const socket = sockets.open(Dealer);
    expectThrow(() => socket.connect("foo://bar"), {
      code: "EPROTONOSUPPORT",
      message: "Protocol not supported",
      address: "foo://bar",
    });
  });

  test("a mandatory Router can send to the routing id given at connect before any peer is there", async () => {
    const router = sockets.open(Router, { mandatory: true, sendTimeout: 0 });
    router.connect(vacantEndpoint(transport), { routingId: "remoteId" });
    expect(await withTimeout(router.send(["remoteId", "hi"]), 5000, "the send to be queued")).toBeUndefined();
    expect(router.writable).toBe(true);
  });

  test("a message routed by the connect routing id reaches the peer, and its reply carries that id", async () => {
    const dealer = sockets.open(Dealer);
    await dealer.bind(freshEndpoint(transport));
    const router = sockets.open(Router, { mandatory: true, sendTimeout: 0 });
    router.connect(dealer.lastEndpoint!, { routingId: "remoteId" });
    await router.send(["remoteId", "hi"]);
    expect(await receiveTexts(dealer, 1)).toEqual([["hi"]]);
    await dealer.send("hello back");
    expect(await receiveTexts(router, 1)).toEqual([["remoteId", "hello back"]]);
  });

  test("a mandatory Router refuses an id no connect named with EHOSTUNREACH", async () => {
    const router = sockets.open(Router, { mandatory: true, sendTimeout: 0 });
    router.connect(vacantEndpoint(transport), { routingId: "remoteId" });
    await expectRejection(router.send(["someoneElse", "hi"]), { code: "EHOSTUNREACH", message: "Host unreachable" });
  });

  test("disconnect from an address never connected throws ENOENT 'No such endpoint' with the address", () => {
    const address = vacantEndpoint(transport);
    const socket = sockets.open(Dealer);
    expectThrow(() => socket.disconnect(address), { code: "ENOENT", message: "No such endpoint", address });
  });

  test("disconnect from an address without a scheme throws EINVAL with the address", () => {
    const socket = sockets.open(Dealer);
    expectThrow(() => socket.disconnect("foo-bar"), { code: "EINVAL", message: "Invalid argument", address: "foo-bar" });
  });

  test("disconnect from an unknown scheme throws EPROTONOSUPPORT with the address", () => {
    const socket = sockets.open(Dealer);
    expectThrow(() => socket.disconnect("foo://bar"), {
      code: "EPROTONOSUPPORT",
      message: "Protocol not supported",
      address: "foo://bar",
    });
  });

  test("disconnect from a connected address succeeds, and a second one is ENOENT", () => {
    const address = vacantEndpoint(transport);
    const socket = sockets.open(Dealer);
    socket.connect(address);
    expect(() => socket.disconnect(address)).not.toThrow();
    expectThrow(() => socket.disconnect(address), { code: "ENOENT", message: "No such endpoint", address });
  });
});
