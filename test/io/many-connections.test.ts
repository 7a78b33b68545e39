// Issue 14: many connections through I/O threads. 500 DEALERs whose engines run in a Worker, each
// served by a ROUTER whose accepted connections run in Workers of its own Context: every DEALER
// gets its own replies, in order, first in request/reply rounds (which never outgrow a
// connection's first rings) and then in a burst that makes every connection's rings, on both
// sides of both threads, move to larger ones at once. Counts, not times.

import { expect, test } from "bun:test";
import { Context, Dealer, Router } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();
const CONNECTIONS = 500;
const ROUNDS = 3;
/** A burst per DEALER of this many 300-byte messages: 5 KB, past a first ring of 512 bytes. */
const BURST = 16;

function threadedContext(ioThreads: number): Context {
  const context = new Context({ ioThreads, maxSockets: CONNECTIONS + 16 });
  cleanup.add(() => context.close());
  return context;
}

test(`${CONNECTIONS} connections through I/O threads are all served, in rounds and in a burst that moves every ring`, async () => {
  const router = cleanup.track(new Router({ context: threadedContext(2), linger: 0 }));
  await router.bind(TCP_ANY);
  void (async () => {
    for await (const [id, ...body] of router) await router.send([id!, ...body]);
  })().catch(() => {});
  const context = threadedContext(1);
  const dealers = Array.from({ length: CONNECTIONS }, () => cleanup.track(new Dealer({ context, linger: 0 })));
  for (const dealer of dealers) dealer.connect(router.lastEndpoint!);

  const rounds = Promise.all(
    dealers.map(async (dealer, n) => {
      for (let round = 0; round < ROUNDS; round++) {
        await dealer.send(`${n}:${round}`);
        const [reply] = await dealer.receive();
        if (String(reply) !== `${n}:${round}`) throw new Error(`DEALER ${n} got "${reply}" in round ${round}`);
      }
      return ROUNDS;
    }),
  );
  const served = await withTimeout(rounds, 30_000, `${CONNECTIONS} × ${ROUNDS} rounds`);
  expect(served.reduce((sum, n) => sum + n, 0)).toBe(CONNECTIONS * ROUNDS);

  const padding = "x".repeat(300);
  const bursts = Promise.all(
    dealers.map(async (dealer, n) => {
      for (let i = 0; i < BURST; i++) await dealer.send([`${n}:${i}`, padding]);
      for (let i = 0; i < BURST; i++) {
        const [reply, body] = await dealer.receive();
        if (String(reply) !== `${n}:${i}` || body?.length !== padding.length) throw new Error(`DEALER ${n} got "${reply}" as reply ${i}`);
      }
      return BURST;
    }),
  );
  const echoed = await withTimeout(bursts, 30_000, `${CONNECTIONS} bursts of ${BURST}`);
  expect(echoed.reduce((sum, n) => sum + n, 0)).toBe(CONNECTIONS * BURST);
}, 60_000);
