// Micro-benchmarks of the layers between a socket and its engines, no sockets and no I/O: the pipe
// (src/pipe), the routing strategies (src/routing) and the identity table, per message. These are the
// per-message costs every send and receive pays on top of the codec (bench/micro/codec.bench.ts).
// Run: `bun bench/micro/pipes-routing.bench.ts`.

import { bench, do_not_optimize, group, run } from "mitata";
import type { Message } from "../../src/core/message.ts";
import { createPipePair } from "../../src/pipe/pipe-end.ts";
import { Pipe } from "../../src/pipe/pipe.ts";
import { Distribute } from "../../src/routing/distribute.ts";
import { FairQueue } from "../../src/routing/fair-queue.ts";
import { IdentityTable } from "../../src/routing/identity-table.ts";
import { LoadBalance } from "../../src/routing/load-balance.ts";

// One batch per iteration, as a socket sees them between two engine flushes (the default HWM).
const BATCH = 1000;
const message: Message = [new Uint8Array(16)];

/** Runs `fn` BATCH times per iteration; read mitata's time divided by 1000 as the per-message cost. */
const perBatch = (fn: () => void) => () => {
  for (let i = 0; i < BATCH; i++) fn();
};

function drain(pipe: Pipe): void {
  while (pipe.read() !== undefined);
}

group(`pipe: ${BATCH} messages per iteration`, () => {
  const pipe = new Pipe(BATCH);
  bench("canWrite + write, then read all", () => {
    for (let i = 0; i < BATCH; i++) if (pipe.canWrite()) pipe.write(message);
    drain(pipe);
  });
  const unlimited = new Pipe(0);
  bench(
    "write + read one at a time (HWM 0)",
    perBatch(() => {
      unlimited.write(message);
      do_not_optimize(unlimited.read());
    }),
  );
});

for (const pipeCount of [1, 4]) {
  group(`load-balance over ${pipeCount} pipe(s): ${BATCH} messages per iteration`, () => {
    const strategy = new LoadBalance();
    const pipes = Array.from({ length: pipeCount }, () => new Pipe(BATCH));
    for (const pipe of pipes) strategy.attach(pipe);
    bench("send, then drain every pipe", () => {
      for (let i = 0; i < BATCH; i++) strategy.send(message);
      for (const pipe of pipes) drain(pipe);
    });
  });
}

group(`fair-queue over 4 pipes: ${BATCH} messages per iteration`, () => {
  const strategy = new FairQueue();
  const pipes = Array.from({ length: 4 }, () => new Pipe(BATCH));
  for (const pipe of pipes) strategy.attach(pipe);
  bench("fill every pipe, then receive all", () => {
    for (let i = 0; i < BATCH; i++) pipes[i & 3]!.write(message);
    while (strategy.receive() !== undefined);
  });
});

for (const pipeCount of [1, 8]) {
  group(`distribute to ${pipeCount} pipe(s): ${BATCH} messages per iteration`, () => {
    const strategy = new Distribute();
    const pipes = Array.from({ length: pipeCount }, () => new Pipe(BATCH));
    for (const pipe of pipes) strategy.attach(pipe);
    bench("sendToAll (drop when full), then drain", () => {
      for (let i = 0; i < BATCH; i++) strategy.sendToAll(message, "drop");
      for (const pipe of pipes) drain(pipe);
    });
  });
}

group(`identity table with 10,000 peers: ${BATCH} lookups per iteration`, () => {
  const table = new IdentityTable(1);
  const ids: Uint8Array[] = [];
  for (let i = 0; i < 10_000; i++) {
    const { socketEnd } = createPipePair(BATCH, BATCH, { routingId: new Uint8Array(0), address: `peer-${i}` });
    const admission = table.add(socketEnd, new Uint8Array(0), false);
    if (admission.accepted) ids.push(admission.id);
  }
  let next = 0;
  bench(
    "lookup by a 5-byte automatic id",
    perBatch(() => {
      do_not_optimize(table.lookup(ids[next]!));
      if (++next === ids.length) next = 0;
    }),
  );
});

await run();
