// PUB to SUB (zeromq.js's socket-pub-sub unit file), with the Subscriber bound and the Publisher
// connecting: a subscription to everything gets every message in order, as Buffers; prefixes
// subscribed and then unsubscribed filter. Where zeromq.js pauses for the subscription to reach the
// publisher, these tests publish a marker until it comes through (untilJoined).

import { expect, test } from "bun:test";
import { Publisher, Subscriber } from "../../src/index.ts";
import { ALL_TRANSPORTS, forEachTransport, freshEndpoint, textsAfterJoin, untilJoined, useSockets, type Transport } from "./support.ts";

const sockets = useSockets();

/** A Subscriber (set up by `subscribe`) bound, a Publisher connected, and `marker` through. */
async function joined(subscribe: (sub: Subscriber) => void, transport: Transport, marker: string) {
  const [pub, sub] = [sockets.open(Publisher), sockets.open(Subscriber)];
  subscribe(sub);
  await sub.bind(freshEndpoint(transport));
  pub.connect(sub.lastEndpoint!);
  await untilJoined((text) => pub.send(text), sub, marker);
  return { pub, sub };
}

forEachTransport(ALL_TRANSPORTS, (transport) => {
  test("subscribe() with no prefix receives every message, in order, as Buffers", async () => {
    const { pub, sub } = await joined((s) => s.subscribe(), transport, "joined");
    for (const text of ["foo", "bar", "baz", "qux"]) await pub.send(text);
    expect(await textsAfterJoin(sub, "joined", 4)).toEqual(["foo", "bar", "baz", "qux"]);
  });

  test("of prefixes subscribed and then unsubscribed, only the one left filters messages through", async () => {
    const { pub, sub } = await joined(
      (s) => {
        s.subscribe("fo", "ba", "qu");
        s.unsubscribe("fo", "qu");
      },
      transport,
      "ba:joined",
    );
    for (const text of ["foo", "bar", "baz", "qux", "ba:end"]) await pub.send(text);
    expect(await textsAfterJoin(sub, "ba:joined", 3)).toEqual(["bar", "baz", "ba:end"]);
  });
});
