// Issue 8: connecting sockets whose engines run in I/O Workers (new Context({ ioThreads })), with
// each signaler. The rest of the suite runs this way too when BUNZMQ_IO_THREADS is set (.ci/run
// does, with 1 and 2); these tests pin what is specific to the threads whatever the environment.

import { describe, expect, test } from "bun:test";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Context, Dealer, Pull, Push, Reply, Request, Router, curveKeyPair } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { EventLog } from "../helpers/events.ts";
import { withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();
const TEST_TIMEOUT = 20_000;

function threadedContext(ioThreads: number, ioSignaler: "atomics" | "eventfd"): Context {
  const context = new Context({ ioThreads, ioSignaler });
  cleanup.add(() => context.close());
  return context;
}

const receive = (socket: { receive(): Promise<Buffer[]> }, what: string) => withTimeout(socket.receive(), 5000, what);

for (const [threads, signaler] of [
  [1, "atomics"],
  [2, "eventfd"],
] as const) {
  describe(`${threads} I/O thread(s), ${signaler}`, () => {
    test(
      "multipart and 3 MiB messages cross the rings both ways, in order",
      async () => {
        const context = threadedContext(threads, signaler);
        const router = cleanup.track(new Router({ linger: 0 }));
        await router.bind(TCP_ANY);
        const dealer = cleanup.track(new Dealer({ context, linger: 0, routingId: "w" }));
        dealer.connect(router.lastEndpoint!);
        const big = Buffer.alloc(3 * 1024 * 1024, 0x5a);
        await dealer.send(["", "first", ""]);
        await dealer.send(big);
        expect((await receive(router, "the multipart message")).map(String)).toEqual(["w", "", "first", ""]);
        const [, got] = await receive(router, "the 3 MiB message");
        expect(got!.equals(big)).toBe(true);
        await router.send(["w", big, "tail"]);
        const [back, tail] = await receive(dealer, "3 MiB back");
        expect(back!.equals(big)).toBe(true);
        expect(String(tail)).toBe("tail");
      },
      TEST_TIMEOUT,
    );

    test(
      "what a peer sent before it closed all arrives, though the ring was full when its FIN came",
      async () => {
        const context = threadedContext(threads, signaler);
        // A receive mark of 1 holds messages back in the Worker and the ring, so the close overtakes them.
        const pull = cleanup.track(new Pull({ context, linger: 0, receiveHighWaterMark: 1 }));
        await pull.bind(TCP_ANY);
        const push = cleanup.track(new Push({ linger: -1, sendHighWaterMark: 100 }));
        const log = new EventLog(push);
        push.connect(pull.lastEndpoint!);
        await log.waitFor("handshake");
        const body = Buffer.alloc(64 * 1024, 7);
        const count = 40;
        for (let i = 0; i < count; i++) await push.send([String(i), body]);
        push.close();
        for (let i = 0; i < count; i++) expect(String((await receive(pull, `message ${i} of ${count}`))[0])).toBe(String(i));
      },
      TEST_TIMEOUT,
    );

    test(
      "100,000 messages through a small high-water mark keep their order",
      async () => {
        const context = threadedContext(threads, signaler);
        const pull = cleanup.track(new Pull({ linger: 0, receiveHighWaterMark: 50 }));
        await pull.bind(TCP_ANY);
        const push = cleanup.track(new Push({ context, linger: 0, sendHighWaterMark: 50 }));
        push.connect(pull.lastEndpoint!);
        const total = 100_000;
        const sending = (async () => {
          for (let i = 0; i < total; i++) if (!push.trySend(String(i))) await push.send(String(i));
        })();
        for (let expected = 0; expected < total; ) {
          for (const [frame] of await withTimeout(pull.receiveBatch(1000), 5000, `message ${expected}`)) {
            expect(String(frame)).toBe(String(expected));
            expected++;
          }
        }
        await sending;
      },
      TEST_TIMEOUT,
    );

    test(
      "a CURVE client handshakes and seals in a Worker; a PLAIN server that connects stays on this thread",
      async () => {
        const context = threadedContext(threads, signaler);
        const server = curveKeyPair();
        const client = curveKeyPair();
        const rep = cleanup.track(new Reply({ linger: 0, curveServer: true, curveSecretKey: server.secretKey }));
        await rep.bind(TCP_ANY);
        const req = cleanup.track(
          new Request({
            context,
            linger: 0,
            curveServerKey: server.publicKey,
            curvePublicKey: client.publicKey,
            curveSecretKey: client.secretKey,
          }),
        );
        req.connect(rep.lastEndpoint!);
        await req.send("over CURVE");
        expect((await receive(rep, "the request")).map(String)).toEqual(["over CURVE"]);
        await rep.send("back");
        expect((await receive(req, "the reply")).map(String)).toEqual(["back"]);

        const pull = cleanup.track(new Pull({ linger: 0, plainUsername: "u", plainPassword: "p" }));
        await pull.bind(TCP_ANY);
        const push = cleanup.track(new Push({ context, linger: 0, plainServer: true, authenticate: () => true }));
        push.connect(pull.lastEndpoint!);
        await push.send("authenticated here");
        expect((await receive(pull, "PLAIN through a connecting server")).map(String)).toEqual(["authenticated here"]);
      },
      TEST_TIMEOUT,
    );

    test(
      "the Worker redials when the peer comes back, and what was queued meanwhile arrives",
      async () => {
        const context = threadedContext(threads, signaler);
        const endpoint = `ipc://${join(tmpdir(), `bunzmq-io-${process.pid}-${threads}-${signaler}.sock`)}`;
        const first = cleanup.track(new Pull({ linger: 0 }));
        await first.bind(endpoint);
        const push = cleanup.track(new Push({ context, linger: 0, reconnectInterval: 20 }));
        const log = new EventLog(push);
        push.connect(endpoint);
        await push.send("before");
        expect((await receive(first, "before the restart")).map(String)).toEqual(["before"]);
        first.close();
        await log.waitFor("disconnect");
        await push.send("while away");
        const second = cleanup.track(new Pull({ linger: 0 }));
        await second.bind(endpoint);
        expect((await receive(second, "queued while away")).map(String)).toEqual(["while away"]);
        expect(log.count("handshake")).toBe(2);
      },
      TEST_TIMEOUT,
    );
  });
}
