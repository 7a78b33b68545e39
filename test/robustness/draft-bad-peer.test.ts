// Raw byte peers against the DRAFT sockets (RFC 41, RFC 48): a JOIN with a group over 255 bytes, a
// LEAVE for a group never joined, a multipart message to a Server, and the exact bytes of a group
// message and of a JOIN. Property: a bad peer loses at most its own connection, nothing it sends
// makes the socket keep more than its groups, and good peers carry on.

import { expect, test } from "bun:test";
import { Client, Dish, Radio, Scatter, Server, Channel, Peer } from "../../src/draft.ts";
import type { RadioSocket } from "../../src/socket/radio.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { EventLog } from "../helpers/events.ts";
import { RawPeer } from "../helpers/raw-peer.ts";
import { trackUncaught } from "../helpers/uncaught.ts";
import { waitFor } from "../helpers/wait.ts";
import { concat, frame, hex, message } from "../helpers/zmtp-bytes.ts";

const cleanup = useCleanup();
const uncaught = trackUncaught();

/** A JOIN (`\x04JOIN` + group) or LEAVE (`\x05LEAVE` + group) command frame, as libzmq's dish session builds it. */
function groupCommand(name: "JOIN" | "LEAVE", group: Uint8Array | string): Uint8Array {
  const bytes = typeof group === "string" ? Buffer.from(group) : group;
  return frame(concat([name.length], Buffer.from(name), bytes), { command: true });
}

/** A bound Radio with a good bunzmq Dish (joined to "good") that already receives from it. */
async function radioWithGoodDish() {
  const radio = cleanup.track(new Radio({ linger: 0 }));
  const log = new EventLog(radio);
  await radio.bind(TCP_ANY);
  const dish = cleanup.track(new Dish({ linger: 0 }));
  dish.join("good");
  dish.connect(radio.lastEndpoint!);
  const goodDishReceives = (tag: string) =>
    waitFor(
      () => {
        radio.trySend(tag, { group: "good" });
        for (let got = dish.tryReceive(); got !== null; got = dish.tryReceive()) if (String(got[0]) === tag) return true;
        return false;
      },
      { what: `"${tag}" at the good Dish` },
    );
  await goodDishReceives("before");
  return { radio, log, goodDishReceives };
}

test("RFC 48: a JOIN with a 256-byte group ends only that connection, with a disconnect event (EPROTO)", async () => {
  const { radio, log, goodDishReceives } = await radioWithGoodDish();
  const raw = cleanup.track(await RawPeer.connect(radio.lastEndpoint!));
  await raw.handshake("DISH");
  raw.write(groupCommand("JOIN", new Uint8Array(256).fill(0x61)));
  await raw.waitForClose();
  const disconnect = await log.waitFor("disconnect");
  expect(disconnect.error?.code).toBe("EPROTO");
  await goodDishReceives("after");
  expect(uncaught.errors).toEqual([]);
});

test("RFC 48: a JOIN with a 255-byte group is accepted and that group's messages arrive framed as libzmq frames them", async () => {
  const { radio } = await radioWithGoodDish();
  const raw = cleanup.track(await RawPeer.connect(radio.lastEndpoint!));
  const start = await raw.handshake("DISH");
  const group = "g".repeat(255);
  raw.write(groupCommand("JOIN", group));
  // libzmq's radio session: the group as a first frame with MORE, then the body (radio.cpp).
  const expected = message(group, "payload");
  await waitFor(
    () => {
      radio.trySend("payload", { group });
      return raw.bytes().length >= start + expected.length;
    },
    { what: "the group's message at the raw DISH" },
  );
  expect(hex(raw.bytes().subarray(start, start + expected.length))).toBe(hex(expected));
});

