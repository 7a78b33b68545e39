// SERVER and CLIENT (zeromq.js's socket-draft-server-client unit file): a Server echoes two Clients
// by routing id, each gets its own messages back in order, and an unknown routing id is
// EHOSTUNREACH with zeromq.js's message.

import { expect, test } from "bun:test";
import { capability } from "../../src/index.ts";
import { Client, Server } from "../../src/draft.ts";
import { ALL_TRANSPORTS, expectRejection, forEachTransport, freshEndpoint, useSockets, withTimeout } from "./support.ts";

const sockets = useSockets();
const MESSAGES = ["foo", "bar", "baz", "qux"];

test("capability.draft is true, so zeromq.js runs its DRAFT tests", () => {
  expect(capability.draft).toBe(true);
});

/** Iterates `client` until `count` replies arrived; bounded. */
async function replies(client: Client, count: number): Promise<string[]> {
  const received: string[] = [];
  const iterate = async () => {
    for await (const [message] of client) {
      if (received.push(message.toString()) === count) break;
    }
  };
  await withTimeout(iterate(), 5000, `${count} replies (have ${received.length})`);
  return received;
}

forEachTransport(ALL_TRANSPORTS, (transport) => {
  test("a Server echoes each Client's messages back to it by routing id", async () => {
    const [server, clientA, clientB] = [sockets.open(Server), sockets.open(Client), sockets.open(Client)];
    await server.bind(freshEndpoint(transport));
    clientA.connect(server.lastEndpoint!);
    clientB.connect(server.lastEndpoint!);
    const echo = async () => {
      for await (const [message, { routingId }] of server) {
        expect(typeof routingId).toBe("number");
        await server.send(message, { routingId });
      }
    };
    const echoing = echo();
    for (const text of MESSAGES) {
      await clientA.send(text);
      await clientB.send(text);
    }
    expect(await replies(clientA, MESSAGES.length)).toEqual(MESSAGES);
    expect(await replies(clientB, MESSAGES.length)).toEqual(MESSAGES);
    server.close();
    await withTimeout(echoing, 5000, "the echo loop to end with the Server");
  });

  test("a send to a routing id no peer has rejects with EHOSTUNREACH", async () => {
    const server = sockets.open(Server);
    await server.bind(freshEndpoint(transport));
    await expectRejection(server.send("foo", { routingId: 12345 }), { message: "Host unreachable", code: "EHOSTUNREACH" });
  });
});
