// epgm:// is for PUB, SUB, XPUB and XSUB only: other socket types refuse it as libzmq does, before
// any socket is opened. (Traffic over epgm:// is tested in network namespaces: test/interop/epgm.test.ts.)

import { expect, test } from "bun:test";
import { Dealer, Pair, Pull, Push, Reply, Request, Router, type ZmqError } from "../../src/index.ts";
import { useSockets } from "./support.ts";

const sockets = useSockets();
// lint-tests-allow literal-port: refused before anything binds
const ENDPOINT = "epgm://127.0.0.1;239.192.1.1:5555";

test("connect and bind on epgm:// with a non-PUB/SUB socket throw ENOCOMPATPROTO naming the endpoint", () => {
  const all = [Pair, Push, Pull, Request, Reply, Dealer, Router].map((type) => sockets.open(type as typeof Pair));
  for (const socket of all) {
    let error: ZmqError | null = null;
    try {
      socket.connect(ENDPOINT);
    } catch (caught) {
      error = caught as ZmqError;
    }
    expect(error?.code).toBe("ENOCOMPATPROTO");
    expect(error?.message).toBe("The protocol is not compatible with the socket type");
    expect(error?.detail).toContain(ENDPOINT);
  }
});

test("bindSync on epgm:// with a non-PUB/SUB socket throws ENOCOMPATPROTO too", () => {
  const socket = sockets.open(Push);
  expect(() => socket.bindSync(ENDPOINT)).toThrow("The protocol is not compatible with the socket type");
});
