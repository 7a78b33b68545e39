// udp:// in the transport contract (transports.ts, UDP row), for the socket types it carries: a
// Radio sending and Dishes receiving. The cases that carry over: exchange (groups filtered by the
// Dish), duplicate bind (over udp two Dishes share a port, SO_REUSEADDR as libzmq sets it, where a
// stream transport is EADDRINUSE), huge message (the largest datagram libzmq reads whole crosses,
// a larger one is dropped), reconnect (a Dish bound again hears the Radio with nothing redialled),
// close with linger and monitor events (none, as libzmq's udp engine reports none).

import { expect } from "bun:test";
import { Dish, Radio } from "../../src/draft.ts";
import type { SocketInit } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { EventLog } from "../helpers/events.ts";
import { waitFor } from "../helpers/wait.ts";
import { UDP, conformanceTest } from "./transports.ts";

const cleanup = useCleanup();
const row = UDP;

function open<T extends Radio | Dish>(type: new (options?: SocketInit) => T): T {
  return cleanup.track(new type({ linger: 0 }));
}

async function dishAt(endpoint: string, ...groups: string[]): Promise<Dish> {
  const dish = open(Dish);
  dish.join(...groups);
  await dish.bind(endpoint);
  return dish;
}

/** Sends `body` to `group` until `dish` receives a message of it (its bind is asynchronous); bounded. */
async function untilHeard(radio: Radio, dish: Dish, group: string, body: string | Uint8Array = `to ${group}`): Promise<Buffer> {
  const [message] = await waitFor(
    () => {
      radio.trySend(body, { group });
      const next = dish.tryReceive();
      return next !== null && String(next[1].group) === group ? next : null;
    },
    { what: `the Dish to hear group ${group}` },
  );
  return message;
}

conformanceTest(row, "exchange", "a Radio's messages reach a Dish in the groups it joined only", async () => {
  const dish = await dishAt(row.bindable(), "g");
  const radio = open(Radio);
  radio.connect(dish.lastEndpoint!);
  expect(String(await untilHeard(radio, dish, "g"))).toBe("to g");
  await radio.send("not joined", { group: "h" });
  await radio.send("last", { group: "g" });
  const seen: string[] = [];
  await waitFor(
    () => {
      for (let next = dish.tryReceive(); next !== null; next = dish.tryReceive()) seen.push(String(next[0]));
      return seen.includes("last") ? true : null;
    },
    { what: "the last message" },
  );
  expect(seen).not.toContain("not joined");
});

conformanceTest(row, "duplicate bind", "two Dishes bind one udp:// endpoint and both succeed (the port is shared)", async () => {
  const endpoint = row.bindable();
  const first = await dishAt(endpoint, "g");
  const second = await dishAt(endpoint, "g");
  expect([first.lastEndpoint, second.lastEndpoint]).toEqual([endpoint, endpoint]);
  // A unicast datagram reaches one of them (the kernel's choice); the port takes traffic.
  const radio = open(Radio);
  radio.connect(endpoint);
  await waitFor(
    () => {
      radio.trySend("shared", { group: "g" });
      return first.tryReceive() ?? second.tryReceive();
    },
    { what: "either Dish to hear the shared port" },
  );
});

conformanceTest(row, "huge message", "the largest datagram libzmq reads whole (8192 bytes) crosses; a larger one is dropped", async () => {
  const dish = await dishAt(row.bindable(), "g");
  const radio = open(Radio);
  radio.connect(dish.lastEndpoint!);
  await untilHeard(radio, dish, "g");
  // 1 length byte, 1 group byte and 8190 body bytes: 8192.
  await radio.send(new Uint8Array(8191).fill(1), { group: "g" });
  await radio.send(new Uint8Array(8190).fill(2), { group: "g" });
  const sizes: number[] = [];
  await waitFor(
    () => {
      for (let next = dish.tryReceive(); next !== null; next = dish.tryReceive()) sizes.push(next[0].length);
      return sizes.includes(8190) ? true : null;
    },
    { what: "the 8190-byte message" },
  );
  expect(sizes).not.toContain(8191);
});

conformanceTest(row, "reconnect", "a Dish closed and bound again at the endpoint hears the Radio, which redials nothing", async () => {
  const endpoint = row.bindable();
  const radio = open(Radio);
  radio.connect(endpoint);
  const before = await dishAt(endpoint, "g");
  await untilHeard(radio, before, "g");
  before.close();
  const after = await dishAt(endpoint, "g");
  expect(String(await untilHeard(radio, after, "g", "again"))).toBe("again");
});

conformanceTest(row, "close with linger", "closing a Radio with linger sends what it was given before the close", async () => {
  const dish = await dishAt(row.bindable(), "g");
  const radio = cleanup.track(new Radio({ linger: 1000 }));
  radio.connect(dish.lastEndpoint!);
  await untilHeard(radio, dish, "g");
  await radio.send("sent", { group: "g" });
  radio.close();
  const seen = await waitFor(
    () => {
      const next = dish.tryReceive();
      return next !== null && String(next[0]) === "sent" ? true : null;
    },
    { what: "the message sent before close" },
  );
  expect(seen).toBe(true);
});

conformanceTest(
  row,
  "monitor events",
  "neither side reports a connection: udp:// has none (libzmq's udp engine reports none)",
  async () => {
    const dish = open(Dish);
    const dishLog = new EventLog(dish);
    dish.join("g");
    await dish.bind(row.bindable());
    const radio = open(Radio);
    const radioLog = new EventLog(radio);
    radio.connect(dish.lastEndpoint!);
    await untilHeard(radio, dish, "g");
    expect([radioLog.types(), dishLog.types()]).toEqual([[], []]);
  },
);
