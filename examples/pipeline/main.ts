// Divide and conquer with a pipeline (RFC 30, PUSH and PULL): a ventilator pushes tasks, workers
// pull them, do them and push the results, and a sink pulls the results together. PUSH deals
// messages round robin among the peers connected at that moment, so the ventilator waits until every
// worker is connected before it sends: otherwise the first worker to connect takes the whole batch
// while the others are still dialling. Adding workers is adding processes; nothing else changes.
//
//   bun examples/pipeline/main.ts [--workers 3] [--tasks 30] [--max-work-ms 10]

import { Pull, Push } from "../../src/index.ts"; // in your project: from "bunzmq"
import { type Print, parseFlags, runAsCommand, wholeNumber } from "../cli.ts";

export const USAGE = `usage: bun examples/pipeline/main.ts [options]

A ventilator pushes tasks (each "work for N ms") to workers, which push their results to a sink.

  --workers N       how many workers pull tasks (default 3)
  --tasks N         how many tasks the ventilator sends (default 30)
  --max-work-ms N   each task takes 1 to N ms (default 10)
  -h, --help        print this and exit`;

export interface PipelineOptions {
  workers: number;
  tasks: number;
  maxWorkMs: number;
}

export interface PipelineSummary {
  /** Tasks each worker did, by worker name. */
  perWorker: Record<string, number>;
  /** The sum of every task's work, and the time the sink waited for all of them. */
  totalWorkMs: number;
  elapsedMs: number;
}

/** A worker: pulls a task, works (here: waits) its number of ms, pushes the result to the sink. */
async function work(name: string, tasks: Pull, results: Push): Promise<void> {
  for await (const [task] of tasks) {
    const ms = Number(task!.toString());
    await new Promise((resolve) => setTimeout(resolve, ms));
    await results.send([name, String(ms)]);
  }
}

/** The sink: pulls `count` results, from whichever worker they come. */
async function collect(sink: Pull, count: number, print: Print): Promise<PipelineSummary> {
  const started = performance.now();
  const perWorker: Record<string, number> = {};
  let totalWorkMs = 0;
  for (let i = 0; i < count; i++) {
    const [worker, ms] = await sink.receive();
    perWorker[worker!.toString()] = (perWorker[worker!.toString()] ?? 0) + 1;
    totalWorkMs += Number(ms!.toString());
  }
  const elapsedMs = performance.now() - started;
  print(`sink: ${count} results in ${elapsedMs.toFixed(0)} ms for ${totalWorkMs} ms of work`);
  return { perWorker, totalWorkMs, elapsedMs };
}

/** Resolves once `count` peers have completed their handshake with the ventilator. */
async function connectedWorkers(ventilator: Push, count: number): Promise<void> {
  let connected = 0;
  for await (const event of ventilator.events) {
    if (event.type === "handshake" && ++connected === count) return;
  }
}

export async function pipeline({ workers, tasks, maxWorkMs }: PipelineOptions, print: Print): Promise<PipelineSummary> {
  const ventilator = new Push();
  const sink = new Pull({ receiveTimeout: 10_000 });
  const crew = Array.from({ length: workers }, (_, i) => ({ name: `worker-${i + 1}`, tasks: new Pull(), results: new Push() }));
  try {
    await ventilator.bind("tcp://127.0.0.1:*");
    await sink.bind("tcp://127.0.0.1:*");
    // Read the events before connecting, so no handshake goes by unseen.
    const ready = connectedWorkers(ventilator, workers);
    for (const worker of crew) {
      worker.tasks.connect(ventilator.lastEndpoint!);
      worker.results.connect(sink.lastEndpoint!);
    }
    await ready;
    print(`ventilator: ${workers} workers connected; sending ${tasks} tasks`);
    const working = crew.map((worker) => work(worker.name, worker.tasks, worker.results));
    const collecting = collect(sink, tasks, print);
    for (let i = 0; i < tasks; i++) await ventilator.send(String(1 + Math.floor(Math.random() * maxWorkMs)));
    const summary = await collecting;
    for (const [name, count] of Object.entries(summary.perWorker).sort()) print(`${name}: did ${count} tasks`);
    for (const worker of crew) worker.tasks.close();
    await Promise.all(working);
    return summary;
  } finally {
    for (const worker of crew) {
      worker.tasks.close();
      worker.results.close();
    }
    ventilator.close();
    sink.close();
  }
}

export async function main(argv: string[], print: Print): Promise<number> {
  const flags = parseFlags(
    argv,
    USAGE,
    {
      workers: { type: "string", default: "3" },
      tasks: { type: "string", default: "30" },
      "max-work-ms": { type: "string", default: "10" },
    },
    print,
  );
  if (flags === null) return 0;
  const options = {
    workers: wholeNumber("workers", flags.workers),
    tasks: wholeNumber("tasks", flags.tasks),
    maxWorkMs: wholeNumber("max-work-ms", flags["max-work-ms"]),
  };
  const summary = await pipeline(options, print);
  const done = Object.values(summary.perWorker).reduce((sum, count) => sum + count, 0);
  return done === options.tasks ? 0 : 1;
}

if (import.meta.main) await runAsCommand(main, USAGE);
