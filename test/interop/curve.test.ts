// CURVE (RFC 25/26) between bunzmq and libzmq 4.3.4, both roles (zmtp-notes §5.2, §9 items 20-21):
// REQ/REP, DEALER/ROUTER, PUSH/PULL, PUB/SUB and XPUB under CURVE, keys as Z85 or bytes, heartbeats
// inside CURVE (PING/PONG travel as MESSAGEs with inner flag 0x02) and ipc://. ZAP and the failure
// cases are in curve-auth.test.ts. Keys are the zmtp-notes §5.2 vectors (test/helpers/curve.ts).

import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LibzmqSocket } from "../../peers/libzmq/index.ts";
import { ZMQ } from "../../peers/libzmq/index.ts";
import { Dealer, Publisher, Pull, Push, Reply, Request, Router, Subscriber, XPublisher } from "../../src/index.ts";
import { z85Decode } from "../../src/extras.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { CLIENT, CLIENT_OPTIONS, SERVER, SERVER_OPTIONS, libzmqCurveClient, libzmqCurveServer } from "../helpers/curve.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { EventLog } from "../helpers/events.ts";
import { pattern } from "../helpers/payload.ts";
import { awaitJoined, describeMessage, nextMessage, SYNC_TOPIC } from "../helpers/pubsub.ts";
import { exchangeFor, waitFor, withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();
const TEST_TIMEOUT = 15_000;
const MiB = 1024 * 1024;
const text = (message: Buffer[]): string[] => message.map(String);

function receive<T>(socket: { receive(): Promise<T> }, what: string): Promise<T> {
  return withTimeout(socket.receive(), 5000, what);
}

/** A bound libzmq CURVE server of `type` (SERVER's keys) on a fresh loopback port. */
function libzmqServer(type: number, configure?: (socket: LibzmqSocket) => void): LibzmqSocket {
  const socket = libzmqCurveServer(cleanup.libzmq(), type);
  configure?.(socket);
  socket.bind(TCP_ANY);
  return socket;
}

/** A libzmq CURVE client of `type` (CLIENT's keys, SERVER as server), connected to `endpoint`. */
function libzmqClient(type: number, endpoint: string, configure?: (socket: LibzmqSocket) => void): LibzmqSocket {
  const socket = libzmqCurveClient(cleanup.libzmq(), type);
  configure?.(socket);
  socket.connect(endpoint);
  return socket;
}

describe("bunzmq CURVE client to libzmq CURVE server", () => {
  test(
    "REQ/REP: 100 round trips between our REQ and libzmq's REP",
    async () => {
      const rep = libzmqServer(ZMQ.REP);
      const monitor = rep.monitor();
      cleanup.add(() => monitor.close());
      const req = cleanup.track(new Request({ linger: 0, ...CLIENT_OPTIONS }));
      const log = new EventLog(req);
      req.connect(rep.lastEndpoint);
      for (let i = 0; i < 100; i++) {
        await req.send(["q", String(i)]);
        expect(text(await rep.receive())).toEqual(["q", String(i)]);
        await rep.send(["r", String(i)]);
        expect(text(await receive(req, "a reply"))).toEqual(["r", String(i)]);
      }
      expect(log.count("handshake")).toBe(1);
      expect(monitor.count("HANDSHAKE_SUCCEEDED")).toBe(1);
    },
    TEST_TIMEOUT,
  );

  test(
    "DEALER/ROUTER: multipart with an empty frame, and 1 MiB both ways",
    async () => {
      const router = libzmqServer(ZMQ.ROUTER);
      const dealer = cleanup.track(new Dealer({ linger: 0, routingId: "curve-dealer", ...CLIENT_OPTIONS }));
      dealer.connect(router.lastEndpoint);
      await dealer.send(["a", "", "c"]);
      expect(text(await router.receive())).toEqual(["curve-dealer", "a", "", "c"]);
      await router.send(["curve-dealer", "", "x", ""]);
      expect(text(await receive(dealer, "a multipart reply"))).toEqual(["", "x", ""]);
      const up = pattern(MiB, 3);
      await dealer.send([up, "tail"]);
      const atRouter = await router.receive();
      expect(atRouter.length).toBe(3);
      expect(atRouter[1]!.equals(up)).toBe(true);
      const down = pattern(MiB, 11);
      await router.send(["curve-dealer", down]);
      const atDealer = await receive(dealer, "1 MiB from libzmq");
      expect(atDealer.length).toBe(1);
      expect(atDealer[0]!.equals(down)).toBe(true);
    },
    TEST_TIMEOUT,
  );
});

describe("libzmq CURVE client to bunzmq CURVE server", () => {
  test(
    "REQ/REP: 100 round trips between libzmq's REQ and our REP",
    async () => {
      const rep = cleanup.track(new Reply({ linger: 0, ...SERVER_OPTIONS }));
      await rep.bind(TCP_ANY);
      const req = libzmqClient(ZMQ.REQ, rep.lastEndpoint!);
      for (let i = 0; i < 100; i++) {
        await req.send(["q", String(i)]);
        expect(text(await receive(rep, "a request"))).toEqual(["q", String(i)]);
        await rep.send(["r", String(i)]);
        expect(text(await req.receive())).toEqual(["r", String(i)]);
      }
    },
    TEST_TIMEOUT,
  );

  test(
    "DEALER/ROUTER: multipart with an empty frame, and 1 MiB both ways",
    async () => {
      const router = cleanup.track(new Router({ linger: 0, ...SERVER_OPTIONS }));
      await router.bind(TCP_ANY);
      const dealer = libzmqClient(ZMQ.DEALER, router.lastEndpoint!, (s) => s.setBytes(ZMQ.ROUTING_ID, "zmq-dealer"));
      await dealer.send(["a", "", "c"]);
      expect(text(await receive(router, "a multipart message"))).toEqual(["zmq-dealer", "a", "", "c"]);
      await router.send(["zmq-dealer", "", "x", ""]);
      expect(text(await dealer.receive())).toEqual(["", "x", ""]);
      const up = pattern(MiB, 5);
      await dealer.send([up]);
      const atRouter = await receive(router, "1 MiB from libzmq");
      expect(atRouter.length).toBe(2);
      expect(atRouter[1]!.equals(up)).toBe(true);
      const down = pattern(MiB, 13);
      await router.send(["zmq-dealer", "head", down]);
      const atDealer = await dealer.receive();
      expect(atDealer.length).toBe(2);
      expect(atDealer[1]!.equals(down)).toBe(true);
    },
    TEST_TIMEOUT,
  );

  test(
    "PUSH/PULL: libzmq's PUSH delivers multipart and 1 MiB to our PULL",
    async () => {
      const pull = cleanup.track(new Pull({ linger: 0, ...SERVER_OPTIONS }));
      await pull.bind(TCP_ANY);
      const push = libzmqClient(ZMQ.PUSH, pull.lastEndpoint!);
      const big = pattern(MiB, 17);
      await push.send(["first", "", "last"]);
      await push.send([big]);
      expect(text(await receive(pull, "a multipart message"))).toEqual(["first", "", "last"]);
      const received = await receive(pull, "1 MiB from libzmq");
      expect(received.length).toBe(1);
      expect(received[0]!.equals(big)).toBe(true);
    },
    TEST_TIMEOUT,
  );
});

describe("CURVE keys and option reads", () => {
  test(
    "32-byte keys on our client work against libzmq; reads return Z85 and securityMechanism is curve",
    async () => {
      const rep = libzmqServer(ZMQ.REP);
      const bytes = (z85: string) => Buffer.from(z85Decode(z85)!);
      const req = cleanup.track(
        new Request({
          linger: 0,
          curveServerKey: bytes(SERVER.publicKey),
          curvePublicKey: bytes(CLIENT.publicKey),
          curveSecretKey: bytes(CLIENT.secretKey),
        }),
      );
      expect(bytes(SERVER.publicKey).length).toBe(32);
      expect(req.securityMechanism).toBe("curve");
      expect(req.curveServer).toBe(false);
      expect(req.curveServerKey).toBe(SERVER.publicKey);
      expect(req.curvePublicKey).toBe(CLIENT.publicKey);
      expect(req.curveSecretKey).toBe(CLIENT.secretKey);
      req.connect(rep.lastEndpoint);
      await req.send("bytes");
      expect(text(await rep.receive())).toEqual(["bytes"]);
      await rep.send(["ok"]);
      expect(text(await receive(req, "a reply"))).toEqual(["ok"]);
    },
    TEST_TIMEOUT,
  );

  test(
    "a 32-byte secret key on our server works with a libzmq client that gives its keys as bytes",
    async () => {
      const rep = cleanup.track(new Reply({ linger: 0, curveServer: true, curveSecretKey: Buffer.from(z85Decode(SERVER.secretKey)!) }));
      expect(rep.securityMechanism).toBe("curve");
      expect(rep.curveServer).toBe(true);
      expect(rep.curveSecretKey).toBe(SERVER.secretKey);
      await rep.bind(TCP_ANY);
      const req = libzmqCurveClient(cleanup.libzmq(), ZMQ.REQ, {
        serverKey: z85Decode(SERVER.publicKey)!,
        publicKey: z85Decode(CLIENT.publicKey)!,
        secretKey: z85Decode(CLIENT.secretKey)!,
      });
      req.connect(rep.lastEndpoint!);
      await req.send(["raw", "keys"]);
      expect(text(await receive(rep, "a request"))).toEqual(["raw", "keys"]);
      await rep.send("ok");
      expect(text(await req.receive())).toEqual(["ok"]);
    },
    TEST_TIMEOUT,
  );
});

describe("heartbeats inside CURVE", () => {
  test(
    "a libzmq client with HEARTBEAT_IVL 50 / TIMEOUT 150 stays connected to our CURVE server, fed only by our PONGs",
    async () => {
      const pull = cleanup.track(new Pull({ linger: 0, ...SERVER_OPTIONS }));
      const log = new EventLog(pull);
      await pull.bind(TCP_ANY);
      const push = libzmqCurveClient(cleanup.libzmq(), ZMQ.PUSH);
      push.setInt(ZMQ.HEARTBEAT_IVL, 50);
      push.setInt(ZMQ.HEARTBEAT_TIMEOUT, 150);
      const monitor = push.monitor();
      cleanup.add(() => monitor.close());
      push.connect(pull.lastEndpoint!);
      await monitor.waitFor("HANDSHAKE_SUCCEEDED");
      // Data flows libzmq -> us only, so libzmq's 150 ms time-out (re-armed by each PING) is reset by
      // nothing but our PONGs, which must come back as sealed MESSAGEs with inner flag 0x02.
      const count = await exchangeFor(
        1000,
        () => push.send(["tick"]),
        () => pull.receive(),
      );
      expect(count).toBeGreaterThan(0);
      expect(monitor.names().filter((n) => n === "DISCONNECTED")).toEqual([]);
      expect(log.count("disconnect")).toBe(0);
      expect(log.count("handshake")).toBe(1);
    },
    TEST_TIMEOUT,
  );

  test(
    "our CURVE client with heartbeatInterval 50 / heartbeatTimeout 150 stays connected to a libzmq CURVE server",
    async () => {
      const pull = libzmqServer(ZMQ.PULL);
      const monitor = pull.monitor();
      cleanup.add(() => monitor.close());
      const push = cleanup.track(new Push({ linger: 0, heartbeatInterval: 50, heartbeatTimeout: 150, ...CLIENT_OPTIONS }));
      const log = new EventLog(push);
      push.connect(pull.lastEndpoint);
      await log.waitFor("handshake");
      // Data flows us -> libzmq only: our time-out is fed by libzmq's PONGs to our sealed PINGs alone.
      const count = await exchangeFor(
        1000,
        () => push.send("tick"),
        () => pull.receive(),
      );
      expect(count).toBeGreaterThan(0);
      expect(monitor.names().filter((n) => n === "DISCONNECTED")).toEqual([]);
      expect(monitor.count("HANDSHAKE_SUCCEEDED")).toBe(1);
      expect(log.count("disconnect")).toBe(0);
    },
    TEST_TIMEOUT,
  );
});

describe("subscriptions under CURVE", () => {
  test(
    "our SUB (client) gets only matching messages from a libzmq PUB (server)",
    async () => {
      const pub = libzmqServer(ZMQ.PUB);
      const sub = cleanup.track(new Subscriber({ linger: 0, ...CLIENT_OPTIONS }));
      sub.subscribe(SYNC_TOPIC, "wanted");
      sub.connect(pub.lastEndpoint);
      await awaitJoined(
        () => pub.trySend([SYNC_TOPIC]),
        () => sub.tryReceive(),
      );
      for (const topic of ["other", "wanted.1", "want", "xwanted", "wanted"]) await pub.send([topic, "body"]);
      expect(await nextMessage(() => sub.tryReceive())).toBe("wanted.1|body");
      expect(await nextMessage(() => sub.tryReceive())).toBe("wanted|body");
      expect(sub.tryReceive()).toBeNull();
    },
    TEST_TIMEOUT,
  );

  test(
    "a libzmq SUB (client) gets only matching messages from our PUB (server)",
    async () => {
      const pub = cleanup.track(new Publisher({ linger: 0, ...SERVER_OPTIONS }));
      await pub.bind(TCP_ANY);
      const sub = libzmqClient(ZMQ.SUB, pub.lastEndpoint!, (s) => {
        s.setBytes(ZMQ.SUBSCRIBE, SYNC_TOPIC);
        s.setBytes(ZMQ.SUBSCRIBE, "wanted");
      });
      await awaitJoined(
        () => pub.send([SYNC_TOPIC]),
        () => sub.tryReceive(),
      );
      for (const topic of ["other", "wanted.1", "want", "xwanted", "wanted"]) await pub.send([topic, "body"]);
      expect(await nextMessage(() => sub.tryReceive())).toBe("wanted.1|body");
      expect(await nextMessage(() => sub.tryReceive())).toBe("wanted|body");
      expect(sub.tryReceive()).toBeNull();
    },
    TEST_TIMEOUT,
  );

  test(
    "our XPUB (server) sees a libzmq SUB's subscribe and unsubscribe",
    async () => {
      const xpub = cleanup.track(new XPublisher({ linger: 0, ...SERVER_OPTIONS }));
      await xpub.bind(TCP_ANY);
      const sub = libzmqClient(ZMQ.SUB, xpub.lastEndpoint!, (s) => s.setBytes(ZMQ.SUBSCRIBE, "topic"));
      const next = async () =>
        describeMessage(
          await waitFor(
            () => {
              sub.getInt(ZMQ.EVENTS); // let libzmq's SUB run its pending commands (see pub-sub.test.ts)
              return xpub.tryReceive();
            },
            { what: "a notification on our XPUB" },
          ),
        );
      expect(await next()).toBe("+topic");
      sub.setBytes(ZMQ.UNSUBSCRIBE, "topic");
      expect(await next()).toBe("-topic");
    },
    TEST_TIMEOUT,
  );
});

describe("CURVE over ipc://", () => {
  test(
    "a libzmq REQ (client) and our REP (server) on a socket file; authenticate sees an empty address",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "bunzmq-curve-test-"));
      cleanup.add(() => rmSync(dir, { recursive: true, force: true }));
      const endpoint = `ipc://${join(dir, "curve.sock")}`;
      const seen: Array<{ publicKey?: string; address: string }> = [];
      const rep = cleanup.track(
        new Reply({
          linger: 0,
          ...SERVER_OPTIONS,
          authenticate: (request) => {
            seen.push({ publicKey: request.mechanism === "CURVE" ? request.publicKey : undefined, address: request.address });
            return true;
          },
        }),
      );
      await rep.bind(endpoint);
      const req = libzmqClient(ZMQ.REQ, endpoint);
      for (let i = 0; i < 10; i++) {
        await req.send(["over ipc", String(i)]);
        expect(text(await receive(rep, "a request over ipc"))).toEqual(["over ipc", String(i)]);
        await rep.send(["ack", String(i)]);
        expect(text(await req.receive())).toEqual(["ack", String(i)]);
      }
      expect(seen).toEqual([{ publicKey: CLIENT.publicKey, address: "" }]);
    },
    TEST_TIMEOUT,
  );
});
