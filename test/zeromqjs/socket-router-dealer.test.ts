// DEALERs to a ROUTER (zeromq.js's socket-router-dealer unit file): the Router answers each Dealer by
// the routing id it received, so each gets back exactly its own messages; a mandatory Router refuses
// an unknown id with EHOSTUNREACH.

import { expect, test } from "bun:test";
import { Dealer, Router } from "../../src/index.ts";
import { ALL_TRANSPORTS, expectRejection, forEachTransport, freshEndpoint, useSockets, withTimeout } from "./support.ts";

const sockets = useSockets();

/** Iterates `dealer` until `count` messages arrived; bounded. */
async function collect(dealer: Dealer, count: number): Promise<string[]> {
  const received: string[] = [];
  const iterate = async () => {
    for await (const [frame] of dealer) if (received.push(frame!.toString()) === count) break;
  };
  await withTimeout(iterate(), 5000, `${count} replies (have ${received.length})`);
  return received;
}

forEachTransport(ALL_TRANSPORTS, (transport) => {
  test("a Router echoing [sender, message] returns each Dealer's messages to that Dealer", async () => {
    const router = sockets.open(Router);
    const [dealerA, dealerB] = [sockets.open(Dealer), sockets.open(Dealer)];
    await router.bind(freshEndpoint(transport));
    dealerA.connect(router.lastEndpoint!);
    dealerB.connect(router.lastEndpoint!);

    const echo = async () => {
      for await (const [sender, message] of router) await router.send([sender!, message!]);
    };
    const echoing = echo();
    for (const text of ["foo", "bar", "baz", "qux"]) {
      await dealerA.send(`A:${text}`);
      await dealerB.send(`B:${text}`);
    }
    expect(await collect(dealerA, 4)).toEqual(["A:foo", "A:bar", "A:baz", "A:qux"]);
    expect(await collect(dealerB, 4)).toEqual(["B:foo", "B:bar", "B:baz", "B:qux"]);
    router.close();
    await withTimeout(echoing, 5000, "the echo loop to end");
  });
});

test("a mandatory Router rejects a message for an unknown routing id with EHOSTUNREACH 'Host unreachable'", async () => {
  const router = sockets.open(Router, { mandatory: true, sendTimeout: 0 });
  await expectRejection(router.send(["fooId", "foo"]), { code: "EHOSTUNREACH", message: "Host unreachable" });
});

test("set as properties after construction, mandatory and sendTimeout 0 refuse the same way", async () => {
  const router = sockets.open(Router);
  router.mandatory = true;
  router.sendTimeout = 0;
  await expectRejection(router.send(["fooId", "foo"]), { code: "EHOSTUNREACH", message: "Host unreachable" });
});
