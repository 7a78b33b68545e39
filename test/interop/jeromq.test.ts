// ZMTP 2.0 interop with a real peer: JeroMQ 0.3.6 (test/helpers/jeromq-peer.ts, one JVM for the file)
// against bunzmq in both directions (each side binding once) for PUSH/PULL, REQ/REP, DEALER/ROUTER
// and PUB/SUB, and PAIR, XPUB and XSUB; plus the 2.0 peers bunzmq refuses (an incompatible socket type, a socket with a
// security mechanism), each without harm to the other peers. Skipped without Java or JeroMQ,
// except under CI=true.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Dealer, Pair, Publisher, Pull, Push, Reply, Request, Router, Subscriber, XPublisher, XSubscriber } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { EventLog } from "../helpers/events.ts";
import { JeromqPeer, jeromqTestsRun } from "../helpers/jeromq-peer.ts";
import { waitFor, withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();
const TEST_TIMEOUT = 30_000;

type Receiving = { receive(): Promise<Buffer[]> };
async function receive(socket: Receiving, what: string): Promise<string[]> {
  return (await withTimeout(socket.receive(), 5000, what)).map(String);
}

describe.skipIf(!jeromqTestsRun)("JeroMQ 0.3.6 (ZMTP 2.0; skipped without Java and JeroMQ, except under CI)", () => {
  let jeromq: JeromqPeer;
  beforeAll(async () => {
    jeromq = await JeromqPeer.start();
  }, 40_000);
  afterAll(async () => {
    await jeromq?.stop();
  });

  /** A JeroMQ socket closed after the test. */
  async function jeromqSocket(id: string, type: string, identity?: string): Promise<string> {
    await jeromq.socket(id, type, identity);
    cleanup.add(() => jeromq.close(id));
    return id;
  }

  test(
    "PUSH/PULL both ways: a bunzmq PUSH dials a JeroMQ PULL, a JeroMQ PUSH dials a bunzmq PULL; multipart intact",
    async () => {
      const pull = await jeromqSocket("pull", "PULL");
      const push = cleanup.track(new Push({ linger: 0 }));
      const log = new EventLog(push);
      push.connect(await jeromq.bind(pull));
      await push.send(["one", "", "three"]);
      expect(await jeromq.receive(pull)).toEqual(["one", "", "three"]);
      // A 2.0 peer announces its type in the greeting and has no properties.
      const handshake = (await log.waitFor("handshake")) as { peer?: { socketType?: string; metadata?: object } };
      expect(handshake.peer).toMatchObject({ socketType: "PULL", metadata: {} });

      const bunPull = cleanup.track(new Pull({ linger: 0 }));
      await bunPull.bind(TCP_ANY);
      const jeromqPush = await jeromqSocket("push", "PUSH");
      await jeromq.connect(jeromqPush, bunPull.lastEndpoint!);
      await jeromq.send(jeromqPush, ["a", "b"]);
      await jeromq.send(jeromqPush, ["x".repeat(300)]);
      expect(await receive(bunPull, "JeroMQ's first message")).toEqual(["a", "b"]);
      expect(await receive(bunPull, "JeroMQ's long frame")).toEqual(["x".repeat(300)]);
    },
    TEST_TIMEOUT,
  );

  test(
    "REQ/REP both ways: a JeroMQ REQ asks a bunzmq REP, a bunzmq REQ asks a JeroMQ REP",
    async () => {
      const rep = cleanup.track(new Reply({ linger: 0 }));
      await rep.bind(TCP_ANY);
      const req = await jeromqSocket("req", "REQ");
      await jeromq.connect(req, rep.lastEndpoint!);
      for (const n of [1, 2]) {
        await jeromq.send(req, [`question ${n}`]);
        const [question] = await receive(rep, `JeroMQ's request ${n}`);
        await rep.send(`answer to ${question}`);
        expect(await jeromq.receive(req)).toEqual([`answer to question ${n}`]);
      }

      const jeromqRep = await jeromqSocket("rep", "REP");
      const bunReq = cleanup.track(new Request({ linger: 0 }));
      bunReq.connect(await jeromq.bind(jeromqRep));
      await bunReq.send("ping");
      expect(await jeromq.receive(jeromqRep)).toEqual(["ping"]);
      await jeromq.send(jeromqRep, ["pong"]);
      expect(await receive(bunReq, "JeroMQ's reply")).toEqual(["pong"]);
    },
    TEST_TIMEOUT,
  );

  test(
    "DEALER/ROUTER both ways: each ROUTER routes by the identity the other side's identity frame carried",
    async () => {
      const router = cleanup.track(new Router({ linger: 0 }));
      await router.bind(TCP_ANY);
      const dealer = await jeromqSocket("dealer", "DEALER", "jd");
      await jeromq.connect(dealer, router.lastEndpoint!);
      await jeromq.send(dealer, ["hello"]);
      expect(await receive(router, "the JeroMQ DEALER's message")).toEqual(["jd", "hello"]);
      await router.send(["jd", "back"]);
      expect(await jeromq.receive(dealer)).toEqual(["back"]);

      const jeromqRouter = await jeromqSocket("router", "ROUTER");
      const bunDealer = cleanup.track(new Dealer({ linger: 0, routingId: "bd" }));
      bunDealer.connect(await jeromq.bind(jeromqRouter));
      await bunDealer.send(["", "request"]);
      expect(await jeromq.receive(jeromqRouter)).toEqual(["bd", "", "request"]);
      await jeromq.send(jeromqRouter, ["bd", "", "reply"]);
      expect(await receive(bunDealer, "the JeroMQ ROUTER's reply")).toEqual(["", "reply"]);
    },
    TEST_TIMEOUT,
  );

  test(
    "PUB/SUB both ways: subscriptions cross as 2.0 data frames and the publisher filters by them",
    async () => {
      // A JeroMQ PUB filters for its subscribers: "t" arriving and "x" not shows our SUB's subscription reached it.
      const pub = await jeromqSocket("pub", "PUB");
      const sub = cleanup.track(new Subscriber({ linger: 0, receiveTimeout: 100 }));
      sub.subscribe("t");
      sub.connect(await jeromq.bind(pub));
      const got = await waitFor(
        async () => {
          await jeromq.send(pub, ["x skipped"]);
          await jeromq.send(pub, ["t kept"]);
          return sub.receive().then(
            (m) => m.map(String),
            () => null,
          );
        },
        { what: "a message through the JeroMQ PUB", timeoutMs: 10_000 },
      );
      expect(got).toEqual(["t kept"]);

      const bunPub = cleanup.track(new Publisher({ linger: 0 }));
      await bunPub.bind(TCP_ANY);
      const jeromqSub = await jeromqSocket("sub", "SUB");
      await jeromq.subscribe(jeromqSub, "t");
      await jeromq.connect(jeromqSub, bunPub.lastEndpoint!);
      const received = await waitFor(
        async () => {
          await bunPub.send("x skipped");
          await bunPub.send("t kept");
          return jeromq.receive(jeromqSub, 100);
        },
        { what: "a message on the JeroMQ SUB", timeoutMs: 10_000 },
      );
      expect(received).toEqual(["t kept"]);
    },
    TEST_TIMEOUT,
  );

  test(
    "PAIR both ways, an XPUB hearing a JeroMQ SUB's subscription, an XSUB subscribing at a JeroMQ PUB",
    async () => {
      const pair = cleanup.track(new Pair({ linger: 0 }));
      await pair.bind(TCP_ANY);
      const jeromqPair = await jeromqSocket("pair", "PAIR");
      await jeromq.connect(jeromqPair, pair.lastEndpoint!);
      await jeromq.send(jeromqPair, ["to bunzmq"]);
      expect(await receive(pair, "the JeroMQ PAIR's message")).toEqual(["to bunzmq"]);
      await pair.send("to JeroMQ");
      expect(await jeromq.receive(jeromqPair)).toEqual(["to JeroMQ"]);

      const xpub = cleanup.track(new XPublisher({ linger: 0 }));
      await xpub.bind(TCP_ANY);
      const jeromqSub = await jeromqSocket("xsub-peer", "SUB");
      await jeromq.subscribe(jeromqSub, "news");
      await jeromq.connect(jeromqSub, xpub.lastEndpoint!);
      expect(await receive(xpub, "the JeroMQ SUB's subscription")).toEqual(["\x01news"]);
      await xpub.send("news today");
      expect(await jeromq.receive(jeromqSub)).toEqual(["news today"]);

      const jeromqPub = await jeromqSocket("xpub-peer", "PUB");
      const xsub = cleanup.track(new XSubscriber({ linger: 0, receiveTimeout: 100 }));
      xsub.connect(await jeromq.bind(jeromqPub));
      await xsub.send("\x01w");
      const got = await waitFor(
        async () => {
          await jeromq.send(jeromqPub, ["weather"]);
          return xsub.receive().then(
            (m) => m.map(String),
            () => null,
          );
        },
        { what: "a message through the JeroMQ PUB to the XSUB", timeoutMs: 10_000 },
      );
      expect(got).toEqual(["weather"]);
    },
    TEST_TIMEOUT,
  );

  test(
    "a JeroMQ SUB dialling a bunzmq PULL is refused with ERR_ZMTP_SOCKET_TYPE_MISMATCH; a JeroMQ PUSH on the same PULL still delivers",
    async () => {
      const pull = cleanup.track(new Pull({ linger: 0 }));
      const log = new EventLog(pull);
      await pull.bind(TCP_ANY);
      const wrong = await jeromqSocket("wrong", "SUB");
      await jeromq.connect(wrong, pull.lastEndpoint!);
      const refusal = await log.waitFor("handshake:error:protocol");
      expect(refusal.error?.code).toBe("ERR_ZMTP_SOCKET_TYPE_MISMATCH");
      expect(refusal.error?.message).toBe("ZMTP protocol error");
      const good = await jeromqSocket("good", "PUSH");
      await jeromq.connect(good, pull.lastEndpoint!);
      await jeromq.send(good, ["still fine"]);
      expect(await receive(pull, "the good JeroMQ PUSH's message")).toEqual(["still fine"]);
    },
    TEST_TIMEOUT,
  );

  test(
    "a bunzmq PULL that is a PLAIN server refuses a JeroMQ PUSH (ZMTP 2.0 has no mechanism) with ERR_ZMTP_UNSUPPORTED_VERSION",
    async () => {
      const pull = cleanup.track(new Pull({ linger: 0, plainServer: true }));
      const log = new EventLog(pull);
      await pull.bind(TCP_ANY);
      const push = await jeromqSocket("insecure", "PUSH");
      await jeromq.connect(push, pull.lastEndpoint!);
      const refusal = await log.waitFor("handshake:error:protocol");
      expect(refusal.error?.code).toBe("ERR_ZMTP_UNSUPPORTED_VERSION");
      expect(log.count("handshake")).toBe(0);
    },
    TEST_TIMEOUT,
  );
});
