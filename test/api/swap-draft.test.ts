// The `swap` option on the DRAFT sockets: Client and Scatter spill per socket before choosing a
// peer, as Push and Dealer do; Server and Radio per peer, as Router and Publisher do.

import { expect, test } from "bun:test";
import { Client, Dish, Gather, Radio, Scatter, Server } from "../../src/draft.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY, endpointOf, unusedEndpoint, waitFor, withTimeout } from "./support.ts";

const cleanup = useCleanup();
const GiB = 1 << 30;

test("a Client with no peer yet takes every send at once, and a Server that comes later gets them all in order", async () => {
  const client = cleanup.track(new Client({ linger: 0, sendHighWaterMark: 10, swap: GiB }));
  const endpoint = await unusedEndpoint();
  client.connect(endpoint);
  const count = 5000;
  for (let i = 0; i < count; i++) expect(client.trySend(String(i).padEnd(1000, "."))).toBe(true);
  expect(client.spilledBytes).toBeGreaterThan(0);
  const server = cleanup.track(new Server({ linger: 0, receiveHighWaterMark: 10 }));
  await server.bind(endpoint);
  for (let i = 0; i < count; i++) {
    const [message] = await withTimeout(server.receive(), 5000, `message ${i}`);
    if (String(message) !== String(i).padEnd(1000, ".")) expect(String(message)).toBe(String(i).padEnd(1000, "."));
  }
  await waitFor(() => client.spilledBytes === 0, { what: "the Client's disk queue to empty" });
});

test("a Scatter spills per socket past its high-water mark and a Gather that comes later receives everything in order", async () => {
  const scatter = cleanup.track(new Scatter({ linger: 0, sendHighWaterMark: 5, swap: GiB }));
  const endpoint = await unusedEndpoint();
  scatter.connect(endpoint);
  const count = 3000;
  const body = (i: number) => String(i).padEnd(1000, ".");
  for (let i = 0; i < count; i++) expect(scatter.trySend(body(i))).toBe(true);
  expect(scatter.spilledBytes).toBeGreaterThan(0);
  const gather = cleanup.track(new Gather({ linger: 0, receiveHighWaterMark: 5 }));
  await gather.bind(endpoint);
  for (let i = 0; i < count; i++) {
    const [message] = await withTimeout(gather.receive(), 5000, `message ${i}`);
    if (String(message) !== body(i)) expect(String(message)).toBe(body(i));
  }
});

test("a Server at its high-water mark spills to that peer's queue instead of refusing, and the Client gets every reply in order", async () => {
  const server = cleanup.track(new Server({ linger: 0, sendHighWaterMark: 5, swap: GiB }));
  await server.bind(TCP_ANY);
  const client = cleanup.track(new Client({ linger: 0, receiveHighWaterMark: 5 }));
  client.connect(endpointOf(server));
  await client.send("hello");
  const [, { routingId }] = await withTimeout(server.receive(), 5000, "the Client's hello");
  const count = 3000;
  const reply = (i: number) => String(i).padEnd(1000, ".");
  for (let i = 0; i < count; i++) expect(server.trySend(reply(i), { routingId })).toBe(true);
  expect(server.spilledBytes).toBeGreaterThan(0);
  for (let i = 0; i < count; i++) {
    const [message] = await withTimeout(client.receive(), 5000, `reply ${i}`);
    if (String(message) !== reply(i)) expect(String(message)).toBe(reply(i));
  }
});

test("a Radio spills per Dish instead of dropping at the high-water mark", async () => {
  const radio = cleanup.track(new Radio({ linger: 0, sendHighWaterMark: 5, swap: GiB }));
  await radio.bind(TCP_ANY);
  const dish = cleanup.track(new Dish({ linger: 0, receiveHighWaterMark: 5 }));
  dish.join("g");
  dish.connect(endpointOf(radio));
  // A Radio drops until the Dish's JOIN arrives: probe until one message gets through.
  await waitFor(
    () => {
      radio.trySend("probe", { group: "g" });
      return dish.tryReceive();
    },
    { what: "the Dish's JOIN to reach the Radio" },
  );
  const count = 3000;
  const body = (i: number) => String(i).padEnd(1000, ".");
  for (let i = 0; i < count; i++) expect(radio.trySend(body(i), { group: "g" })).toBe(true);
  expect(radio.spilledBytes).toBeGreaterThan(0);
  const seen: string[] = [];
  while (seen.length < count) {
    const [message] = await withTimeout(dish.receive(), 5000, `message ${seen.length}`);
    if (String(message) !== "probe") seen.push(String(message));
  }
  expect(seen.findIndex((m, i) => m !== body(i))).toBe(-1);
});
