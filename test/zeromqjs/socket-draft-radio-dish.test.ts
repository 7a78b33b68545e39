// RADIO and DISH (zeromq.js's socket-draft-radio-dish unit file): a Dish receives the messages of
// the groups it joined, each with its group as a Buffer, and groups are C strings (the bytes after a
// NUL are ignored). zeromq.js waits 25 ms for the JOIN to land; here the Radio sends a marker until
// it has.
// As in zeromq.js, they run over udp:// too (there the Dish binds a concrete port).

import { describe, expect, test } from "bun:test";
import { Dish, Radio } from "../../src/draft.ts";
import { anyUdpEndpoint } from "../helpers/udp.ts";
import { ALL_TRANSPORTS, forEachTransport, freshEndpoint, useSockets, waitFor } from "./support.ts";

const sockets = useSockets();
const MESSAGES = ["foo", "bar", "baz", "qux"];

const SYNC = "sync";
const END = "end";

/**
 * Sends SYNC to `group` until the Dish receives it (the JOIN has reached the Radio; later messages
 * on this connection arrive in order), then sends MESSAGES, each to `groupOf` it, and END, and
 * returns what the Dish received in between (late copies of SYNC aside), with each group. Bounded.
 */
async function broadcast(radio: Radio, dish: Dish, group: Buffer | string, groupOf: (text: string) => Buffer | string) {
  const synced = async () => {
    for (let message = dish.tryReceive(); message !== null; message = dish.tryReceive()) if (message[0].toString() === SYNC) return true;
    return false;
  };
  await waitFor(async () => (await radio.send(SYNC, { group }), synced()), { what: "the Dish's JOIN to reach the Radio" });
  for (const text of MESSAGES) await radio.send(text, { group: groupOf(text) });
  await radio.send(END, { group });
  const received: Array<[string, Buffer]> = [];
  await waitFor(
    () => {
      for (let message = dish.tryReceive(); message !== null; message = dish.tryReceive()) {
        const [body, { group: from }] = message;
        expect(body).toBeInstanceOf(Buffer);
        expect(from).toBeInstanceOf(Buffer);
        if (body.toString() === END) return true;
        if (body.toString() !== SYNC) received.push([body.toString(), from]);
      }
      return false;
    },
    { what: "the closing marker at the Dish" },
  );
  return received;
}

/** The file's cases, each Dish binding what `endpoint` gives. */
function cases(endpoint: () => Promise<string>): void {
  test("a Dish receives every message of the group it joined, with that group", async () => {
    const [radio, dish] = [sockets.open(Radio), sockets.open(Dish)];
    const uuid = Buffer.from([0xf6, 0x46, 0x1f, 0x03, 0xd2, 0x0d, 0xc8, 0x66, 0xe5, 0x5f, 0xf5, 0xa1, 0x65, 0x62, 0xb2]);
    dish.join(uuid);
    await dish.bind(await endpoint());
    radio.connect(dish.lastEndpoint!);
    const received = await broadcast(radio, dish, uuid, () => uuid);
    expect(received.map(([text]) => text)).toEqual(MESSAGES);
    for (const [, group] of received) expect(group).toEqual(uuid);
  });

  test("join and leave filter messages; bytes after a NUL in a group are ignored", async () => {
    const [radio, dish] = [sockets.open(Radio), sockets.open(Dish)];
    dish.join(Buffer.from("fo\x00ba"), Buffer.from("ba\x00fo"));
    dish.leave(Buffer.from("fo"));
    await dish.bind(await endpoint());
    radio.connect(dish.lastEndpoint!);
    const received = await broadcast(radio, dish, "ba", (text) => text.slice(0, 2));
    expect(received.map(([text, group]) => `${group}:${text}`)).toEqual(["ba:bar", "ba:baz"]);
  });
}

forEachTransport(ALL_TRANSPORTS, (transport) => cases(async () => freshEndpoint(transport)));
describe("over udp", () => cases(async () => (await anyUdpEndpoint()).endpoint));
