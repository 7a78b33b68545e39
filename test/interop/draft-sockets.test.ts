// The DRAFT socket types between bunzmq and libzmq 4.3.5 built with the draft API, in one process:
// every pairing (CLIENT/SERVER, RADIO/DISH, SCATTER/GATHER, PEER/PEER, CHANNEL/CHANNEL), each role
// played by either library, either side binding, over tcp and ipc.

import { describe, expect, test } from "bun:test";
import { LibzmqDraftSocket, ZMQ } from "../../peers/libzmq/index.ts";
import { Channel, Client, Dish, Gather, Peer, Radio, Scatter, Server } from "../../src/draft.ts";
import type { SocketInit } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { anyEndpoint } from "../helpers/endpoint.ts";
import { DRAFT_LIBZMQ, draftLibzmqMissing } from "../helpers/libzmq-draft.ts";
import { waitFor, withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();
const missing = draftLibzmqMissing("test/interop/draft-sockets.test.ts");

function theirs(type: number): LibzmqDraftSocket {
  return new LibzmqDraftSocket(cleanup.libzmq({ library: DRAFT_LIBZMQ! }).socket(type));
}

function ours<T extends { close(): unknown }>(type: new (options?: SocketInit) => T): T {
  return cleanup.track(new type({ linger: 0 } as SocketInit));
}

/** Binds one side and connects the other over `transport`, as `ourSideBinds` says. */
async function link(
  transport: "tcp" | "ipc",
  ourSideBinds: boolean,
  mine: { bind(a: string): Promise<void>; connect(a: string): void; lastEndpoint: string | null },
  other: LibzmqDraftSocket,
): Promise<void> {
  if (ourSideBinds) {
    await mine.bind(anyEndpoint(transport));
    other.socket.connect(mine.lastEndpoint!);
  } else {
    other.socket.bind(anyEndpoint(transport));
    mine.connect(other.socket.lastEndpoint);
  }
}

describe.skipIf(missing)("DRAFT sockets against libzmq 4.3.5 (draft API)", () => {
  for (const transport of ["tcp", "ipc"] as const) {
    for (const ourSideBinds of [true, false]) {
      const how = `over ${transport}, ${ourSideBinds ? "bunzmq binds" : "libzmq binds"}`;

      test(`a bunzmq Client and a libzmq SERVER exchange request and reply ${how}`, async () => {
        const client = ours(Client);
        const server = theirs(ZMQ.SERVER);
        await link(transport, ourSideBinds, client, server);
        await client.send("ping");
        const request = await server.receive();
        expect([String(request.body), request.routingId !== 0]).toEqual(["ping", true]);
        await server.send("pong", { routingId: request.routingId });
        const [reply] = await withTimeout(client.receive(), 5000, "the SERVER's reply");
        expect(String(reply)).toBe("pong");
      });

      test(`a bunzmq Server answers a libzmq CLIENT by routing id ${how}`, async () => {
        const server = ours(Server);
        const client = theirs(ZMQ.CLIENT);
        await link(transport, ourSideBinds, server, client);
        await client.send("ping");
        const [request, { routingId }] = await withTimeout(server.receive(), 5000, "the CLIENT's request");
        expect(String(request)).toBe("ping");
        await server.send("pong", { routingId });
        expect(String((await client.receive()).body)).toBe("pong");
      });

      test(`a bunzmq Radio reaches a libzmq DISH in the groups it joined only ${how}`, async () => {
        const radio = ours(Radio);
        const dish = theirs(ZMQ.DISH);
        dish.join("news");
        await link(transport, ourSideBinds, radio, dish);
        // Slow joiner: the JOIN reaches the Radio some time after the connection; send until it has.
        const first = await waitFor(
          () => {
            radio.trySend("other group", { group: "sport" });
            radio.trySend("first", { group: "news" });
            return dish.tryReceive();
          },
          { what: "the DISH's JOIN to reach the Radio", timeoutMs: 5000 },
        );
        expect([String(first.body), first.group]).toEqual(["first", "news"]);
        await radio.send("last", { group: "news" });
        const received = await waitFor(
          () => {
            const next = dish.tryReceive();
            return next !== null && String(next.body) === "last" ? next : null;
          },
          { what: "the last news", timeoutMs: 5000 },
        );
        expect(received.group).toBe("news");
      });

      test(`a libzmq RADIO reaches a bunzmq Dish in the groups it joined only ${how}`, async () => {
        const dish = ours(Dish);
        const radio = theirs(ZMQ.RADIO);
        dish.join("news");
        await link(transport, ourSideBinds, dish, radio);
        const groups: string[] = [];
        await waitFor(
          () => {
            radio.trySend("other group", { group: "sport" });
            radio.trySend("first", { group: "news" });
            for (let message = dish.tryReceive(); message !== null; message = dish.tryReceive()) groups.push(String(message[1].group));
            return groups.length > 0;
          },
          { what: "our JOIN to reach the RADIO", timeoutMs: 5000 },
        );
        expect(new Set(groups)).toEqual(new Set(["news"]));
        dish.leave("news");
        dish.join("sport");
        const [, { group }] = await waitFor(
          () => {
            radio.trySend("s", { group: "sport" });
            radio.trySend("n", { group: "news" });
            return dish.tryReceive();
          },
          { what: "the LEAVE and JOIN to reach the RADIO", timeoutMs: 5000 },
        );
        expect(String(group)).toBe("sport");
      });

      test(`a bunzmq Scatter feeds a libzmq GATHER and a libzmq SCATTER a bunzmq Gather ${how}`, async () => {
        const scatter = ours(Scatter);
        const gather = theirs(ZMQ.GATHER);
        await link(transport, ourSideBinds, scatter, gather);
        await scatter.send("to libzmq");
        expect(String((await gather.receive()).body)).toBe("to libzmq");

        const ourGather = ours(Gather);
        const theirScatter = theirs(ZMQ.SCATTER);
        await link(transport, ourSideBinds, ourGather, theirScatter);
        await theirScatter.send("to bunzmq");
        const [message] = await withTimeout(ourGather.receive(), 5000, "the SCATTER's message");
        expect(String(message)).toBe("to bunzmq");
      });

      test(`a bunzmq Peer and a libzmq PEER speak first either way ${how}`, async () => {
        const peer = ours(Peer);
        const other = theirs(ZMQ.PEER);
        if (ourSideBinds) {
          await peer.bind(anyEndpoint(transport));
          const id = other.connectPeer(peer.lastEndpoint!);
          await other.send("hello from libzmq", { routingId: id });
          const [message, { routingId }] = await withTimeout(peer.receive(), 5000, "the PEER's message");
          expect(String(message)).toBe("hello from libzmq");
          await peer.send("and back", { routingId });
          expect(String((await other.receive()).body)).toBe("and back");
        } else {
          other.socket.bind(anyEndpoint(transport));
          const id = peer.connectPeer(other.socket.lastEndpoint);
          await peer.send("hello from bunzmq", { routingId: id });
          const message = await other.receive();
          expect(String(message.body)).toBe("hello from bunzmq");
          await other.send("and back", { routingId: message.routingId });
          const [reply, { routingId }] = await withTimeout(peer.receive(), 5000, "the PEER's reply");
          expect([String(reply), routingId]).toEqual(["and back", id]);
        }
      });

      test(`a bunzmq Channel and a libzmq CHANNEL exchange both ways ${how}`, async () => {
        const channel = ours(Channel);
        const other = theirs(ZMQ.CHANNEL);
        await link(transport, ourSideBinds, channel, other);
        await channel.send("from bunzmq");
        expect(String((await other.receive()).body)).toBe("from bunzmq");
        await other.send("from libzmq");
        const [message] = await withTimeout(channel.receive(), 5000, "the CHANNEL's message");
        expect(String(message)).toBe("from libzmq");
      });
    }
  }

  test("both libraries refuse a multipart send on a DRAFT socket with EINVAL", async () => {
    const client = ours(Client);
    // The types already say one frame; the check is for JavaScript callers.
    await expect(client.send(["a", "b"] as never)).rejects.toMatchObject({ code: "EINVAL" });
    const server = theirs(ZMQ.SERVER);
    expect(() => server.socket.trySend(["a", "b"])).toThrow(/EINVAL/);
  });
});
