// Reliable request-reply, the Paranoid Pirate way: a queue between clients and workers that
// heartbeat each other (RFC 6/PPP), and a client that retries what goes unanswered. The run breaks
// things on purpose and shows each recovery:
//   1. worker-1 crashes holding its first request: the queue forgets it after 3 silent heartbeats,
//      and the client's try, which waits 5, times out and is sent again, to worker-2;
//   2. the queue itself is restarted (--restart-after): the workers notice its silence, reconnect
//      on new sockets and say READY again; the client's socket reconnects by itself, and its next
//      request waits in the new queue (or is tried again) until a worker is back.
//
//   bun examples/paranoid-pirate/main.ts [--requests 8] [--restart-after 5] [--heartbeat-ms 100]

import { type Print, parseFlags, runAsCommand, wholeNumber } from "../cli.ts";
import { LazyPirateClient } from "./client.ts";
import { PirateQueue } from "./queue.ts";
import { PirateWorker } from "./worker.ts";

export const USAGE = `usage: bun examples/paranoid-pirate/main.ts [options]

Two workers and a client around a heartbeating queue; a worker crashes and the queue restarts.

  --requests N        requests the client sends, one after another (default 8)
  --restart-after N   restart the queue once N requests are answered (default 5; 0: never)
  --heartbeat-ms N    heartbeat interval, each way (default 100); a try waits 5 of them
  --tries N           tries per request before the client gives up (default 4)
  -h, --help          print this and exit`;

export interface PirateOptions {
  requests: number;
  restartAfter: number;
  heartbeatMs: number;
  tries: number;
}

export interface PirateSummary {
  /** The reply to each request, null where the client gave up. */
  replies: Array<string | null>;
  retries: number;
  /** Workers the queues forgot for their silence. */
  expired: string[];
  /** Conversations the workers restarted after losing the queue. */
  reconnects: number;
}

export async function paranoidPirate(options: PirateOptions, print: Print): Promise<PirateSummary> {
  const timing = { heartbeatMs: options.heartbeatMs, reconnectMs: options.heartbeatMs };
  let queue = new PirateQueue(timing, print);
  const endpoints = await queue.start("tcp://127.0.0.1:*", "tcp://127.0.0.1:*");
  const expired: string[] = [];
  const workers = [
    new PirateWorker({ name: "worker-1", endpoint: endpoints.backEnd, timing, crashOnRequest: 1 }, print),
    new PirateWorker({ name: "worker-2", endpoint: endpoints.backEnd, timing }, print),
  ];
  const running = workers.map((worker) => worker.run());
  // Both workers in place before the first request, so that worker-1 gets one of the first two.
  await queue.until(() => queue.workers.length >= 2, 20 * options.heartbeatMs);
  const client = new LazyPirateClient(endpoints.frontEnd, { timeoutMs: 5 * options.heartbeatMs, tries: options.tries }, print);
  const replies: Array<string | null> = [];
  try {
    for (let i = 1; i <= options.requests; i++) {
      const reply = await client.request(`request ${i}`);
      replies.push(reply);
      if (reply !== null) print(`client: ${reply}`);
      if (i === options.restartAfter) {
        // One recovery at a time, so the log reads in order: the crash is dealt with first.
        const current = queue;
        await current.until(() => current.expired.some((name) => name.startsWith("worker-1#")), 20 * options.heartbeatMs);
        print("main: restarting the queue on the same endpoints");
        await queue.close();
        expired.push(...queue.expired);
        queue = new PirateQueue(timing, print);
        await queue.start(endpoints.frontEnd, endpoints.backEnd);
      }
    }
  } finally {
    client.close();
    for (const worker of workers) worker.stop();
    await Promise.all(running);
    await queue.close();
  }
  expired.push(...queue.expired);
  const reconnects = workers.reduce((sum, worker) => sum + worker.reconnects, 0);
  print(`main: ${replies.filter((r) => r !== null).length} of ${options.requests} answered, ${client.retries} retries`);
  print(`main: forgotten by the queue: ${expired.join(", ") || "none"}; worker reconnections: ${reconnects}`);
  return { replies, retries: client.retries, expired, reconnects };
}

export async function main(argv: string[], print: Print): Promise<number> {
  const flags = parseFlags(
    argv,
    USAGE,
    {
      requests: { type: "string", default: "8" },
      "restart-after": { type: "string", default: "5" },
      "heartbeat-ms": { type: "string", default: "100" },
      tries: { type: "string", default: "4" },
    },
    print,
  );
  if (flags === null) return 0;
  const summary = await paranoidPirate(
    {
      requests: wholeNumber("requests", flags.requests),
      restartAfter: wholeNumber("restart-after", flags["restart-after"], 0),
      heartbeatMs: wholeNumber("heartbeat-ms", flags["heartbeat-ms"], 10),
      tries: wholeNumber("tries", flags.tries),
    },
    print,
  );
  return summary.replies.every((reply) => reply !== null) ? 0 : 1;
}

if (import.meta.main) await runAsCommand(main, USAGE);