test("RFC 48: a LEAVE for a group never joined is harmless, and repeated JOINs keep one group", async () => {
  const { radio, log, goodDishReceives } = await radioWithGoodDish();
  const raw = cleanup.track(await RawPeer.connect(radio.lastEndpoint!));
  const start = await raw.handshake("DISH");
  raw.write(groupCommand("LEAVE", "never joined"));
  for (let i = 0; i < 1000; i++) raw.write(groupCommand("JOIN", "mine"));
  const expected = message("mine", "x");
  await waitFor(
    () => {
      radio.trySend("x", { group: "mine" });
      return raw.bytes().length >= start + expected.length;
    },
    { what: "the raw DISH's group to be joined" },
  );
  await goodDishReceives("after");
  const core = (radio as unknown as { core: RadioSocket }).core;
  expect(core.groupCount).toBe(2); // "good" and "mine", however often "mine" was joined
  expect(log.count("disconnect")).toBe(0);
  expect(raw.closed).toBe(false);
});

test("RFC 48: our Dish sends each group as a JOIN command, byte for byte as libzmq's dish session", async () => {
  const dish = cleanup.track(new Dish({ linger: 0 }));
  dish.join("weather");
  await dish.bind(TCP_ANY);
  const raw = cleanup.track(await RawPeer.connect(dish.lastEndpoint!));
  const start = await raw.handshake("RADIO");
  const join = groupCommand("JOIN", "weather");
  await raw.waitForBytes(start + join.length);
  expect(hex(raw.bytes().subarray(start, start + join.length))).toBe(hex(join));
  dish.leave("weather");
  const leave = groupCommand("LEAVE", "weather");
  await raw.waitForBytes(start + join.length + leave.length);
  expect(hex(raw.bytes().subarray(start + join.length))).toBe(hex(leave));
});

test("RFC 41: a multipart message to a Server is dropped whole, as libzmq's server drops it; the connection stays", async () => {
  const server = cleanup.track(new Server({ linger: 0 }));
  const log = new EventLog(server);
  await server.bind(TCP_ANY);
  const raw = cleanup.track(await RawPeer.connect(server.lastEndpoint!));
  await raw.handshake("CLIENT");
  raw.write(message("multi", "part"));
  raw.write(message("single"));
  const [body, { routingId }] = await server.receive();
  expect(String(body)).toBe("single");
  expect(server.tryReceive()).toBeNull();
  expect(log.count("disconnect")).toBe(0);
  const before = raw.bytes().length;
  await server.send("reply", { routingId });
  const reply = message("reply");
  await raw.waitForBytes(before + reply.length);
  expect(hex(raw.bytes().subarray(before))).toBe(hex(reply));
});

test("a multipart send on any DRAFT socket is refused with EINVAL, as libzmq refuses it", async () => {
  const server = cleanup.track(new Server({ linger: 0 }));
  await expect(server.send(["a", "b"] as never, { routingId: 1 })).rejects.toMatchObject({ code: "EINVAL", message: "Invalid argument" });
  for (const type of [Client, Scatter, Channel]) {
    const socket = cleanup.track(new type({ linger: 0 }));
    await expect(socket.send(["a", "b"] as never)).rejects.toMatchObject({ code: "EINVAL" });
  }
  const radio = cleanup.track(new Radio({ linger: 0 }));
  await expect(radio.send(["a", "b"] as never, { group: "g" })).rejects.toMatchObject({ code: "EINVAL" });

  const peer = cleanup.track(new Peer({ linger: 0 }));
  expect(peer.trySend.bind(peer, ["a", "b"] as never, { routingId: 1 })).toThrow(expect.objectContaining({ code: "EINVAL" }));
});

test("a Dish's groups cost a Radio at most maxSubscriptionBytes: JOINs past it are dropped, the connection stays", async () => {
  const { radio, log } = await radioWithGoodDish();
  radio.maxSubscriptionBytes = 2 * (64 + 4);
  const raw = cleanup.track(await RawPeer.connect(radio.lastEndpoint!));
  const start = await raw.handshake("DISH");
  for (let i = 0; i < 100; i++) raw.write(groupCommand("JOIN", `g${String(i).padStart(3, "0")}`));
  raw.write(groupCommand("JOIN", "g000"));
  const expected = message("g000", "x");
  await waitFor(
    () => {
      radio.trySend("x", { group: "g000" });
      return raw.bytes().length >= start + expected.length;
    },
    { what: "the raw DISH's first group to be joined" },
  );
  const core = (radio as unknown as { core: RadioSocket }).core;
  expect(core.groupCount).toBe(3); // "good" (the good Dish's), "g000" and "g001"
  expect(log.count("disconnect")).toBe(0);
});

