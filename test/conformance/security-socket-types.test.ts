// PLAIN and CURVE under every socket type that speaks ZMTP (STREAM has no mechanism), over tcp and
// ipc, with heartbeats running: bunzmq on both sides. Each pairing handshakes through its mechanism
// (the server's authenticator sees the client), then carries a multipart message each way it can.
// The same mechanisms against libzmq: test/interop/plain.test.ts, curve.test.ts, curve-auth.test.ts.

import { describe, expect, test } from "bun:test";
import {
  Dealer,
  Pair,
  Publisher,
  Pull,
  Push,
  Reply,
  Request,
  Router,
  type Socket,
  Subscriber,
  XPublisher,
  XSubscriber,
  curveKeyPair,
} from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { awaitJoined, nextMessage, SYNC_TOPIC } from "../helpers/pubsub.ts";
import { withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();
const TEST_TIMEOUT = 15_000;
const server = curveKeyPair();
const client = curveKeyPair();

type Options = Record<string, unknown>;
type Mechanism = "PLAIN" | "CURVE";

/** Server and client options of a mechanism; `seen` collects what the server's authenticator was asked. */
function security(mechanism: Mechanism, seen: string[]): { server: Options; client: Options } {
  const authenticate = (request: { mechanism: string; username?: string; publicKey?: string }) => {
    seen.push(request.mechanism === "PLAIN" ? `PLAIN ${request.username}` : `CURVE ${request.publicKey}`);
    return true;
  };
  const heartbeats = { heartbeatInterval: 100, heartbeatTimeout: 5000 };
  if (mechanism === "PLAIN") {
    return {
      server: { ...heartbeats, plainServer: true, authenticate },
      client: { ...heartbeats, plainUsername: "player", plainPassword: "secret" },
    };
  }
  return {
    server: { ...heartbeats, curveServer: true, curveSecretKey: server.secretKey, authenticate },
    client: { ...heartbeats, curveServerKey: server.publicKey, curvePublicKey: client.publicKey, curveSecretKey: client.secretKey },
  };
}

type Make<T> = new (options: Options) => T;

async function bound<T extends Socket>(Type: Make<T>, options: Options, transport: string): Promise<T> {
  const socket = cleanup.track(new Type({ linger: 0, ...options }));
  await socket.bind(transport === "tcp" ? TCP_ANY : "ipc://*");
  return socket;
}

function connected<T extends Socket>(Type: Make<T>, options: Options, endpoint: string): T {
  const socket = cleanup.track(new Type({ linger: 0, ...options }));
  socket.connect(endpoint);
  return socket;
}

async function receive(socket: { receive(): Promise<Buffer[]> }, what: string): Promise<string[]> {
  return (await withTimeout(socket.receive(), 5000, what)).map(String);
}

/** What the server's authenticator must have been asked about our one client. */
function expectAuthenticated(mechanism: Mechanism, seen: string[]): void {
  expect(seen).toEqual([mechanism === "PLAIN" ? "PLAIN player" : `CURVE ${client.publicKey}`]);
}

for (const mechanism of ["PLAIN", "CURVE"] as const) {
  for (const transport of ["tcp", "ipc"] as const) {
    describe(`${mechanism} over ${transport}`, () => {
      test(
        "PAIR ↔ PAIR, both ways",
        async () => {
          const seen: string[] = [];
          const options = security(mechanism, seen);
          const a = await bound(Pair, options.server, transport);
          const b = connected(Pair, options.client, a.lastEndpoint!);
          await b.send(["ping", "1"]);
          expect(await receive(a, "PAIR server side")).toEqual(["ping", "1"]);
          await a.send(["pong", ""]);
          expect(await receive(b, "PAIR client side")).toEqual(["pong", ""]);
          expectAuthenticated(mechanism, seen);
        },
        TEST_TIMEOUT,
      );

      test(
        "PUSH → PULL, and REQ ↔ REP",
        async () => {
          const seen: string[] = [];
          const options = security(mechanism, seen);
          const pull = await bound(Pull, options.server, transport);
          await connected(Push, options.client, pull.lastEndpoint!).send(["a", "b"]);
          expect(await receive(pull, "PULL")).toEqual(["a", "b"]);
          const rep = await bound(Reply, options.server, transport);
          const req = connected(Request, options.client, rep.lastEndpoint!);
          await req.send("question");
          expect(await receive(rep, "REP")).toEqual(["question"]);
          await rep.send("answer");
          expect(await receive(req, "REQ")).toEqual(["answer"]);
          expect(seen.length).toBe(2);
        },
        TEST_TIMEOUT,
      );

      test(
        "DEALER ↔ ROUTER with a routing id",
        async () => {
          const seen: string[] = [];
          const options = security(mechanism, seen);
          const router = await bound(Router, options.server, transport);
          const dealer = connected(Dealer, { ...options.client, routingId: "d1" }, router.lastEndpoint!);
          await dealer.send(["", "hello"]);
          expect(await receive(router, "ROUTER")).toEqual(["d1", "", "hello"]);
          await router.send(["d1", "", "back"]);
          expect(await receive(dealer, "DEALER")).toEqual(["", "back"]);
          expectAuthenticated(mechanism, seen);
        },
        TEST_TIMEOUT,
      );

      test(
        "PUB → SUB and XPUB ↔ XSUB: subscriptions travel through the mechanism",
        async () => {
          const seen: string[] = [];
          const options = security(mechanism, seen);
          const pub = await bound(Publisher, options.server, transport);
          const sub = connected(Subscriber, options.client, pub.lastEndpoint!);
          sub.subscribe("game", SYNC_TOPIC);
          await awaitJoined(
            () => pub.send(SYNC_TOPIC),
            () => sub.tryReceive(),
          );
          await pub.send(["other", "skipped"]);
          await pub.send(["game", "state"]);
          expect(await nextMessage(() => sub.tryReceive())).toBe("game|state");

          const xpub = await bound(XPublisher, options.server, transport);
          const xsub = connected(XSubscriber, options.client, xpub.lastEndpoint!);
          await xsub.send("\x01topic");
          expect(await receive(xpub, "the subscription at XPUB")).toEqual(["\x01topic"]);
          expect(seen.length).toBe(2);
        },
        TEST_TIMEOUT,
      );
    });
  }
}
