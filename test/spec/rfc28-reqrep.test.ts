// RFC 28/REQREP (https://rfc.zeromq.org/spec/28/), bunzmq <-> bunzmq over every transport of
// test/conformance/transports.ts; a sentence no peer takes part in runs once.
// Each test is named after the RFC sentence it checks (libzmq test_spec_req/rep/dealer/router style).

import { describe, expect, test } from "bun:test";
import { Context, Dealer, Reply, Request, Router, type SocketInit } from "../../src/index.ts";
import { rejection, strings, waitFor, withTimeout } from "../api/support.ts";
import { forEachTransport, peersGone, peersReady, type TransportRow } from "../conformance/transports.ts";
import { useCleanup } from "../helpers/cleanup.ts";

const cleanup = useCleanup();

type Duplex = Request | Reply | Dealer | Router;

function open<T extends Duplex, O extends SocketInit>(type: new (options?: O) => T, options?: O): T {
  return cleanup.track(new type({ linger: 0, ...options } as O));
}

async function bound<T extends Duplex, O extends SocketInit>(
  row: TransportRow,
  type: new (options?: O) => T,
  options?: O,
): Promise<{ socket: T; endpoint: string }> {
  const socket = open(type, options);
  await socket.bind(row.bindable());
  return { socket, endpoint: socket.lastEndpoint! };
}

async function receive(socket: Duplex, what = "a message"): Promise<string[]> {
  return strings(await withTimeout(socket.receive(), 5000, what));
}

// No peer takes part in these, so the transport does not matter: they run once.
describe("RFC 28 REQ", () => {
  test("RFC 28 REQ: SHALL block on sending, or return a suitable error, when it has no connected peers", async () => {
    const req = open(Request, { sendTimeout: 0 });
    expect(req.trySend("nowhere")).toBe(false);
    await rejection(req.send("nowhere"), "EAGAIN");
  });
});

describe("RFC 28 REP", () => {
  test("RFC 28 REP: SHALL receive and then send exactly one message at a time", async () => {
    const rep = open(Reply);
    await rejection(rep.send("unasked"), "EFSM");
  });
});

describe("RFC 28 DEALER", () => {
  test("RFC 28 DEALER: SHALL block on sending, or return a suitable error, when it has no available peers", async () => {
    const dealer = open(Dealer, { sendTimeout: 0 });
    expect(dealer.trySend("x")).toBe(false);
    await rejection(dealer.send("x"), "EAGAIN");
  });
});

describe("RFC 28 ROUTER", () => {
  test("RFC 28 ROUTER: SHALL either silently drop the message, or return an error, depending on configuration, if the queue does not exist", async () => {
    const router = open(Router);
    await router.send(["nobody", "dropped"]);
    router.mandatory = true;
    const error = await rejection(router.send(["nobody", "refused"]), "EHOSTUNREACH");
    expect(error.errno).toBe(113);
  });
});