test("a Radio cuts a group over 255 bytes to its first 255, as zmq_msg_set_group does; a Dish refuses to join one (EINVAL)", async () => {
  const { radio } = await radioWithGoodDish();
  const dish = cleanup.track(new Dish({ linger: 0 }));
  expect(() => dish.join("g".repeat(256))).toThrow(expect.objectContaining({ code: "EINVAL" }));
  dish.join("g".repeat(255));
  dish.connect(radio.lastEndpoint!);
  const [body, { group }] = await waitFor(
    () => {
      radio.trySend("long", { group: "g".repeat(300) });
      return dish.tryReceive();
    },
    { what: "the long group's message at the Dish" },
  );
  expect([String(body), group.length]).toEqual(["long", 255]);
});

test("RFC 48: data to a Dish that is not a group and one body ends only that connection (EPROTO), as libzmq's dish session", async () => {
  const dish = cleanup.track(new Dish({ linger: 0 }));
  const log = new EventLog(dish);
  dish.join("g");
  await dish.bind(TCP_ANY);
  const good = cleanup.track(new Radio({ linger: 0 }));
  good.connect(dish.lastEndpoint!);
  const raw = cleanup.track(await RawPeer.connect(dish.lastEndpoint!));
  await raw.handshake("RADIO");
  raw.write(message("no group"));
  await raw.waitForClose();
  expect((await log.waitFor("disconnect")).error?.code).toBe("EPROTO");
  const [body] = await waitFor(
    () => {
      good.trySend("still here", { group: "g" });
      return dish.tryReceive();
    },
    { what: "the good Radio's message" },
  );
  expect(String(body)).toBe("still here");
  expect(uncaught.errors).toEqual([]);
});

test("connectPeer() with immediate set throws EFAULT (Bad address), as zmq_connect_peer fails", () => {
  const peer = cleanup.track(new Peer({ linger: 0, immediate: true }));
  expect(() => peer.connectPeer(TCP_ANY)).toThrow(expect.objectContaining({ code: "EFAULT", message: "Bad address" }));
});

test("a ZMTP 2.0 peer may be a Dish's Radio, as libzmq 4.3.5 lets it: our answer is libzmq's byte for byte, JOIN as a command frame", async () => {
  const dish = cleanup.track(new Dish({ linger: 0 }));
  dish.join("g");
  await dish.bind(TCP_ANY);
  const raw = cleanup.track(await RawPeer.connect(dish.lastEndpoint!));
  // A 2.0 greeting (signature, revision 1, socket type 14 RADIO), an empty identity, then [g, body].
  raw.write(Uint8Array.of(0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 1, 14, 0, 0));
  raw.write(message("g", "body"));
  const [body] = await waitFor(() => dish.tryReceive(), { what: "the 2.0 Radio's message" });
  expect(String(body)).toBe("body");
  // What libzmq 4.3.5's DISH sends the same peer (test/robustness/draft-libzmq-reference.test.ts).
  const expected = "ff00000000000000017f030f00000406044a4f494e67";
  await raw.waitForBytes(expected.length / 2);
  expect(hex(raw.bytes())).toBe(hex(Buffer.from(expected, "hex")));
});

test("a Server's send to a Client at its high-water mark waits, then fails with EAGAIN after sendTimeout (libzmq 4.3.5: EAGAIN, never a drop)", async () => {
  const server = cleanup.track(new Server({ linger: 0, sendHighWaterMark: 1, sendTimeout: 50 }));
  await server.bind(`inproc://draft-hwm-${process.pid}`);
  const client = cleanup.track(new Client({ linger: 0, receiveHighWaterMark: 1 }));
  client.connect(server.lastEndpoint!);
  await client.send("hello");
  const [, { routingId }] = await server.receive();
  // inproc sizes the pipe by both marks: 1 + 1 messages.
  await server.send("1", { routingId });
  await server.send("2", { routingId });
  expect(server.trySend("3", { routingId })).toBe(false);
  await expect(server.send("3", { routingId })).rejects.toMatchObject({ code: "EAGAIN" });
  const [first] = await client.receive();
  expect(String(first)).toBe("1");
});
