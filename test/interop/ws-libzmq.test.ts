// ws:// (ZWS 2.0, RFC 45) between bunzmq and libzmq 4.3.5's DRAFT build, the one libzmq with a
// WebSocket transport: REQ/REP, DEALER/ROUTER, PUB/SUB and PUSH/PULL each way round, bodies from
// 0 B to 1 MiB and multipart, CURVE in both roles (subprotocol ZWS2.0/CURVE), PLAIN, heartbeats,
// and wss:// each way with a CA the test makes (openssl; skipped without it). The build sits
// beside the repository (shared/peers/) or at $BUNZMQ_LIBZMQ_DRAFT; without it these tests are
// skipped with the reason printed, except under CI=true, where it must be there.

import { describe, expect, test } from "bun:test";
import type { LibzmqSocket } from "../../peers/libzmq/index.ts";
import { DRAFT_LIBZMQ_ENV, draftLibzmqPath, ZMQ } from "../../peers/libzmq/index.ts";
import { type AuthenticateRequest, Dealer, Publisher, Pull, Push, Reply, Request, Router, Subscriber } from "../../src/index.ts";
import { makeCertificates, OPENSSL } from "../helpers/certificates.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { CLIENT_OPTIONS, libzmqCurveClient, libzmqCurveServer, SERVER_OPTIONS } from "../helpers/curve.ts";
import { EventLog } from "../helpers/events.ts";
import { BODY_SIZES, endpointOf, pattern } from "../helpers/payload.ts";
import { exchangeFor, waitFor, withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();
const draft = draftLibzmqPath();
const MISSING = `the DRAFT libzmq build is not beside the repository (shared/peers/libzmq-4.3.5-draft) and ${DRAFT_LIBZMQ_ENV} is unset`;
const WS_ANY = "ws://127.0.0.1:*/zmq";
const TEST_TIMEOUT = 20_000;
type Order = "bunzmq binds" | "libzmq binds";
const ORDERS: Order[] = ["bunzmq binds", "libzmq binds"];
const BODIES = BODY_SIZES.map((size) => pattern(size));

if (draft === null && process.env.CI === "true") {
  test("the DRAFT libzmq build is present (CI provides it)", () => {
    throw new Error(MISSING);
  });
} else if (draft === null) {
  console.log(`test/interop/ws-libzmq.test.ts: skipped: ${MISSING}`);
}

function libzmqSocket(type: number, configure?: (socket: LibzmqSocket) => void): LibzmqSocket {
  const socket = cleanup.libzmq({ library: draft! }).socket(type);
  socket.setInt(ZMQ.LINGER, 0);
  configure?.(socket);
  return socket;
}

/** Binds one side over ws:// and connects the other, as `order` says. */
async function join(
  order: Order,
  ours: { bind(e: string): Promise<void>; connect(e: string): void; lastEndpoint: string | null },
  theirs: LibzmqSocket,
): Promise<void> {
  if (order === "bunzmq binds") {
    await ours.bind(WS_ANY);
    theirs.connect(endpointOf(ours));
  } else {
    theirs.bind(WS_ANY);
    ours.connect(theirs.lastEndpoint);
  }
}

function receive<T>(socket: { receive(): Promise<T> }, what: string): Promise<T> {
  return withTimeout(socket.receive(), 5000, what);
}

/** Every body alone, then all of them as one multipart message. */
async function exchangeBodies(send: (frames: Buffer[]) => Promise<void>, next: () => Promise<Buffer[]>): Promise<void> {
  for (const body of BODIES) {
    await send([body]);
    const [frame] = await next();
    expect(frame!.equals(body)).toBe(true);
  }
  await send(BODIES);
  const frames = await next();
  expect(frames.map((frame) => frame.length)).toEqual(BODIES.map((body) => body.length));
  expect(frames.every((frame, i) => frame.equals(BODIES[i]!))).toBe(true);
}

describe.skipIf(draft === null)("ws:// with libzmq 4.3.5 (ZWS 2.0)", () => {
  for (const order of ORDERS) {
    test(
      `PUSH/PULL both ways, 0 B to 1 MiB and multipart; ${order}`,
      async () => {
        const push = cleanup.track(new Push({ linger: 0 }));
        const theirPull = libzmqSocket(ZMQ.PULL);
        await join(order, push, theirPull);
        await exchangeBodies(
          (frames) => push.send(frames),
          () => theirPull.receive(),
        );
        const pull = cleanup.track(new Pull({ linger: 0 }));
        const theirPush = libzmqSocket(ZMQ.PUSH);
        await join(order, pull, theirPush);
        await exchangeBodies(
          (frames) => theirPush.send(frames),
          () => receive(pull, "libzmq's PUSH over ws"),
        );
      },
      TEST_TIMEOUT,
    );

    test(
      `REQ/REP both ways; ${order}`,
      async () => {
        const req = cleanup.track(new Request({ linger: 0 }));
        const theirRep = libzmqSocket(ZMQ.REP);
        await join(order, req, theirRep);
        for (const body of BODIES) {
          await req.send(["q", body]);
          const asked = await theirRep.receive();
          expect(asked[1]!.equals(body)).toBe(true);
          await theirRep.send(["r", asked[1]!]);
          const [tag, echoed] = await receive(req, "libzmq's reply");
          expect(String(tag)).toBe("r");
          expect(echoed!.equals(body)).toBe(true);
        }
        const rep = cleanup.track(new Reply({ linger: 0 }));
        const theirReq = libzmqSocket(ZMQ.REQ);
        await join(order, rep, theirReq);
        for (let i = 0; i < 3; i++) {
          await theirReq.send([`q${i}`]);
          const [asked] = await receive(rep, "libzmq's request");
          await rep.send(`r:${asked}`);
          expect((await theirReq.receive()).map(String)).toEqual([`r:q${i}`]);
        }
      },
      TEST_TIMEOUT,
    );

    test(
      `DEALER/ROUTER both ways, routing ids kept; ${order}`,
      async () => {
        const dealer = cleanup.track(new Dealer({ linger: 0, routingId: "ours" }));
        const theirRouter = libzmqSocket(ZMQ.ROUTER);
        await join(order, dealer, theirRouter);
        await dealer.send(["", "hello"]);
        const [identity, , hello] = await theirRouter.receive();
        expect([String(identity), String(hello)]).toEqual(["ours", "hello"]);
        await theirRouter.send([identity!, "", BODIES[4]!]);
        const [, big] = await receive(dealer, "libzmq ROUTER's reply");
        expect(big!.equals(BODIES[4]!)).toBe(true);

        const router = cleanup.track(new Router({ linger: 0 }));
        const theirDealer = libzmqSocket(ZMQ.DEALER, (socket) => socket.setBytes(ZMQ.ROUTING_ID, "theirs"));
        await join(order, router, theirDealer);
        await theirDealer.send(["a", "b"]);
        const [who, a, b] = await receive(router, "libzmq DEALER's message");
        expect([String(who), String(a), String(b)]).toEqual(["theirs", "a", "b"]);
        await router.send([who!, "back"]);
        expect((await theirDealer.receive()).map(String)).toEqual(["back"]);
      },
      TEST_TIMEOUT,
    );

    test(
      `PUB/SUB both ways, subscriptions honoured; ${order}`,
      async () => {
        const pub = cleanup.track(new Publisher({ linger: 0 }));
        const theirSub = libzmqSocket(ZMQ.SUB, (socket) => socket.setBytes(ZMQ.SUBSCRIBE, "news"));
        await join(order, pub, theirSub);
        // A subscription reaches the publisher some time after the connection: publish until it has.
        const first = await waitFor(
          async () => {
            await pub.send(["sport", "no"]);
            await pub.send(["news", "yes"]);
            return theirSub.tryReceive();
          },
          { what: "libzmq SUB's first message" },
        );
        expect(first.map(String)).toEqual(["news", "yes"]);

        const sub = cleanup.track(new Subscriber({ linger: 0 }));
        sub.subscribe("news");
        const theirPub = libzmqSocket(ZMQ.PUB);
        await join(order, sub, theirPub);
        const received = sub.receive();
        const timer = setInterval(() => {
          theirPub.trySend(["sport", "no"]);
          theirPub.trySend(["news", "yes"]);
        }, 5);
        try {
          expect((await withTimeout(received, 5000, "libzmq PUB's message")).map(String)).toEqual(["news", "yes"]);
        } finally {
          clearInterval(timer);
        }
      },
      TEST_TIMEOUT,
    );

    test(
      `our heartbeat keeps an idle link to libzmq up: its answers to our WebSocket pings count as traffic; ${order}`,
      async () => {
        // Data flows from us only, so our heartbeatTimeout (150 ms) is fed by libzmq's answers alone.
        const push = cleanup.track(new Push({ linger: 0, heartbeatInterval: 50, heartbeatTimeout: 150 }));
        const log = new EventLog(push);
        const theirPull = libzmqSocket(ZMQ.PULL);
        await join(order, push, theirPull);
        await log.waitFor("handshake");
        const count = await exchangeFor(
          1000,
          async () => {
            await push.send("tick");
            await theirPull.receive();
          },
          async () => {},
        );
        expect(count).toBeGreaterThan(0);
        expect(log.count("disconnect")).toBe(0);
      },
      TEST_TIMEOUT,
    );

    test(
      `CURVE (ZWS2.0/CURVE) in both roles, 1 MiB inside the boxes; ${order}`,
      async () => {
        // bunzmq the CURVE client, libzmq the server.
        const push = cleanup.track(new Push({ linger: 0, ...CLIENT_OPTIONS }));
        const theirPull = libzmqCurveServer(cleanup.libzmq({ library: draft! }), ZMQ.PULL);
        await join(order, push, theirPull);
        await exchangeBodies(
          (frames) => push.send(frames),
          () => theirPull.receive(),
        );
        // bunzmq the CURVE server, libzmq the client.
        const pull = cleanup.track(new Pull({ linger: 0, ...SERVER_OPTIONS }));
        const log = new EventLog(pull);
        const theirPush = libzmqCurveClient(cleanup.libzmq({ library: draft! }), ZMQ.PUSH);
        await join(order, pull, theirPush);
        await exchangeBodies(
          (frames) => theirPush.send(frames),
          () => receive(pull, "libzmq's CURVE PUSH over ws"),
        );
        expect(log.types()).toContain("handshake");
      },
      TEST_TIMEOUT,
    );
  }

  test(
    "PLAIN (ZWS2.0/PLAIN): a libzmq client's credentials reach our authenticate callback with its IP address",
    async () => {
      const seen: AuthenticateRequest[] = [];
      const authenticate = (request: AuthenticateRequest) => {
        seen.push(request);
        return request.mechanism === "PLAIN" && request.username === "admin" && request.password === "secret";
      };
      const pull = cleanup.track(new Pull({ linger: 0, plainServer: true, authenticate }));
      await pull.bind(WS_ANY);
      const push = libzmqSocket(ZMQ.PUSH, (socket) => {
        socket.setBytes(ZMQ.PLAIN_USERNAME, "admin");
        socket.setBytes(ZMQ.PLAIN_PASSWORD, "secret");
      });
      push.connect(endpointOf(pull));
      await push.send(["hello", "plain"]);
      expect((await receive(pull, "a message over ZWS2.0/PLAIN")).map(String)).toEqual(["hello", "plain"]);
      expect(seen.map((request) => [request.mechanism, "username" in request ? request.username : null, request.address])).toEqual([
        ["PLAIN", "admin", "127.0.0.1"],
      ]);
    },
    TEST_TIMEOUT,
  );

  describe.skipIf(OPENSSL === null)("wss:// with the test's own CA", () => {
    const certificates = OPENSSL === null ? null : makeCertificates();
    test(
      "libzmq's wss client to our wss server, and ours to libzmq's",
      async () => {
        const { ca, cert, key } = certificates!;
        const pull = cleanup.track(new Pull({ linger: 0, wssCertPem: cert, wssKeyPem: key }));
        await pull.bind("wss://127.0.0.1:*/secure");
        const theirPush = libzmqSocket(ZMQ.PUSH, (socket) => {
          socket.setBytes(ZMQ.WSS_TRUST_PEM, ca);
          socket.setBytes(ZMQ.WSS_HOSTNAME, "localhost");
        });
        theirPush.connect(endpointOf(pull));
        await exchangeBodies(
          (frames) => theirPush.send(frames),
          () => receive(pull, "libzmq's message over wss"),
        );

        const theirPull = libzmqSocket(ZMQ.PULL, (socket) => {
          socket.setBytes(ZMQ.WSS_CERT_PEM, cert);
          socket.setBytes(ZMQ.WSS_KEY_PEM, key);
        });
        theirPull.bind("wss://127.0.0.1:*/secure");
        const push = cleanup.track(new Push({ linger: 0, wssTrustPem: ca, wssTrustSystem: false }));
        push.connect(theirPull.lastEndpoint);
        await exchangeBodies(
          (frames) => push.send(frames),
          () => theirPull.receive(),
        );
      },
      TEST_TIMEOUT,
    );
  });
});
