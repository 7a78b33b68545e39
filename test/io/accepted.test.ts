// Issue 8: connections a socket accepts run their engines in I/O Workers too: accepted on the
// application thread, handed over by descriptor (transport/handoff.ts), bytes already read included.

import { describe, expect, test } from "bun:test";
import { Context, Dealer, Pull, Push, Reply, Router, curveKeyPair } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { EventLog } from "../helpers/events.ts";
import { RawPeer } from "../helpers/raw-peer.ts";
import { withTimeout } from "../helpers/wait.ts";
import { frame, greeting, ready } from "../helpers/zmtp-bytes.ts";

const cleanup = useCleanup();
const TEST_TIMEOUT = 20_000;

function threadedContext(signaler: "atomics" | "eventfd"): Context {
  const context = new Context({ ioThreads: 2, ioSignaler: signaler });
  cleanup.add(() => context.close());
  return context;
}

for (const signaler of ["atomics", "eventfd"] as const) {
  describe(`accepted connections in I/O threads (${signaler})`, () => {
    for (const endpoint of [TCP_ANY, "ipc://*"]) {
      test(
        `a bound ROUTER serves peers over ${endpoint.slice(0, 3)}, events as on one thread`,
        async () => {
          const context = threadedContext(signaler);
          const router = cleanup.track(new Router({ context, linger: 0 }));
          const log = new EventLog(router);
          await router.bind(endpoint);
          const dealers = ["a", "b", "c"].map((id) => {
            const dealer = cleanup.track(new Dealer({ linger: 0, routingId: id }));
            dealer.connect(router.lastEndpoint!);
            return dealer;
          });
          for (const dealer of dealers) await dealer.send(["", "hello"]);
          const seen = new Set<string>();
          for (let i = 0; i < 3; i++) {
            const [id, , body] = await withTimeout(router.receive(), 5000, "a dealer's message");
            expect(String(body)).toBe("hello");
            seen.add(String(id));
            await router.send([id!, "", `to ${id}`]);
          }
          expect([...seen].sort()).toEqual(["a", "b", "c"]);
          for (const [i, dealer] of dealers.entries()) {
            expect((await withTimeout(dealer.receive(), 5000, "the reply")).map(String)).toEqual(["", `to ${["a", "b", "c"][i]}`]);
          }
          expect(log.count("accept")).toBe(3);
          expect(log.count("handshake")).toBe(3);
        },
        TEST_TIMEOUT,
      );
    }

    test(
      "bytes a peer sent before the handoff reach the Worker's engine",
      async () => {
        const context = threadedContext(signaler);
        const pull = cleanup.track(new Pull({ context, linger: 0 }));
        await pull.bind(TCP_ANY);
        const raw = cleanup.track(await RawPeer.connect(pull.lastEndpoint!));
        // Greeting, READY and a message in one write: they may all be read before the handoff.
        raw.write(new Uint8Array([...greeting(), ...ready("PUSH"), ...frame("early bird")]));
        expect((await withTimeout(pull.receive(), 5000, "the early message")).map(String)).toEqual(["early bird"]);
      },
      TEST_TIMEOUT,
    );

    test(
      "a CURVE server's handshake runs in a Worker and asks its authenticator here: accepted, then refused",
      async () => {
        const context = threadedContext(signaler);
        const server = curveKeyPair();
        const asked: string[] = [];
        const pull = cleanup.track(
          new Pull({
            context,
            linger: 0,
            curveServer: true,
            curveSecretKey: server.secretKey,
            authenticate: (request) => {
              asked.push(request.mechanism === "CURVE" ? request.publicKey : "?");
              return asked.length === 1;
            },
          }),
        );
        const log = new EventLog(pull);
        await pull.bind(TCP_ANY);
        const client = curveKeyPair();
        const push = cleanup.track(
          new Push({ linger: 0, curveServerKey: server.publicKey, curvePublicKey: client.publicKey, curveSecretKey: client.secretKey }),
        );
        push.connect(pull.lastEndpoint!);
        await push.send("accepted");
        expect((await withTimeout(pull.receive(), 5000, "the accepted client's message")).map(String)).toEqual(["accepted"]);
        const refusedKeys = curveKeyPair();
        const refused = cleanup.track(
          new Push({
            linger: 0,
            curveServerKey: server.publicKey,
            curvePublicKey: refusedKeys.publicKey,
            curveSecretKey: refusedKeys.secretKey,
          }),
        );
        refused.connect(pull.lastEndpoint!);
        await refused.send("never delivered");
        expect((await log.waitFor("handshake:error:auth")).error).toMatchObject({ status: 400 });
        expect(asked).toEqual([client.publicKey, refusedKeys.publicKey]);
        expect(pull.tryReceive()).toBeNull();
      },
      TEST_TIMEOUT,
    );

    test(
      "a PLAIN server in a Worker asks the ZAP handler bound in its Context",
      async () => {
        const context = threadedContext(signaler);
        const zap = cleanup.track(new Reply({ context, linger: 0 }));
        await zap.bind("inproc://zeromq.zap.01");
        const pull = cleanup.track(new Pull({ context, linger: 0, plainServer: true }));
        await pull.bind(TCP_ANY);
        const push = cleanup.track(new Push({ linger: 0, plainUsername: "admin", plainPassword: "secret" }));
        push.connect(pull.lastEndpoint!);
        const request = (await withTimeout(zap.receive(), 5000, "the ZAP request")).map(String);
        expect(request.slice(5)).toEqual(["PLAIN", "admin", "secret"]);
        await zap.send(["1.0", request[1]!, "200", "OK", "", ""]);
        await push.send("through ZAP");
        expect((await withTimeout(pull.receive(), 5000, "the message")).map(String)).toEqual(["through ZAP"]);
      },
      TEST_TIMEOUT,
    );

    test(
      "a PUSH connecting from a threaded context to a PULL bound in another threaded context",
      async () => {
        const pull = cleanup.track(new Pull({ context: threadedContext(signaler), linger: 0 }));
        await pull.bind(TCP_ANY);
        const push = cleanup.track(new Push({ context: threadedContext(signaler), linger: 0 }));
        push.connect(pull.lastEndpoint!);
        for (let i = 0; i < 1000; i++) await push.send(String(i));
        for (let i = 0; i < 1000; i++) expect(String((await withTimeout(pull.receive(), 5000, `message ${i}`))[0])).toBe(String(i));
      },
      TEST_TIMEOUT,
    );
  });
}
