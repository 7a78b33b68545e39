// udp:// between bunzmq sockets on loopback: Radio to Dish (groups filtered by the Dish), Datagram
// with any UDP program, the roles libzmq allows each type, and bad input (malformed datagrams,
// oversized bodies, a 256-byte group) dropped or refused without harm. Against libzmq:
// test/interop/udp.test.ts; multicast: test/interop/udp-multicast.test.ts.

import { expect, test } from "bun:test";
import { Datagram, Dish, Radio } from "../../src/draft.ts";
import { Publisher, type ZmqError } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { anyUdpEndpoint, rawUdpPeer } from "../helpers/udp.ts";
import { waitFor, withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();

function errorOf(run: () => unknown): ZmqError | null {
  try {
    run();
  } catch (error) {
    return error as ZmqError;
  }
  return null;
}

/** A bound Dish that joined `groups`, and a Radio connected to it. */
async function radioAndDish(options: { maxMessageSize?: number } = {}, ...groups: string[]) {
  const { endpoint, port } = await anyUdpEndpoint();
  const dish = cleanup.track(new Dish({ linger: 0, ...options }));
  dish.join(...groups);
  await dish.bind(endpoint);
  const radio = cleanup.track(new Radio({ linger: 0 }));
  radio.connect(endpoint);
  return { dish, radio, endpoint, port };
}

test("a Radio connected to a Dish's udp:// address reaches it, in the groups the Dish joined only", async () => {
  const { dish, radio } = await radioAndDish({}, "news");
  // The Dish's socket binds asynchronously: until then datagrams are lost, as UDP loses them.
  const [first, { group }] = await waitFor(
    () => {
      radio.trySend("sport", { group: "sport" });
      radio.trySend("first", { group: "news" });
      return dish.tryReceive();
    },
    { what: "the first news", timeoutMs: 5000 },
  );
  expect([String(first), String(group)]).toEqual(["first", "news"]);
  dish.leave("news");
  dish.join("sport");
  const [next] = await waitFor(
    () => {
      radio.trySend("news", { group: "news" });
      radio.trySend("sport", { group: "sport" });
      const message = dish.tryReceive();
      return message !== null && String(message[1].group) === "sport" ? message : null;
    },
    { what: "sport after the Dish changed groups", timeoutMs: 5000 },
  );
  expect(String(next)).toBe("sport");
});

test("malformed datagrams, and bodies over maxMessageSize, are dropped without harm; good ones still arrive", async () => {
  // Joined "" and "g": what a lenient decoder would make of the bad datagrams would be received.
  const { dish, port } = await radioAndDish({ maxMessageSize: 100 }, "g", "");
  const raw = await rawUdpPeer();
  cleanup.add(() => raw.socket.close());
  const bad = [new Uint8Array(0), Uint8Array.of(2, 0x67), Uint8Array.of(255), Uint8Array.of(1, 0x67, ...new Uint8Array(101))];
  const good = Uint8Array.of(1, 0x67, 0x6f, 0x6b); // group "g", body "ok"
  const [message, { group }] = await waitFor(
    () => {
      for (const datagram of bad) raw.socket.send(datagram, port, "127.0.0.1");
      raw.socket.send(good, port, "127.0.0.1");
      return dish.tryReceive();
    },
    { what: "the good datagram behind the bad ones", timeoutMs: 5000 },
  );
  expect([String(message), String(group)]).toEqual(["ok", "g"]);
  // Whatever else arrived is the good datagram again: the bad ones were dropped.
  for (let next = dish.tryReceive(); next !== null; next = dish.tryReceive()) expect(String(next[0])).toBe("ok");
});

test("a JOIN of a 256-byte group is refused with EINVAL on a udp:// Dish, and 255 bytes is fine", async () => {
  const { dish } = await radioAndDish({});
  expect(errorOf(() => dish.join("g".repeat(256)))?.code).toBe("EINVAL");
  dish.join("g".repeat(255));
});

test("the roles libzmq allows: a Radio connects, a Dish and a Datagram bind; the rest is ENOCOMPATPROTO", async () => {
  const { endpoint } = await anyUdpEndpoint();
  const cases: Array<[string, () => unknown]> = [
    ["Radio bind", () => cleanup.track(new Radio()).bindSync(endpoint)],
    ["Dish connect", () => cleanup.track(new Dish()).connect(endpoint)],
    ["Datagram connect", () => cleanup.track(new Datagram()).connect(endpoint)],
    ["Publisher bind", () => cleanup.track(new Publisher()).bindSync(endpoint)],
    ["Datagram over tcp", () => cleanup.track(new Datagram()).bindSync("tcp://127.0.0.1:*")],
  ];
  for (const [what, run] of cases) expect([what, errorOf(run)?.code]).toEqual([what, "ENOCOMPATPROTO"]);
  expect(errorOf(() => cleanup.track(new Dish()).bindSync("udp://127.0.0.1:*"))?.code).toBe("EINVAL");
});

test("a Datagram answers any UDP program: [sender, body] in, send([address, body]) out", async () => {
  const { endpoint, port } = await anyUdpEndpoint();
  const dgram = cleanup.track(new Datagram({ linger: 0 }));
  await dgram.bind(endpoint);
  const raw = await rawUdpPeer();
  cleanup.add(() => raw.socket.close());
  const [from, body] = await waitFor(
    () => {
      raw.socket.send("ping", port, "127.0.0.1");
      return dgram.tryReceive();
    },
    { what: "the raw datagram at the Datagram", timeoutMs: 5000 },
  );
  expect([String(from), String(body)]).toEqual([`127.0.0.1:${raw.port}\0`, "ping"]);
  await dgram.send([from!, body!]);
  // Addresses that are not ip:port are dropped, as libzmq drops them; the socket carries on.
  await dgram.send(["nowhere", "lost"]);
  await dgram.send([`127.0.0.1:${raw.port}`, "pong"]);
  await waitFor(() => (raw.received.map(String).includes("pong") ? true : null), { what: "the replies", timeoutMs: 5000 });
  expect(raw.received.map(String).slice(0, 1)).toEqual(["ping"]);
  expect(raw.received.map(String)).not.toContain("lost");
});

test("a Datagram message is two frames: one or three are EINVAL", async () => {
  const { endpoint } = await anyUdpEndpoint();
  const dgram = cleanup.track(new Datagram({ linger: 0 }));
  await dgram.bind(endpoint);
  // @ts-expect-error: the declared type wants [address, body]; a JavaScript caller may pass anything.
  await expect(dgram.send("only a body")).rejects.toMatchObject({ code: "EINVAL" });
  // @ts-expect-error: as above.
  await expect(dgram.send(["127.0.0.1:9", "a", "b"])).rejects.toMatchObject({ code: "EINVAL" });
});

test("unbind closes the udp:// socket: a Dish bound again to the same port receives", async () => {
  const { dish, radio, endpoint } = await radioAndDish({}, "g");
  await dish.unbind(endpoint);
  await dish.bind(endpoint);
  const [message] = await withTimeout(
    waitFor(
      () => {
        radio.trySend("again", { group: "g" });
        return dish.tryReceive();
      },
      { what: "a datagram after the rebind", timeoutMs: 5000 },
    ),
    6000,
    "the rebind",
  );
  expect(String(message)).toBe("again");
});
