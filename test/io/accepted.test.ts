// Issue 8: connections a socket accepts run their engines in I/O Workers too: accepted on the
// application thread, handed over by descriptor (transport/handoff.ts), bytes already read included.

import { describe, expect, test } from "bun:test";
import { Context, Dealer, Pull, Push, Router } from "../../src/index.ts";
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
      test(`a bound ROUTER serves peers over ${endpoint.slice(0, 3)}, events as on one thread`, async () => {
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
      }, TEST_TIMEOUT);
    }

    test("bytes a peer sent before the handoff reach the Worker's engine", async () => {
      const context = threadedContext(signaler);
      const pull = cleanup.track(new Pull({ context, linger: 0 }));
      await pull.bind(TCP_ANY);
      const raw = cleanup.track(await RawPeer.connect(pull.lastEndpoint!));
      // Greeting, READY and a message in one write: they may all be read before the handoff.
      raw.write(new Uint8Array([...greeting(), ...ready("PUSH"), ...frame("early bird")]));
      expect((await withTimeout(pull.receive(), 5000, "the early message")).map(String)).toEqual(["early bird"]);
    }, TEST_TIMEOUT);

    test("a PUSH connecting from a threaded context to a PULL bound in another threaded context", async () => {
      const pull = cleanup.track(new Pull({ context: threadedContext(signaler), linger: 0 }));
      await pull.bind(TCP_ANY);
      const push = cleanup.track(new Push({ context: threadedContext(signaler), linger: 0 }));
      push.connect(pull.lastEndpoint!);
      for (let i = 0; i < 1000; i++) await push.send(String(i));
      for (let i = 0; i < 1000; i++) expect(String((await withTimeout(pull.receive(), 5000, `message ${i}`))[0])).toBe(String(i));
    }, TEST_TIMEOUT);
  });
}
