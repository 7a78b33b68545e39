// The DRAFT socket types (bunzmq/draft) over every row of transports.ts, in the cases whose meaning
// carries over from transport-conformance.test.ts: every pairing exchanges, a 16 MiB single-part
// message crosses, and after the bound side goes and comes back a connecting Dish joins its groups
// again and a Client's queued messages arrive. Gaps and divergences come from the same rows.

import { expect } from "bun:test";
import { Channel, Client, Dish, Gather, Peer, Radio, Scatter, Server } from "../../src/draft.ts";
import type { Socket, SocketInit } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { pattern } from "../helpers/payload.ts";
import { waitFor, withTimeout } from "../helpers/wait.ts";
import { conformanceTest, forEachTransport, peersGone, peersReady, type TransportRow } from "./transports.ts";

const cleanup = useCleanup();
const HUGE = 16 * 1024 * 1024;
const RECONNECT_MS = 10;

function open<T extends Socket>(type: new (options?: SocketInit) => T, options: SocketInit = {}): T {
  return cleanup.track(new type({ linger: 0, ...options }));
}

async function bound<T extends Socket>(row: TransportRow, type: new (options?: SocketInit) => T): Promise<T> {
  const socket = open(type);
  await socket.bind(row.bindable());
  return socket;
}

/** Binds `endpoint` again once the old listener is gone (a tcp port just released may be refused for a moment). */
async function rebind(socket: Socket, endpoint: string): Promise<void> {
  await waitFor(
    () =>
      socket.bind(endpoint).then(
        () => true,
        () => false,
      ),
    { what: `${endpoint} to be free again` },
  );
}

/** Sends to `group` until the Dish receives a message of it (the JOIN has reached the Radio); bounded. */
async function untilDishHears(radio: Radio, dish: Dish, group: string): Promise<string> {
  const [body] = await waitFor(
    () => {
      radio.trySend(`to ${group}`, { group });
      return dish.tryReceive();
    },
    { what: `the Dish to hear group ${group}` },
  );
  return String(body);
}

forEachTransport((row) => {
  conformanceTest(row, "exchange", "every DRAFT pairing exchanges single-part messages", async () => {
    const server = await bound(row, Server);
    const client = open(Client);
    client.connect(server.lastEndpoint!);
    await client.send("request");
    const [request, { routingId }] = await withTimeout(server.receive(), 5000, "the request");
    await server.send(`re: ${request}`, { routingId });
    expect(String((await withTimeout(client.receive(), 5000, "the reply"))[0])).toBe("re: request");

    const dish = await bound(row, Dish);
    dish.join("g");
    const radio = open(Radio);
    radio.connect(dish.lastEndpoint!);
    expect(await untilDishHears(radio, dish, "g")).toBe("to g");

    const gather = await bound(row, Gather);
    const scatter = open(Scatter);
    scatter.connect(gather.lastEndpoint!);
    await scatter.send("scattered");
    expect(String((await withTimeout(gather.receive(), 5000, "the scattered message"))[0])).toBe("scattered");

    const peerA = await bound(row, Peer);
    const peerB = open(Peer);
    await peerB.send("first word", { routingId: peerB.connectPeer(peerA.lastEndpoint!) });
    const [word, from] = await withTimeout(peerA.receive(), 5000, "the peer's first word");
    await peerA.send(`re: ${word}`, from);
    expect(String((await withTimeout(peerB.receive(), 5000, "the peer's answer"))[0])).toBe("re: first word");

    const channelA = await bound(row, Channel);
    const channelB = open(Channel);
    channelB.connect(channelA.lastEndpoint!);
    await channelB.send("b to a");
    expect(String((await withTimeout(channelA.receive(), 5000, "b to a"))[0])).toBe("b to a");
    await channelA.send("a to b");
    expect(String((await withTimeout(channelB.receive(), 5000, "a to b"))[0])).toBe("a to b");
  });

  conformanceTest(row, "huge message", "a 16 MiB single-part message crosses from a Client to a Server and back", async () => {
    const server = await bound(row, Server);
    const client = open(Client);
    client.connect(server.lastEndpoint!);
    const huge = pattern(HUGE);
    await client.send(huge);
    const [received, { routingId }] = await withTimeout(server.receive(), 10_000, "the huge request");
    expect(received.equals(huge)).toBe(true);
    await server.send(received, { routingId });
    expect((await withTimeout(client.receive(), 10_000, "the huge reply"))[0]!.equals(huge)).toBe(true);
  });

  conformanceTest(
    row,
    "reconnect",
    "when the bound side goes and binds again, a Dish joins its groups again and a Client's queued requests arrive",
    async () => {
      const endpoint = row.vacant();
      const firstRadio = open(Radio);
      await firstRadio.bind(endpoint);
      const dish = open(Dish, { reconnectInterval: RECONNECT_MS });
      dish.join("weather");
      dish.connect(endpoint);
      expect(await untilDishHears(firstRadio, dish, "weather")).toBe("to weather");
      const gone = peersGone(row, dish);
      firstRadio.close();
      await gone;
      const secondRadio = open(Radio);
      await rebind(secondRadio, endpoint);
      expect(await untilDishHears(secondRadio, dish, "weather")).toBe("to weather");

      const serverEndpoint = row.vacant();
      const firstServer = open(Server);
      await firstServer.bind(serverEndpoint);
      const client = open(Client, { reconnectInterval: RECONNECT_MS });
      const ready = peersReady(row, client, 1);
      client.connect(serverEndpoint);
      await ready;
      const left = peersGone(row, client);
      firstServer.close();
      await left;
      await withTimeout(client.send("queued"), 5000, "a send while the Server is away");
      const secondServer = open(Server);
      await rebind(secondServer, serverEndpoint);
      expect(String((await withTimeout(secondServer.receive(), 5000, "the queued request"))[0])).toBe("queued");
    },
  );
});