forEachTransport((row) => {
  describe("RFC 28 REQ", () => {
    test("RFC 28 REQ: SHALL prefix the outgoing message with an empty delimiter frame", async () => {
      const { socket: router, endpoint } = await bound(row, Router);
      const req = open(Request, { routingId: "client" });
      req.connect(endpoint);
      await req.send(["a", "b"]);
      expect(await receive(router)).toEqual(["client", "", "a", "b"]);
    });

    test("RFC 28 REQ: SHALL route outgoing messages to connected peers using a round-robin strategy", async () => {
      const reps = await Promise.all([0, 1, 2].map(() => bound(row, Reply)));
      const req = open(Request);
      const ready = peersReady(row, req, 3);
      for (const { endpoint } of reps) req.connect(endpoint);
      await ready;
      const served: number[] = [];
      const servers = reps.map(async ({ socket }, k) => {
        for (let i = 0; i < 2; i++) {
          const [body] = await receive(socket, `request ${i} on REP ${k}`);
          served.push(k);
          await socket.send(`${k}:${body}`);
        }
      });
      for (let i = 0; i < 6; i++) {
        await req.send(String(i));
        expect(await receive(req)).toEqual([`${i % 3}:${i}`]);
      }
      await withTimeout(Promise.all(servers), 5000, "every REP to serve two requests");
      expect(served).toEqual([0, 1, 2, 0, 1, 2]);
    });

    test("RFC 28 REQ: SHALL send and then receive exactly one message at a time", async () => {
      const { socket: rep, endpoint } = await bound(row, Reply);
      const req = open(Request);
      req.connect(endpoint);
      await rejection(req.receive(), "EFSM");
      await req.send("one");
      const error = await rejection(req.send("two"), "EFSM");
      expect(error.message).toContain("Operation cannot be accomplished in current state");
      expect(await receive(rep)).toEqual(["one"]);
      await rep.send("answer");
      expect(await receive(req)).toEqual(["answer"]);
      await req.send("three");
    });

    test("RFC 28 REQ: SHALL accept an incoming message only from the last peer that it sent a request to, and SHALL discard silently any messages received from other peers", async () => {
      const servers = await Promise.all([bound(row, Router), bound(row, Router)]);
      const req = open(Request, { routingId: "req" });
      const ready = Promise.all(servers.map(({ socket }) => peersReady(row, socket, 1)));
      for (const { endpoint } of servers) req.connect(endpoint);
      await ready;
      await req.send("question");
      const answered = await Promise.race(servers.map(({ socket }, k) => socket.receive().then(() => k)));
      const other = servers[1 - answered]!.socket;
      await other.send(["req", "", "not from the peer asked"]);
      await servers[answered]!.socket.send(["req", "", "from the peer asked"]);
      expect(await receive(req)).toEqual(["from the peer asked"]);
    });

    test("RFC 28 REQ (relaxed, correlate): a new request abandons the old one and only the matching reply is taken", async () => {
      const { socket: router, endpoint } = await bound(row, Router);
      const req = open(Request, { relaxed: true, correlate: true, routingId: "r" });
      req.connect(endpoint);
      await req.send("first");
      const first = await withTimeout(router.receive(), 5000, "the first request");
      await req.send("second");
      const second = await withTimeout(router.receive(), 5000, "the second request");
      expect(first[1]!.length).toBe(4);
      expect(first[1]!.equals(second[1]!)).toBe(false);
      await router.send([...first.slice(0, 3), "answer to first"]);
      await router.send([...second.slice(0, 3), "answer to second"]);
      expect(await receive(req)).toEqual(["answer to second"]);
    });
  });

  describe("RFC 28 REP", () => {
    test("RFC 28 REP: SHALL receive incoming messages from its peers using a fair-queuing strategy", async () => {
      const highWaterMark = 4;
      // Every socket here runs its engines on this thread, even when BUNZMQ_IO_THREADS moves the rest:
      // an I/O Worker puts further buffers (its pipe and ring) between a socket's queue and the
      // connection, so "every queue towards the REP is full" could not be awaited from outside
      // (the DEALER queues could be full while the Worker still fills the connection). One context
      // also lets inproc peers find the name.
      const context = new Context();
      const { socket: rep, endpoint } = await bound(row, Reply, { receiveHighWaterMark: highWaterMark, context });
      const tags = ["A", "B", "C"];
      const dealers = tags.map(() => open(Dealer, { sendHighWaterMark: highWaterMark, context }));
      const ready = Promise.all([peersReady(row, rep, 3), ...dealers.map((dealer) => peersReady(row, dealer, 1))]);
      for (const dealer of dealers) dealer.connect(endpoint);
      await ready;
      const body = Buffer.alloc(16 * 1024, 1);
      const floods = dealers.map(async (dealer, k) => {
        try {
          for (let i = 0; ; i++) await dealer.send(["", tags[k]!, String(i), body]);
        } catch {
          // closed at the end of the test
        }
      });
      let stableChecks = 0;
      await waitFor(
        () => {
          stableChecks = dealers.every((dealer) => !dealer.writable) ? stableChecks + 1 : 0;
          return stableChecks >= 3;
        },
        { timeoutMs: 20_000, what: "all three DEALER queues to stay full" },
      );
      const order: string[] = [];
      for (let i = 0; i < 3 * highWaterMark; i++) {
        const [tag] = await receive(rep, "a queued request");
        order.push(tag!);
        await rep.send("ok");
      }
      expect(new Set(order.slice(0, 3)).size).toBe(3);
      expect(order.every((tag, i) => tag === order[i % 3])).toBe(true);
      for (const dealer of dealers) dealer.close();
      await withTimeout(Promise.all(floods), 5000, "the floods to stop");
    }, 60_000);

    test("RFC 28 REP: SHALL remove and store the address envelope, including the delimiter, and SHALL pass the remaining data frames to its calling application", async () => {
      const { socket: rep, endpoint } = await bound(row, Reply);
      const dealer = open(Dealer);
      dealer.connect(endpoint);
      await dealer.send(["hop2", "hop1", "", "body", ""]);
      expect(await receive(rep)).toEqual(["body", ""]);
    });

    test("RFC 28 REP: SHALL prepend the address envelope and delimiter, and SHALL deliver this message back to the originating peer", async () => {
      const { socket: rep, endpoint } = await bound(row, Reply);
      const dealers = [open(Dealer), open(Dealer)];
      for (const dealer of dealers) dealer.connect(endpoint);
      await dealers[0]!.send(["from-0", "", "q0"]);
      await dealers[1]!.send(["from-1", "", "q1"]);
      for (let i = 0; i < 2; i++) {
        const [body] = await receive(rep);
        await rep.send(`re ${body}`);
      }
      expect(await receive(dealers[0]!)).toEqual(["from-0", "", "re q0"]);
      expect(await receive(dealers[1]!)).toEqual(["from-1", "", "re q1"]);
    });

    test("RFC 28 REP: SHALL silently discard the reply if the originating peer is no longer connected, and SHALL not block on sending", async () => {
      const { socket: rep, endpoint } = await bound(row, Reply);
      const gone = open(Request);
      const disconnected = peersGone(row, rep);
      gone.connect(endpoint);
      await gone.send("q");
      await receive(rep);
      gone.close();
      await disconnected;
      expect(rep.trySend("into the void")).toBe(true);
      const next = open(Request);
      next.connect(endpoint);
      await next.send("q2");
      expect(await receive(rep)).toEqual(["q2"]);
    });
  });

  describe("RFC 28 DEALER", () => {
    test("RFC 28 DEALER: SHALL route outgoing messages to available peers using a round-robin strategy", async () => {
      const routers = await Promise.all([0, 1].map(() => bound(row, Router)));
      const dealer = open(Dealer);
      for (const { endpoint } of routers) dealer.connect(endpoint);
      for (let i = 0; i < 4; i++) await dealer.send(String(i));
      for (const [k, { socket }] of routers.entries()) {
        expect((await receive(socket))[1]).toBe(String(k));
        expect((await receive(socket))[1]).toBe(String(k + 2));
      }
    });

    test("RFC 28 DEALER: SHALL not filter or modify outgoing or incoming messages in any way", async () => {
      const { socket: router, endpoint } = await bound(row, Router);
      const dealer = open(Dealer, { routingId: "d" });
      dealer.connect(endpoint);
      await dealer.send(["", "", "x", ""]);
      expect(await receive(router)).toEqual(["d", "", "", "x", ""]);
      await router.send(["d", "", "y", ""]);
      expect(await receive(dealer)).toEqual(["", "y", ""]);
    });
  });

  describe("RFC 28 ROUTER", () => {
    test("RFC 28 ROUTER: SHALL prefix each incoming message with a frame containing the identity of the originating double queue", async () => {
      const { socket: router, endpoint } = await bound(row, Router);
      const named = open(Dealer, { routingId: "named" });
      const anonymous = open(Dealer);
      named.connect(endpoint);
      await named.send("1");
      expect(await receive(router)).toEqual(["named", "1"]);
      anonymous.connect(endpoint);
      await anonymous.send("2");
      const [id, body] = await withTimeout(router.receive(), 5000, "the anonymous peer's message");
      expect(id!.length).toBe(5);
      expect(id![0]).toBe(0);
      expect(body!.toString()).toBe("2");
    });

    test("RFC 28 ROUTER: SHALL route the message to the outgoing queue if that queue exists, and has space (ROUTER to ROUTER with ids)", async () => {
      const { socket: server, endpoint } = await bound(row, Router, { routingId: "server" });
      const client = open(Router, { routingId: "client" });
      // A ROUTER names a peer only once its handshake is done: both sides must have finished it.
      const ready = Promise.all([peersReady(row, server, 1), peersReady(row, client, 1)]);
      client.connect(endpoint, { routingId: "to-server" });
      await ready;
      await client.send(["to-server", "hello"]);
      expect(await receive(server)).toEqual(["client", "hello"]);
      await server.send(["client", "hi"]);
      expect(await receive(client)).toEqual(["to-server", "hi"]);
    });

    test("RFC 28 ROUTER: SHALL identify each double queue using a unique identity (a duplicate is ignored unless handover)", async () => {
      const { socket: router, endpoint } = await bound(row, Router, { handover: true });
      const first = open(Dealer, { routingId: "same" });
      first.connect(endpoint);
      await first.send("from first");
      expect(await receive(router)).toEqual(["same", "from first"]);
      const second = open(Dealer, { routingId: "same" });
      second.connect(endpoint);
      await second.send("from second");
      expect(await receive(router)).toEqual(["same", "from second"]);
      await router.send(["same", "to the newer peer"]);
      expect(await receive(second)).toEqual(["to the newer peer"]);
    });

    test("RFC 28 ROUTER: SHALL NOT block on sending, except with mandatory, which waits at a full queue and fails with EHOSTUNREACH once that peer leaves", async () => {
      const { socket: router, endpoint } = await bound(row, Router, { mandatory: true, sendHighWaterMark: 1 });
      const dealer = open(Dealer, { routingId: "slow", receiveHighWaterMark: 1 });
      dealer.connect(endpoint);
      await dealer.send("here");
      await receive(router);
      const body = Buffer.alloc(64 * 1024, 7);
      await waitFor(() => !router.trySend(["slow", body]), { timeoutMs: 20_000, what: "the queue towards the DEALER to fill" });
      const pending = router.send(["slow", "waits"]);
      dealer.close();
      await rejection(pending, "EHOSTUNREACH");
    }, 30_000);

    test("probeRouter: a DEALER greets the ROUTER with an empty message on connect", async () => {
      const { socket: router, endpoint } = await bound(row, Router);
      const dealer = open(Dealer, { routingId: "prober", probeRouter: true });
      dealer.connect(endpoint);
      expect(await receive(router)).toEqual(["prober", ""]);
    });
  });
});
